package main

import (
	"fmt"
	"strings"
)

// ratio is a/b as "1.23×", or "—" when either is missing.
func ratio(a, b stat) string {
	if !a.ok || !b.ok || b.med == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f×", a.med/b.med)
}

// coalescingRows adds the rows of figure 1. Refresh coalescing.
func coalescingRows(r results, add func(row)) {
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
}

// steadyStateRows adds the rows of figure 2. Steady state.
func steadyStateRows(r results, add func(row)) {
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
	rl := "RenewalLatency"
	p99, med := r.get(rl, "p99-renewal-ms"), r.get(rl, "median-ms")
	add(row{"2. p99 latency of calls at a renewal (5 s tokens, 4 callers polling every 5 ms, the server in another process)",
		fmt.Sprintf("%s ms (max %s ms; %s calls at %s renewals, %s 401s)", valSpread(p99), valSpread(r.get(rl, "max-renewal-ms")),
			valSpread(r.get(rl, "renewal-calls/op")), valSpread(r.get(rl, "renewals/op")), valSpread(r.get(rl, "401s/op"))),
		fmt.Sprintf("median of all calls: %s ms (p99 of the others: %s ms)", valSpread(med), valSpread(r.get(rl, "p99-other-ms"))), ratio(p99, med), "≤ 3×", met(p99.med <= 3*med.med, p99.ok && med.ok)})
	wt := r.get(rl, "waited/op")
	add(row{"2. calls that waited for a renewal (took ≥ half the 50 ms refresh)", valSpread(wt) + " per run",
		"calls at a renewal: " + valSpread(r.get(rl, "renewal-calls/op")), "", "0", met(wt.ok && wt.hi == 0, wt.ok)})
}

// overheadRows adds the rows of figure 3. Transport overhead: calls/s
// against raw net/http, allocations against x/oauth2's.
func overheadRows(r results, add func(row)) {
	for _, mode := range []string{"serial", "parallel (8 callers)"} {
		p := "TransportOverhead/" + strings.Fields(mode)[0] + "/"
		raw, o2, se := r.get(p+"raw", "ns/op"), r.get(p+"oauth2", "ns/op"), r.get(p+"session", "ns/op")
		rh := r.get(p+"raw-bearer", "ns/op")
		ra, oa, sa := r.get(p+"raw", "allocs/op"), r.get(p+"oauth2", "allocs/op"), r.get(p+"session", "allocs/op")
		add(row{"3. calls/s through the session, " + mode, callsPerSec(se),
			fmt.Sprintf("raw net/http: %s; raw with the same bearer header set by the caller: %s (%s of raw; session %s of it); x/oauth2: %s (%s of raw)",
				callsPerSec(raw), callsPerSec(rh), ratio(raw, rh), ratio(rh, se), callsPerSec(o2), ratio(raw, o2)),
			ratio(raw, se), "≥ 0.97× raw", met(se.ok && raw.ok && raw.med/se.med >= 0.97, se.ok && raw.ok)})
		add(row{"3. allocations per call added to raw's, " + mode,
			fmt.Sprintf("session +%s (%s B)", num(sa.med-ra.med, ""), num(r.get(p+"session", "B/op").med-r.get(p+"raw", "B/op").med, "")),
			fmt.Sprintf("x/oauth2 +%s (%s B); the bearer header alone (raw-bearer) +%s; raw %s", num(oa.med-ra.med, ""),
				num(r.get(p+"oauth2", "B/op").med-r.get(p+"raw", "B/op").med, ""), num(r.get(p+"raw-bearer", "allocs/op").med-ra.med, ""), num(ra.med, "")),
			"", "≤ x/oauth2's + 2", met(sa.med <= oa.med+2, sa.ok && oa.ok && ra.ok)})
	}
}

