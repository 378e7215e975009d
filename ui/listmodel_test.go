package ui

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"signet/api"
)

var modelNow = time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)

func pagedSpec(size int) api.ListSpec {
	return api.ListSpec{Name: "Items", Paging: api.Paging{Style: api.PagingOffset, PageSize: size}}
}

func TestListModel_PagesUntilTheTotalIsLoaded(t *testing.T) {
	m := newListModel(pagedSpec(2))
	r := m.begin(true, "")
	if r.offset != 0 || r.limit != 2 || !m.loading {
		t.Fatalf("first request %+v loading=%v", r, m.loading)
	}
	m.accept(r, api.Page{Items: items(0, 2), Total: 3}, modelNow)
	if m.complete || !m.canLoadMore() || m.countText() != "2 of 3" {
		t.Fatalf("after page 0: complete=%v canLoadMore=%v count %q", m.complete, m.canLoadMore(), m.countText())
	}
	r = m.begin(false, "")
	if r.offset != 2 || m.canLoadMore() {
		t.Fatalf("second request %+v; canLoadMore while loading=%v", r, m.canLoadMore())
	}
	m.accept(r, api.Page{Items: items(2, 1), Total: 3}, modelNow)
	if !m.complete || m.canLoadMore() || len(m.shown) != 3 || m.loadedAt != modelNow {
		t.Errorf("after the last page: complete=%v shown=%d loadedAt=%v", m.complete, len(m.shown), m.loadedAt)
	}
}

func TestListModel_WithoutATotalAShortPageIsTheLast(t *testing.T) {
	m := newListModel(pagedSpec(2))
	m.accept(m.begin(true, ""), api.Page{Items: items(0, 2), Total: -1}, modelNow)
	if m.complete {
		t.Fatal("a full page without a total ended the list")
	}
	m.accept(m.begin(false, ""), api.Page{Items: items(2, 1), Total: -1}, modelNow)
	if !m.complete || m.total != -1 {
		t.Errorf("short page: complete=%v total=%d", m.complete, m.total)
	}
}

func TestListModel_UnpagedListAsksForEverythingOnce(t *testing.T) {
	m := newListModel(api.ListSpec{Name: "All"})
	r := m.begin(true, "")
	if r.limit != 0 || m.pageSize != api.DefaultPageSize {
		t.Fatalf("limit %d pageSize %d", r.limit, m.pageSize)
	}
	m.accept(r, api.Page{Items: items(0, 5), Total: -1}, modelNow)
	if !m.complete {
		t.Error("an unpaged list is not complete after its one answer")
	}
}

func TestListModel_StaleAnswersAreRecognised(t *testing.T) {
	m := newListModel(pagedSpec(2))
	old := m.begin(true, "")
	m.startReload()
	if !m.stale(old) {
		t.Error("an answer from before a reload is not stale")
	}
	r := m.begin(true, "")
	m.accept(r, api.Page{Items: items(0, 2), Total: 10}, modelNow)
	more := m.begin(false, "")
	m.forget()
	if !m.stale(more) {
		t.Error("a next page after the rows were forgotten is not stale")
	}
}

func TestListModel_FailuresShowWhereTheyHappened(t *testing.T) {
	boom := errors.New("boom")
	m := newListModel(pagedSpec(2))
	if f := m.fail(m.begin(true, ""), context.Canceled); f != failIgnored {
		t.Errorf("cancelled: %v", f)
	}
	if f := m.fail(m.begin(true, ""), boom); f != failFirst || m.loading {
		t.Errorf("first page: %v loading=%v", f, m.loading)
	}
	m.accept(m.begin(true, ""), api.Page{Items: items(0, 2), Total: 4}, modelNow)
	if f := m.fail(m.begin(false, ""), boom); f != failMore || m.canLoadMore() {
		t.Errorf("next page: %v canLoadMore=%v", f, m.canLoadMore())
	}
	if lead, err := m.footerErr(); lead != "Couldn't load more: " || err != boom {
		t.Errorf("footer %q %v", lead, err)
	}
	if f := m.fail(m.begin(true, ""), boom); f != failOverRows || len(m.shown) != 2 {
		t.Errorf("reload over rows: %v, %d rows kept", f, len(m.shown))
	}
	if lead, _ := m.footerErr(); lead != "Couldn't update the list: " {
		t.Errorf("footer lead %q", lead)
	}
	m.accept(m.begin(true, ""), api.Page{Items: items(0, 2), Total: 4}, modelNow)
	if m.reloadErr != nil {
		t.Error("a page that arrived kept the reload's failure")
	}
}

