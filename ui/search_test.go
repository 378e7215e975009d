package ui

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"signet/api"
	"signet/demo"
)

func TestSearch_FiltersWhatIsLoadedWithoutAskingTheServer(t *testing.T) {
	s := newFakeSession(signedIn())
	s.profile.Lists[0].SearchParam = "" // the server can't search
	rows := items(0, 5)
	rows[3].Raw = json.RawMessage(`{"category":"Garden tools"}`)
	s.setFetch(func(ctx context.Context, _ string, offset, _ int) (api.Page, error) {
		if offset > 0 { // the next page never comes: only 5 of 40 are loaded
			<-ctx.Done()
			return api.Page{}, ctx.Err()
		}
		return api.Page{Items: rows, Total: 40}, nil
	})
	h := newHarness(t, s, Options{})
	// A server search would be planned through after; none may be.
	var planned int
	h.ui.after = func(time.Duration, func()) func() bool {
		planned++
		return func() bool { return true }
	}
	v := h.view()
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) })

	test.Type(v.search, "GARDEN")
	if v.list.Length() != 1 || v.m.items.at(v.m.shown[0]).ID != "3" {
		t.Errorf("search by a field of the item: %d rows", v.list.Length())
	}
	if got, want := mutedText(v.count), "1 shown · 5 of 40 loaded"; got != want {
		t.Errorf("count %q, want %q", got, want)
	}
	v.search.SetText("subtitle 2")
	if v.list.Length() != 1 || v.m.items.at(v.m.shown[0]).ID != "2" {
		t.Errorf("search by subtitle: %d rows", v.list.Length())
	}
	v.search.SetText("no such thing")
	if !shows(v, v.emptyView) || mutedText(v.emptyLabel) != "No matches for “no such thing”" {
		t.Errorf("no match: empty view %v, %q", shows(v, v.emptyView), mutedText(v.emptyLabel))
	}
	// Escape clears the box and every row is back.
	v.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if v.search.Text != "" || v.list.Length() != 5 || mutedText(v.count) != "5 of 40" {
		t.Errorf("after Escape: search %q, %d rows, count %q", v.search.Text, v.list.Length(), mutedText(v.count))
	}
	h.q.runPending()
	// Scrolling may fetch the next page meanwhile (the list prefetches);
	// what matters is that no fetch asked the server to search.
	if terms := s.searchTerms(); len(terms) > 0 || planned > 0 {
		t.Errorf("a local search asked the server for %q (%d searches planned)", terms, planned)
	}
}

func TestSearch_AsksTheServerWhenTheProfileHasASearchParameter(t *testing.T) {
	s := newRealSession(t, demo.Config{})
	h := newHarness(t, s, Options{})
	h.ui.searchDelay = 0
	h.waitFor("the sign-in form", h.onSignIn)
	h.signIn(demo.DemoUsername, demo.DemoPassword)
	h.waitFor("the list screen", h.onList)
	v := h.view()
	h.waitFor("the first page", func() bool { return shows(v, v.itemsView) && !v.m.loading })

	// Ctrl+F puts the cursor in the search box.
	h.win.Canvas().(fyne.Shortcutable).TypedShortcut(searchShortcut)
	if h.focused() != v.search {
		t.Fatalf("Ctrl+F focused %T, want the search box", h.focused())
	}
	test.Type(v.search, "books")
	h.waitFor("the server's answer", func() bool { return v.m.itemsTerm == "books" && !v.m.loading })
	if got, want := mutedText(v.count), "100 of 120 matches"; got != want {
		t.Errorf("count %q, want %q (the demo has 120 books)", got, want)
	}
	// Matches past the first page come from the server too.
	v.list.ScrollToBottom()
	h.waitFor("the rest of the matches", func() bool { return v.m.loaded() == 120 && !v.m.loading })
	if !v.m.complete {
		t.Error("all 120 matches loaded but the list is not complete")
	}
}
