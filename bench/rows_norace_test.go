//go:build !race

package bench

import (
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
)

// Figure 5, rows created: the app's own list (ui.New on a signed-in session
// whose profile has the 100 000-item list) must create rows only for what is
// visible, however far the person scrolls. The rows are counted by wrapping
// the CreateItem of the list widget the app shows (ui.App.ShownList). One
// run scrolls from the top through the first scrollRows rows a quarter
// screen at a time, then to the very end and back; the baseline,
// visible-rows, is how many rows fit in the window at once.
//
// Not under the race detector: it makes sync.Pool drop a share of what is
// put back on purpose, which defeats Fyne's row recycling (the count grows
// with garbage collections, never with the rows scrolled past).

const scrollRows = 5_000

func TestLargeList_CreatesRowsOnlyForWhatIsVisible(t *testing.T) {
	created, visible := scrollRealList(t, bigServer(t))
	// Without recycling, scrolling past 5 000 rows would create thousands;
	// with it, a screenful plus what the pool lost to garbage collection.
	if created < int64(visible) || created > int64(5*visible) {
		t.Errorf("scrolling the app's %d-row list created %d rows; %d fit in the window", bigN, created, visible)
	}
	t.Logf("%d rows created, %d visible", created, visible)
}

func BenchmarkLargeListScroll(b *testing.B) {
	url := bigServer(b)
	var created, visible float64
	for b.Loop() {
		c, v := scrollRealList(b, url)
		created += float64(c)
		visible = float64(v)
	}
	b.ReportMetric(created/float64(b.N), "rows-created")
	b.ReportMetric(visible, "visible-rows")
}

// scrollRealList opens the app's UI on the whole 100 000-item list, scrolls
// it as described above and returns the rows its list created and the rows
// that fit in the window.
func scrollRealList(tb testing.TB, url string) (created int64, visible int) {
	tb.Helper()
	r := openRealList(tb, url, "All")
	list := r.list
	rowH := list.CreateItem().MinSize().Height
	var n atomic.Int64
	createItem := list.CreateItem
	list.CreateItem = func() fyne.CanvasObject { n.Add(1); return createItem() }

	r.waitRows(tb, bigN)
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