func TestListModel_LocalFilterUntilTheServerAnswers(t *testing.T) {
	spec := pagedSpec(100)
	spec.SearchParam = "q"
	m := newListModel(spec)
	m.accept(m.begin(true, ""), api.Page{Items: []api.Item{
		{ID: "1", Title: "Sea Books"}, {ID: "2", Title: "Garden tools"}, {ID: "3", Title: "books of the sea"},
	}, Total: 3}, modelNow)
	if !m.setTerm("  BOOKS sea ") || m.setTerm("BOOKS sea") {
		t.Fatal("setTerm does not report changes of the normalised term")
	}
	m.filter()
	ids := func() (out []string) {
		for i := range m.shown {
			it, _ := m.row(i)
			out = append(out, it.ID)
		}
		return out
	}
	if !slices.Equal(ids(), []string{"1", "3"}) || !m.awaitingServerSearch() || !m.needsSearch() {
		t.Fatalf("local filter %v awaiting=%v", ids(), m.awaitingServerSearch())
	}
	if m.countText() != "2 shown · 3 of 3 loaded" || m.nearEnd(0) {
		t.Errorf("count %q; nearEnd while awaiting the server %v", m.countText(), m.nearEnd(0))
	}
	r := m.begin(true, m.wantedTerm())
	m.accept(r, api.Page{Items: items(0, 4), Total: 4}, modelNow)
	if m.itemsTerm != "BOOKS sea" || len(m.shown) != 4 || m.countText() != "4 of 4 matches" {
		t.Errorf("server answer: term %q shown %d count %q", m.itemsTerm, len(m.shown), m.countText())
	}
	if m.emptyText() != "No matches for “BOOKS sea”" {
		t.Errorf("empty text %q", m.emptyText())
	}
}

func TestListModel_SearchOnItsOwnPathIsServerSearch(t *testing.T) {
	spec := pagedSpec(10)
	spec.Search = &api.SearchSpec{Path: "/products/search"}
	m := newListModel(spec)
	m.setTerm("phone")
	if m.wantedTerm() != "phone" {
		t.Errorf("a list with a search path does not send the term: %q", m.wantedTerm())
	}
	if newListModel(pagedSpec(10)).serverSearch {
		t.Error("a list without any search is searched on the server")
	}
}

func TestListModel_ScrollTargetLoadsEnoughRowsFirst(t *testing.T) {
	m := newListModel(pagedSpec(10))
	m.restoreScroll = 500 // rows of 50 in a 100 tall viewport: 14 rows needed
	m.accept(m.begin(true, ""), api.Page{Items: items(0, 10), Total: 30}, modelNow)
	if _, ok, more := m.scrollTarget(100, 50); ok || !more {
		t.Fatalf("with 10 rows: ok=%v more=%v, want more first", ok, more)
	}
	m.accept(m.begin(false, ""), api.Page{Items: items(10, 10), Total: 30}, modelNow)
	off, ok, more := m.scrollTarget(100, 50)
	if !ok || more || off != 500 || m.restoreScroll != 0 {
		t.Errorf("with 20 rows: offset %v ok=%v more=%v left %v", off, ok, more, m.restoreScroll)
	}
	if _, ok, more := m.scrollTarget(100, 50); ok || more {
		t.Error("a restored offset is restored twice")
	}
}
