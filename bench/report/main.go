// Command report reads `go test -bench` output (and the cold-start
// harness's lines, which use the same format) on stdin and prints, in
// Markdown, every benchmark's metrics as median and spread over the runs,
// then the table of issue 5's figures: each against its baseline from the
// same input, as a ratio, with its budget and whether it is met.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	res, order, err := parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
	printMetrics(os.Stdout, res, order)
	printFigures(os.Stdout, res)
}

// results maps a benchmark name (without the -GOMAXPROCS suffix) to its
// metrics, each with one value per run.
type results map[string]map[string][]float64

var procSuffix = regexp.MustCompile(`-\d+$`)

func parse(r io.Reader) (results, []string, error) {
	res := results{}
	var order []string
	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	for s.Scan() {
		f := strings.Fields(s.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := procSuffix.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		if res[name] == nil {
			res[name] = map[string][]float64{}
			order = append(order, name)
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, nil, fmt.Errorf("%q: %v", s.Text(), err)
			}
			res[name][f[i+1]] = append(res[name][f[i+1]], v)
		}
	}
	return res, order, s.Err()
}

type stat struct {
	med, lo, hi float64
	n           int
	ok          bool
}

func (r results) get(name, unit string) stat {
	vs := r[name][unit]
	if len(vs) == 0 {
		return stat{}
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	var med float64
	if n := len(s); n%2 == 1 {
		med = s[n/2]
	} else {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return stat{med: med, lo: s[0], hi: s[len(s)-1], n: len(s), ok: true}
}

func printMetrics(w io.Writer, res results, order []string) {
	fmt.Fprintln(w, "## All measurements (median [min–max] over n runs)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| Benchmark | Metric | Median | Spread | n |")
	fmt.Fprintln(w, "|---|---|---:|---|---:|")
	for _, name := range order {
		units := make([]string, 0, len(res[name]))
		for u := range res[name] {
			units = append(units, u)
		}
		slices.Sort(units)
		for _, u := range units {
			s := res.get(name, u)
			fmt.Fprintf(w, "| %s | %s | %s | %s–%s | %d |\n", name, u, num(s.med, u), num(s.lo, u), num(s.hi, u), s.n)
		}
	}
	fmt.Fprintln(w)
}

// num formats v; ns are shown in ms.
func num(v float64, unit string) string {
	if unit == "ns/op" {
		v /= 1e6
	}
	switch {
	case v == 0:
		return "0"
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// msSpread is a time stat in ms with its spread.
func msSpread(s stat) string {
	if !s.ok {
		return "—"
	}
	return fmt.Sprintf("%.1f ms [%.1f–%.1f]", s.med/1e6, s.lo/1e6, s.hi/1e6)
}

func valSpread(s stat) string {
	if !s.ok {
		return "—"
	}
	if s.lo == s.hi {
		return num(s.med, "")
	}
	return fmt.Sprintf("%s [%s–%s]", num(s.med, ""), num(s.lo, ""), num(s.hi, ""))
}

func met(ok, known bool) string {
	switch {
	case !known:
		return "not run"
	case ok:
		return "yes"
	}
	return "**no**"
}

type row struct{ figure, measured, baseline, ratio, budget, met string }

func printFigures(w io.Writer, r results) {
	var rows []row
	add := func(x row) { rows = append(rows, x) }
	ratio := func(a, b stat) string {
		if !a.ok || !b.ok || b.med == 0 {
			return "—"
		}
		return fmt.Sprintf("%.2f×", a.med/b.med)
	}

	// 1. Refresh coalescing.
	alone := r.get("RefreshCoalescing/refresh-alone", "ns/op")
	add(row{"1. one refresh on its own (50 ms server delay)", msSpread(alone), "", "", "(the budget's refresh latency)", "—"})
	for _, n := range []string{"10", "100", "1000"} {
		p := "RefreshCoalescing/N=" + n + "/"
		live, exp, naive := r.get(p+"live", "ns/op"), r.get(p+"expired", "ns/op"), r.get(p+"naive", "ns/op")
		ref := r.get(p+"expired", "refreshes/op")
		add(row{"1. refreshes, N=" + n + " expired", valSpread(ref), "naive: " + valSpread(r.get(p+"naive", "refreshes/op")),
			"", "exactly 1", met(ref.ok && ref.lo == 1 && ref.hi == 1, ref.ok)})
		limit := 1.2*live.med + alone.med
		add(row{"1. batch time, N=" + n + " expired", msSpread(exp), "live: " + msSpread(live), ratio(exp, live),
			fmt.Sprintf("≤ 1.2× + one refresh (= %.1f ms)", limit/1e6), met(exp.med <= limit, exp.ok && live.ok && alone.ok)})
		if naive.ok {
			add(row{"1. batch time, N=" + n + " naive (comparison)", msSpread(naive), "live: " + msSpread(live), ratio(naive, live),
				fmt.Sprintf("%s failed calls/op", valSpread(r.get(p+"naive", "failed/op"))), "—"})
		}
	}

	// 2. Steady state.
	sp := "SteadyPolling"
	u := r.get(sp, "401s/op")
	add(row{"2. 401s in 60 s of polling", valSpread(u), "", "", "0", met(u.ok && u.hi == 0, u.ok)})
	rf := r.get(sp, "refreshes/op")
	rfs := spreadOf(r, sp, "refreshes/op")
	add(row{"2. refreshes in 60 s (5 s token)", rfs, "12 (one per lifetime)", ratio(rf, stat{med: 12, ok: true}), "≈ 12",
		met(rf.med >= 10 && rf.med <= 14, rf.ok)})
	cr, pl := r.get(sp, "crossed-ms"), r.get(sp, "poll-ms")
	add(row{"2. latency of polls that crossed a renewal", spreadOf(r, sp, "crossed-ms") + " ms (" + spreadOf(r, sp, "crossed/op") + " polls/run)",
		spreadOf(r, sp, "poll-ms") + " ms (other polls)", ratio(cr, pl), "added: " + spreadOf(r, sp, "added-ms") + " ms", "—"})

	// 3. Transport overhead.
	for _, mode := range []string{"serial", "parallel"} {
		p := "TransportOverhead/" + mode + "/"
		pl, se := r.get(p+"plain", "ns/op"), r.get(p+"session", "ns/op")
		rt := "—"
		if pl.ok && se.ok {
			rt = fmt.Sprintf("%.2f×", pl.med/se.med)
		}
		add(row{"3. calls/s through the session, " + mode,
			fmt.Sprintf("%s, %s allocs/call", callsPerSec(se), valSpread(r.get(p+"session", "allocs/op"))),
			fmt.Sprintf("plain: %s, %s allocs/call", callsPerSec(pl), valSpread(r.get(p+"plain", "allocs/op"))),
			rt, "≥ 0.95×", met(pl.ok && se.ok && pl.med/se.med >= 0.95, pl.ok && se.ok)})
	}

	// 4. Cold start.
	app, bare := r.get("ColdStart/app", "ns/op"), r.get("ColdStart/bare", "ns/op")
	add(row{"4. exec → first list rows", msSpread(app), "bare window, exec → first frame: " + msSpread(bare), ratio(app, bare),
		"≤ 1.3×", met(app.ok && bare.ok && app.med <= 1.3*bare.med, app.ok && bare.ok)})
	req := r.get("ColdStart/app", "requests/op")
	add(row{"4. HTTP requests before the list shows", valSpread(req),
		fmt.Sprintf("list %s, sign-in %s, refresh %s, me %s", valSpread(r.get("ColdStart/app", "list-requests/op")),
			valSpread(r.get("ColdStart/app", "signin-requests/op")), valSpread(r.get("ColdStart/app", "refresh-requests/op")),
			valSpread(r.get("ColdStart/app", "me-requests/op"))), "", "exactly 1", met(req.ok && req.lo == 1 && req.hi == 1, req.ok)})
	kr := r.get("Keychain", "startup-reads/op")
	add(row{"4./6. keychain reads at start-up", valSpread(kr), "1 entry", ratio(kr, stat{med: 1, ok: true}), "1 read of 1 entry",
		met(kr.ok && kr.hi <= 1, kr.ok)})

	// 5. Large lists.
	one, dec := r.get("LargeList/load/one-response", "ns/op"), r.get("LargeList/decode/encoding-json", "ns/op")
	add(row{"5. 100 000 items, one response: fetch + decode + first frame", msSpread(one), "encoding/json decode alone: " + msSpread(dec),
		ratio(one, dec), "≤ 1.5×", met(one.ok && dec.ok && one.med <= 1.5*dec.med, one.ok && dec.ok)})
	first := r.get("LargeList/load/paged-first-page", "ns/op")
	add(row{"5. pages of 100: first page + first frame", msSpread(first), "encoding/json decode of all: " + msSpread(dec),
		ratio(first, dec), "≤ 1.5×", met(first.ok && dec.ok && first.med <= 1.5*dec.med, first.ok && dec.ok)})
	all := r.get("LargeList/load/paged-all", "ns/op")
	add(row{"5. pages of 100: all 1000 pages + first frame", msSpread(all), "encoding/json decode of all: " + msSpread(dec),
		ratio(all, dec), "(informative)", "—"})
	rc, vis := r.get("LargeListScroll", "rows-created"), r.get("LargeListScroll", "visible-rows")
	add(row{"5. rows created scrolling 5 000 rows of 100 000", valSpread(rc), "visible rows: " + valSpread(vis), ratio(rc, vis),
		"only what is visible (+ recycling pool)", met(rc.ok && vis.ok && rc.hi <= 5*vis.med, rc.ok && vis.ok)})
	rs, idle, js := r.get("LargeListPeakRSS/session", "peak-RSS-MB"), r.get("LargeListPeakRSS/idle", "peak-RSS-MB"),
		r.get("LargeListPeakRSS/encoding-json", "peak-RSS-MB")
	add(row{"5. peak RSS, 100 000 items loaded and shown", valSpread(rs) + " MB",
		fmt.Sprintf("encoding/json: %s MB; idle: %s MB", valSpread(js), valSpread(idle)), ratio(rs, js), "≤ 150 MB",
		met(rs.ok && rs.med <= 150, rs.ok)})

	// 6. Keychain cost.
	add(row{"6. keychain calls per sign-in", fmt.Sprintf("%s reads, %s writes", valSpread(r.get("Keychain", "signin-reads/op")),
		valSpread(r.get("Keychain", "signin-writes/op"))), "1 entry written", "", "1 write", met(r.get("Keychain", "signin-writes/op").med == 1, r.get("Keychain", "signin-writes/op").ok)})
	rw := r.get("Keychain", "refresh-writes/op")
	add(row{"6. keychain calls per refresh", fmt.Sprintf("%s reads, %s writes", valSpread(r.get("Keychain", "refresh-reads/op")), valSpread(rw)),
		"1 entry changed", ratio(rw, stat{med: 1, ok: true}), "writes ≤ entries changed", met(rw.ok && rw.hi <= 1, rw.ok)})
	add(row{"6. keychain latency (gnome-keyring)", fmt.Sprintf("read %s ms, write %s ms", valSpread(r.get("Keychain", "read-ms")),
		valSpread(r.get("Keychain", "write-ms"))), "", "", "(median, reported)", "—"})

	fmt.Fprintln(w, "## Figures")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| Figure | Measured: median [spread] | Baseline (same run) | Ratio | Budget | Met? |")
	fmt.Fprintln(w, "|---|---|---|---:|---|---|")
	for _, x := range rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", x.figure, x.measured, x.baseline, x.ratio, x.budget, x.met)
	}
}

// spreadOf shows a metric reported with its own -min/-max companions (the
// steady-state benchmark runs its sessions side by side in one op).
func spreadOf(r results, name, unit string) string {
	s, lo, hi := r.get(name, unit), r.get(name, unit+"-min"), r.get(name, unit+"-max")
	if !s.ok {
		return "—"
	}
	if !lo.ok || lo.med == hi.med {
		return num(s.med, "")
	}
	return fmt.Sprintf("%s [%s–%s]", num(s.med, ""), num(lo.med, ""), num(hi.med, ""))
}

func callsPerSec(s stat) string {
	if !s.ok {
		return "—"
	}
	return fmt.Sprintf("%.0f/s [%.0f–%.0f]", 1e9/s.med, 1e9/s.hi, 1e9/s.lo)
}
