package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"signet/api"
)

// Figure 5, memory: peak RSS of a process that fetches and decodes the
// 100 000-item list (demo item shape, ~34 MB of JSON). Each row runs in a
// child process (this test binary again, TestRSSChild), so the figure holds
// nothing of the parent: not the server, not the other rows. The server
// stays in the parent. Rows:
//
//	idle           the child starts and reports at once (for reference)
//	encoding-json  the baseline: GET with a plain http.Client, decoded by
//	               encoding/json into []demo.Item
//	encoding-json-3-fields  the same into structs of only id, title and
//	               subtitle (informative: a lower bound, no detail view)
//	session        signs in and loads the list as the app does (session,
//	               api: ids, titles, subtitles and each item's raw JSON)
//
// Budget: session ≤ 1.3 × encoding-json. The metric is VmHWM from
// /proc/self/status. scripts/bench.sh runs the rows in turns, so the
// medians are over interleaved pairs.

const rssChildEnv = "SIGNET_BENCH_RSS_CHILD"

func BenchmarkLargeListPeakRSS(b *testing.B) {
	url := bigServer(b)
	for _, mode := range []string{"idle", "encoding-json", "encoding-json-3-fields", "session"} {
		b.Run(mode, func(b *testing.B) {
			var peak float64
			for b.Loop() {
				mb, err := runRSSChild(mode, url)
				if err != nil {
					b.Fatal(err)
				}
				peak = max(peak, mb)
			}
			b.ReportMetric(peak, "peak-RSS-MB")
		})
	}
}

// BenchmarkListWindowRSS: the app's own list screen (ui.NewWithDo in
// Fyne's test driver, software painter; a child process each time) on the
// 100 000-item list in pages of 100: after the first page (one-page, the
// baseline) and after scrolling down until all 1000 pages are loaded
// (all-pages). Metrics: RSS-MB (VmRSS then), peak-RSS-MB. Budget: all-pages
// ≤ 1.5 × one-page.
//
// With SIGNET_BENCH_SETTLED=1 each child also waits as an idle window would
// and reports settled-RSS-MB: 61 s for Fyne's caches to expire (the rows'
// renderers and measured texts live a minute), a frame (whose paint cleans
// them), one collection (what the runtime's forced collection does in an
// idle program within two minutes) and 10 s for the scavenger.
func BenchmarkListWindowRSS(b *testing.B) {
	url := bigServer(b)
	for _, mode := range []string{"one-page", "all-pages"} {
		b.Run(mode, func(b *testing.B) {
			var now, peak, live, settled float64
			for b.Loop() {
				out, err := rssChild("window-"+mode, url)
				if err != nil {
					b.Fatal(err)
				}
				n, err1 := childKB(out, "rss-kb ")
				p, err2 := childKB(out, "peak-rss-kb ")
				h, err3 := childKB(out, "live-heap-kb ")
				if err := errors.Join(err1, err2, err3); err != nil {
					b.Fatal(err)
				}
				now, peak, live = max(now, n/1024), max(peak, p/1024), max(live, h/1024)
				if os.Getenv("SIGNET_BENCH_SETTLED") != "" {
					s, err := childKB(out, "settled-rss-kb ")
					if err != nil {
						b.Fatal(err)
					}
					settled = max(settled, s/1024)
				}
			}
			if settled > 0 {
				b.ReportMetric(settled, "settled-RSS-MB")
			}
			b.ReportMetric(now, "RSS-MB")
			b.ReportMetric(peak, "peak-RSS-MB")
			b.ReportMetric(live, "live-heap-MB")
		})
	}
}

// runRSSChild runs mode in a child and returns its peak RSS in MB.
func runRSSChild(mode, url string) (float64, error) {
	out, err := rssChild(mode, url)
	if err != nil {
		return 0, err
	}
	kb, err := childKB(out, "peak-rss-kb ")
	return kb / 1024, err
}

// rssChild runs TestRSSChild in mode and returns what it printed.
func rssChild(mode, url string) (string, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestRSSChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), rssChildEnv+"="+mode, "SIGNET_BENCH_RSS_URL="+url)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("rss child %s: %v\n%s", mode, err, out)
	}
	return string(out), nil
}

// childKB is the figure after prefix in a child's output.
func childKB(out, prefix string) (float64, error) {
	for line := range strings.Lines(out) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), prefix); ok {
			return strconv.ParseFloat(v, 64)
		}
	}
	return 0, fmt.Errorf("the rss child printed no %q:\n%s", prefix, out)
}

// TestRSSChild is the child of BenchmarkLargeListPeakRSS; on its own it
// skips.
func TestRSSChild(t *testing.T) {
	mode, url := os.Getenv(rssChildEnv), os.Getenv("SIGNET_BENCH_RSS_URL")
	if mode == "" {
		t.Skip("run by BenchmarkLargeListPeakRSS")
	}
	var n int
	var err error
	switch mode {
	case "idle":
		n = bigN
	case "encoding-json":
		n, err = decodeJSON(http.DefaultClient, url+"/bench/all")
	case "encoding-json-3-fields":
		n, err = decodeJSONRows(http.DefaultClient, url+"/bench/all")
	case "session":
		var p api.Page
		p, err = bigSession(t, url).FetchList(context.Background(), "All", 0, 0, "")
		n = len(p.Items)
		defer runtime.KeepAlive(p.Items)
	case "window-one-page", "window-all-pages":
		r := openRealList(t, url, "Paged")
		r.waitRows(t, 100)
		for mode == "window-all-pages" && r.list.Length() < bigN {
			// Drawing the rows near the end makes the list fetch the next
			// page, as a person scrolling down does.
			had := r.list.Length()
			r.list.ScrollToBottom()
			r.loop.runUntil(t, func() bool { return r.list.Length() > had })
		}
		_ = r.win.Canvas().Capture()
		fmt.Printf("rss-kb %d\n", procStatusKB(t, "VmRSS:"))
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Printf("live-heap-kb %d\n", ms.HeapAlloc/1024)
		if os.Getenv("SIGNET_BENCH_SETTLED") != "" {
			time.Sleep(61 * time.Second)
			_ = r.win.Canvas().Capture()
			runtime.GC()
			time.Sleep(10 * time.Second)
			fmt.Printf("settled-rss-kb %d\n", procStatusKB(t, "VmRSS:"))
		}
		if f := os.Getenv("SIGNET_BENCH_HEAP_PROFILE"); f != "" {
			writeHeapProfile(t, f)
		}
		runtime.KeepAlive(r)
		n = bigN
	default:
		t.Fatalf("unknown mode %q", mode)
	}
	if err != nil || n != bigN {
		t.Fatalf("loaded %d items: %v", n, err)
	}
	fmt.Printf("peak-rss-kb %d\n", procStatusKB(t, "VmHWM:"))
}

// procStatusKB is a field of /proc/self/status in kB (VmHWM: the peak
// resident set size; VmRSS: the current one).
func procStatusKB(t *testing.T, field string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status on this system")
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), field); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}

func writeHeapProfile(t *testing.T, path string) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		t.Fatal(err)
	}
}
