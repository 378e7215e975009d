package demo

import (
	"reflect"
	"strings"
	"testing"
)

func TestCatalog_IsDeterministic(t *testing.T) {
	a, b := Catalog(), Catalog()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two calls gave different catalogs")
	}
	// Pinned so that a change of generator (which would break other
	// packages' assertions on titles) is a deliberate one.
	if a[0].Title != "The Northern Tide" || a[1].Title != "Fjellby Essential Monitor Arm" {
		t.Errorf("first titles %q, %q changed", a[0].Title, a[1].Title)
	}
}

func TestCatalog_ItemsAreUniqueAndComplete(t *testing.T) {
	items := Catalog()
	if len(items) != CatalogSize {
		t.Fatalf("%d items, want %d", len(items), CatalogSize)
	}
	ids, titles := map[string]bool{}, map[string]bool{}
	books := 0
	for _, it := range items {
		if ids[it.ID] || titles[it.Title] {
			t.Errorf("duplicate id or title: %s %q", it.ID, it.Title)
		}
		ids[it.ID], titles[it.Title] = true, true
		if it.Subtitle == "" || it.Category == "" || it.Price <= 0 || len(it.Tags) == 0 ||
			it.UpdatedAt.IsZero() || it.Description == "" || it.Currency == "" {
			t.Errorf("item %s is incomplete: %+v", it.ID, it)
		}
		if it.Rating < 3 || it.Rating > 5 {
			t.Errorf("item %s rated %v", it.ID, it.Rating)
		}
		if strings.HasPrefix(it.Title, "A A") || strings.HasPrefix(it.Title, "A E") ||
			strings.HasPrefix(it.Title, "A I") || strings.HasPrefix(it.Title, "A O") {
			t.Errorf("title %q has the wrong article", it.Title)
		}
		if strings.HasPrefix(it.Category, "Books") {
			books++
		}
	}
	if books != CatalogSize*2/5 {
		t.Errorf("%d books, want two in five", books)
	}
}
