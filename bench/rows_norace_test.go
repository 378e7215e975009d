//go:build !race

package bench

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"signet/api"
)

// Not under the race detector: it makes sync.Pool drop a share of what is
// put back on purpose, so Fyne's row recycling (a sync.Pool) is defeated
// and the count says nothing about the list.

func TestLargeList_CreatesRowsOnlyForWhatIsVisible(t *testing.T) {
	test.NewTempApp(t)
	items := make([]api.Item, bigN)
	for i := range items {
		items[i] = api.Item{ID: "x", Title: "Item number", Subtitle: "Category"}
	}
	created, visible := scrollThrough(items)
	// Without recycling, scrolling past 5 000 rows would create thousands;
	// with it, a screenful plus what the pool lost to garbage collection.
	if created < int64(visible) || created > int64(5*visible) {
		t.Errorf("scrolling a %d-row list created %d rows; %d fit in the window", bigN, created, visible)
	}
	t.Logf("%d rows created, %d visible", created, visible)
}
