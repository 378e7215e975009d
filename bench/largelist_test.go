package bench

import (
	"context"
	"encoding/json"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"signet/api"
)

// Figure 5: a 100 000-item list. Rows:
//
//	decode/encoding-json          the baseline: encoding/json decodes the
//	                              whole answer (in memory) into structs
//	                              with the fields the list shows
//	load/one-response             the session fetches the same answer over
//	                              loopback, api decodes it, the rows are
//	                              bound to a widget.List and one frame is
//	                              painted (Fyne's software painter)
//	load/paged-first-page         the same for the first page of 100
//	load/paged-all                all 1000 pages of 100, then the frame
//
// Budget: load/one-response ≤ 1.5 × decode/encoding-json.

// windowSize is the app's window (main.go).
var windowSize = fyne.NewSize(900, 640)

func BenchmarkLargeList(b *testing.B) {
	_, body := bigList()
	b.Run("decode/encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			var page struct {
				Items []struct {
					ID       string `json:"id"`
					Title    string `json:"title"`
					Subtitle string `json:"subtitle"`
				} `json:"items"`
				Total int `json:"total"`
			}
			if err := json.Unmarshal(body, &page); err != nil || len(page.Items) != bigN {
				b.Fatal(err)
			}
		}
	})

	url := bigServer(b)
	ctrl := bigSession(b, url)
	test.NewTempApp(b)
	loads := []struct {
		name string
		load func(context.Context) ([]api.Item, error)
		want int
	}{
		{"one-response", func(ctx context.Context) ([]api.Item, error) { return fetchAll(ctx, ctrl, "All") }, bigN},
		{"paged-first-page", func(ctx context.Context) ([]api.Item, error) {
			p, err := ctrl.FetchList(ctx, "Paged", 0, 0, "")
			return p.Items, err
		}, 100},
		{"paged-all", func(ctx context.Context) ([]api.Item, error) { return fetchAll(ctx, ctrl, "Paged") }, bigN},
	}
	for _, l := range loads {
		b.Run("load/"+l.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)) * int64(l.want) / bigN)
			b.ReportAllocs()
			for b.Loop() {
				items, err := l.load(context.Background())
				if err != nil || len(items) != l.want {
					b.Fatalf("got %d items, err %v", len(items), err)
				}
				list, _ := newItemList(items)
				w := test.NewWindow(list)
				w.Resize(windowSize)
				_ = w.Canvas().Capture() // paints the first frame
				w.Close()
			}
		})
	}
}

// newItemList builds the list the way ui's listView does (widget.NewList, a
// bold title over a subtitle per row) and counts the rows it creates.
func newItemList(items []api.Item) (*widget.List, *atomic.Int64) {
	created := &atomic.Int64{}
	list := widget.NewList(
		func() int { return len(items) },
		func() fyne.CanvasObject {
			created.Add(1)
			title := widget.NewLabel("Title")
			title.TextStyle = fyne.TextStyle{Bold: true}
			title.Truncation = fyne.TextTruncateEllipsis
			sub := widget.NewLabel("Subtitle")
			sub.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(title, sub)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container).Objects
			row[0].(*widget.Label).SetText(items[id].Title)
			row[1].(*widget.Label).SetText(items[id].Subtitle)
		},
	)
	return list, created
}

// Figure 5, scrolling: the list must create rows only for what is visible,
// however far the person scrolls. One op scrolls a 100 000-row list from the
// top through its first scrollRows rows a quarter screen at a time, then to
// the very end and back. rows-created is how many rows the list made; the
// baseline, visible-rows, is how many fit in the window at once.
//
// Fyne recycles rows through a sync.Pool, which the garbage collector may
// empty, so a long scroll creates a few more rows than fit on screen: the
// count grows with collections, never with the rows scrolled past.
const scrollRows = 5_000

func BenchmarkLargeListScroll(b *testing.B) {
	test.NewTempApp(b)
	items := make([]api.Item, bigN)
	for i := range items {
		items[i] = api.Item{ID: "x", Title: "Item number", Subtitle: "Category"}
	}
	var created, visible float64
	b.ReportAllocs()
	for b.Loop() {
		c, v := scrollThrough(items)
		created += float64(c)
		visible = float64(v)
	}
	b.ReportMetric(created/float64(b.N), "rows-created")
	b.ReportMetric(visible, "visible-rows")
}

// scrollThrough scrolls a fresh list as BenchmarkLargeListScroll describes
// and returns the rows created and the rows that fit in the window.
func scrollThrough(items []api.Item) (created int64, visible int) {
	list, n := newItemList(items)
	w := test.NewWindow(list)
	defer w.Close()
	w.Resize(windowSize)
	tmpl, _ := newItemList(items[:1])
	rowH := tmpl.CreateItem().MinSize().Height
	visible = int(list.Size().Height/rowH) + 1
	step := list.Size().Height / 4
	end := scrollRows * rowH
	for y := float32(0); y < end; y += step {
		list.ScrollToOffset(y)
	}
	list.ScrollToBottom()
	list.ScrollToTop()
	return n.Load(), visible
}
