// Command report reads `go test -bench` output (and the cold-start
// harness's lines, which use the same format) on stdin and prints, in
// Markdown, every benchmark's metrics as median and spread over the runs,
// then the table of the figures: each against its baseline from the same
// input (the medians of both, over the same interleaved runs), as a ratio,
// with its budget and whether it is met.
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
	coalescingRows(r, add)
	steadyStateRows(r, add)
	overheadRows(r, add)
	coldStartRows(r, add)
	largeListsRows(r, add)
	keychainRows(r, add)

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