// coldStartRows adds the rows of figure 4. Cold start, frame to frame, and the idle window.
func coldStartRows(r results, add func(row)) {
	app, bare := r.get("ColdStart/app", "ns/op"), r.get("ColdStart/bare", "ns/op")
	add(row{"4. exec → first frame with rows (X server)", fmt.Sprintf("%s, frame no. %s (window mapped at %s ms, its first frame at %s ms)", msSpread(app),
		valSpread(r.get("ColdStart/app", "frame-no/op")), valSpread(r.get("ColdStart/app", "mapped-ms")), valSpread(r.get("ColdStart/app", "first-frame-ms"))),
		fmt.Sprintf("bare window, exec → first frame: %s, frame no. %s (mapped at %s ms)", msSpread(bare),
			valSpread(r.get("ColdStart/bare", "frame-no/op")), valSpread(r.get("ColdStart/bare", "mapped-ms"))),
		ratio(app, bare), "≤ 1.2×", met(app.ok && bare.ok && app.med <= 1.2*bare.med, app.ok && bare.ok)})
	req := r.get("ColdStart/app", "requests/op")
	add(row{"4. HTTP requests before the rows show", valSpread(req),
		fmt.Sprintf("list %s, sign-in %s, refresh %s, me %s", valSpread(r.get("ColdStart/app", "list-requests/op")),
			valSpread(r.get("ColdStart/app", "signin-requests/op")), valSpread(r.get("ColdStart/app", "refresh-requests/op")),
			valSpread(r.get("ColdStart/app", "me-requests/op"))), "", "exactly 1", met(req.ok && req.lo == 1 && req.hi == 1, req.ok)})
	kr := r.get("Keychain", "startup-reads/op")
	add(row{"4./6. keychain reads at start-up", valSpread(kr), "1 entry", ratio(kr, stat{med: 1, ok: true}), "1 read of 1 entry",
		met(kr.ok && kr.hi <= 1, kr.ok)})
	idleFig := func(side, unit string) string {
		return fmt.Sprintf("%s over %s s (windows: %s)", num(r.get("IdleTotal/"+side, unit).med, ""),
			num(r.get("IdleTotal/"+side, "seconds/op").med, ""), valSpread(r.get("Idle/"+side, unit)))
	}
	ic, bc := r.get("IdleTotal/app", "cpu-%/op"), r.get("IdleTotal/bare", "cpu-%/op")
	add(row{"4. idle CPU, signed-in window with the list (% of a core)", idleFig("app", "cpu-%/op"), "bare window: " + idleFig("bare", "cpu-%/op"),
		fmt.Sprintf("%+.2f points", ic.med-bc.med), "≤ bare + 0.5 points", met(ic.med <= bc.med+0.5, ic.ok && bc.ok)})
	iff := r.get("IdleTotal/app", "frames/op")
	add(row{"4. idle frames/s, signed-in window", idleFig("app", "frames/s"), "bare window: " + idleFig("bare", "frames/s"), "",
		"0 while nothing changes", met(iff.ok && iff.hi == 0, iff.ok)})
	ir, br := r.get("Idle/app", "RSS-MB"), r.get("Idle/bare", "RSS-MB")
	add(row{"4. RSS, signed-in window (idle)", valSpread(ir) + " MB", "bare window: " + valSpread(br) + " MB", ratio(ir, br), "(reported)", "—"})
	as, bs := r.get("BinarySize/app", "bytes"), r.get("BinarySize/bare", "bytes")
	mb := func(s stat) string {
		if !s.ok {
			return "—"
		}
		return fmt.Sprintf("%.1f MB", s.med/1e6)
	}
	add(row{"4. binary size (go build -trimpath)", mb(as), "bare Fyne binary: " + mb(bs),
		ratio(as, bs), "(reported)", "—"})
}

