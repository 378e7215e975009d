package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// Figure 5, memory: peak RSS of a process that loads the 100 000-item list.
// Each row runs in a child process (this test binary again, TestRSSChild),
// so the figure holds nothing of the parent: not the server, not the other
// rows. The server stays in the parent. Rows:
//
//	idle           the baseline: the child starts and reports at once
//	encoding-json  fetches the list with http.Get and decodes it with
//	               encoding/json into id/title/subtitle structs
//	session        signs in and loads the list as the app does (session,
//	               api, a widget.List in a window, one frame painted)
//
// Budget: session ≤ 150 MB. The metric is VmHWM from /proc/self/status.

const rssChildEnv = "SIGNET_BENCH_RSS_CHILD"

func BenchmarkLargeListPeakRSS(b *testing.B) {
	url := bigServer(b)
	for _, mode := range []string{"idle", "encoding-json", "session"} {
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

func runRSSChild(mode, url string) (float64, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestRSSChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), rssChildEnv+"="+mode, "SIGNET_BENCH_RSS_URL="+url)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("rss child %s: %v\n%s", mode, err, out)
	}
	for line := range strings.Lines(string(out)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "peak-rss-kb "); ok {
			kb, err := strconv.ParseFloat(v, 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("rss child %s printed no figure:\n%s", mode, out)
}

// TestRSSChild is the child of BenchmarkLargeListPeakRSS; on its own it
// skips.
func TestRSSChild(t *testing.T) {
	mode, url := os.Getenv(rssChildEnv), os.Getenv("SIGNET_BENCH_RSS_URL")
	if mode == "" {
		t.Skip("run by BenchmarkLargeListPeakRSS")
	}
	switch mode {
	case "idle":
	case "encoding-json":
		req, _ := http.NewRequest(http.MethodGet, url+"/bench/all", nil)
		req.Header.Set("Authorization", "Bearer x")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Items []struct {
				ID       string `json:"id"`
				Title    string `json:"title"`
				Subtitle string `json:"subtitle"`
			} `json:"items"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || len(page.Items) != bigN {
			t.Fatalf("decoded %d items: %v", len(page.Items), err)
		}
		defer func() { _ = page.Items[0] }()
	case "session":
		test.NewTempApp(t)
		ctrl := bigSession(t, url)
		items, err := fetchAll(context.Background(), ctrl, "All")
		if err != nil || len(items) != bigN {
			t.Fatalf("loaded %d items: %v", len(items), err)
		}
		list, _ := newItemList(items)
		w := test.NewWindow(list)
		w.Resize(windowSize)
		_ = w.Canvas().Capture()
		defer w.Close()
	default:
		t.Fatalf("unknown mode %q", mode)
	}
	fmt.Printf("peak-rss-kb %d\n", vmHWM(t))
}

// vmHWM is the process's peak resident set size in kB.
func vmHWM(t *testing.T) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status on this system")
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb
		}
	}
	t.Fatal("no VmHWM in /proc/self/status")
	return 0
}