// largeListsRows adds the rows of figure 5. Large lists: like with like.
func largeListsRows(r results, add func(row)) {
	for _, k := range []struct{ name, what string }{
		{"decode", "decode of the same bytes (in memory)"}, {"fetch", "fetch over loopback + decode"},
	} {
		sg, js := r.get("LargeList/"+k.name+"/signet", "ns/op"), r.get("LargeList/"+k.name+"/encoding-json", "ns/op")
		base := "encoding/json into []demo.Item: " + msSpread(js)
		if j3 := r.get("LargeList/"+k.name+"/encoding-json-3-fields", "ns/op"); j3.ok {
			base += fmt.Sprintf("; into 3-field rows: %s (%s)", msSpread(j3), ratio(sg, j3))
		}
		add(row{"5. 100 000 items, " + k.what, msSpread(sg), base, ratio(sg, js), "≤ 1.5×", met(sg.med <= 1.5*js.med, sg.ok && js.ok)})
	}
	rc, vis := r.get("LargeListScroll", "rows-created"), r.get("LargeListScroll", "visible-rows")
	add(row{"5. rows the app's list created scrolling 5 000 of 100 000", valSpread(rc), "visible rows: " + valSpread(vis), ratio(rc, vis),
		"only what is visible (+ recycling pool)", met(rc.ok && vis.ok && rc.hi <= 5*vis.med, rc.ok && vis.ok)})
	rs, idle, js := r.get("LargeListPeakRSS/session", "peak-RSS-MB"), r.get("LargeListPeakRSS/idle", "peak-RSS-MB"),
		r.get("LargeListPeakRSS/encoding-json", "peak-RSS-MB")
	add(row{"5. peak RSS, fetch + decode of 100 000 items", valSpread(rs) + " MB",
		fmt.Sprintf("encoding/json into []demo.Item: %s MB; into 3-field rows: %s MB (%s); process idle: %s MB", valSpread(js),
			valSpread(r.get("LargeListPeakRSS/encoding-json-3-fields", "peak-RSS-MB")),
			ratio(rs, r.get("LargeListPeakRSS/encoding-json-3-fields", "peak-RSS-MB")), valSpread(idle)), ratio(rs, js), "≤ 1.3×",
		met(rs.med <= 1.3*js.med, rs.ok && js.ok)})

	wa, w1 := r.get("ListWindowRSS/all-pages", "RSS-MB"), r.get("ListWindowRSS/one-page", "RSS-MB")
	add(row{"5. RSS of the app's list screen after scrolling through 100 000 items (pages of 100)",
		fmt.Sprintf("%s MB (live Go heap: %s MB)", valSpread(wa), valSpread(r.get("ListWindowRSS/all-pages", "live-heap-MB"))),
		fmt.Sprintf("the same after one page: %s MB (live heap: %s MB)", valSpread(w1), valSpread(r.get("ListWindowRSS/one-page", "live-heap-MB"))),
		ratio(wa, w1), "≤ 1.5×", met(wa.med <= 1.5*w1.med, wa.ok && w1.ok)})
	sa, s1 := r.get("ListWindowRSS/all-pages", "settled-RSS-MB"), r.get("ListWindowRSS/one-page", "settled-RSS-MB")
	add(row{"5. the same, settled (61 s idle: Fyne's one-minute caches expired, one collection, 10 s for the scavenger)",
		valSpread(sa) + " MB", "the same after one page, settled: " + valSpread(s1) + " MB",
		ratio(sa, s1), "≤ 1.5×", met(sa.med <= 1.5*s1.med, sa.ok && s1.ok)})
}

// keychainRows adds the rows of figure 6. Keychain cost.
func keychainRows(r results, add func(row)) {
	add(row{"6. keychain calls per sign-in", fmt.Sprintf("%s reads, %s writes", valSpread(r.get("Keychain", "signin-reads/op")),
		valSpread(r.get("Keychain", "signin-writes/op"))), "1 entry written", "", "1 write", met(r.get("Keychain", "signin-writes/op").med == 1, r.get("Keychain", "signin-writes/op").ok)})
	rw := r.get("Keychain", "refresh-writes/op")
	add(row{"6. keychain calls per refresh", fmt.Sprintf("%s reads, %s writes", valSpread(r.get("Keychain", "refresh-reads/op")), valSpread(rw)),
		"1 entry changed", ratio(rw, stat{med: 1, ok: true}), "writes ≤ entries changed", met(rw.ok && rw.hi <= 1, rw.ok)})
	add(row{"6. keychain latency (gnome-keyring)", fmt.Sprintf("read %s ms, write %s ms", valSpread(r.get("Keychain", "read-ms")),
		valSpread(r.get("Keychain", "write-ms"))), "", "", "(median, reported)", "—"})
}
