package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"signet/api"
)

// listModel is one list's state apart from its widgets: the pages loaded,
// the search, which rows the filter lets through, whether more is needed,
// and the generation that tells a stale answer from the latest. It has no
// Fyne in it; the listView shows it and is the only one to change it, on the
// UI goroutine.
type listModel struct {
	// pageSize is what each fetch asks for; paged is false when the list
	// comes in one piece. serverSearch: the profile names a search for the
	// list, so a search asks the server too.
	pageSize     int
	paged        bool
	serverSearch bool

	// gen counts reloads and searches: a fetch result from an older
	// generation (a previous reload or search, or a closed view) is dropped
	// on arrival.
	gen      int
	items    *itemStore
	hay      []string // haystack(items.at(i)), filled as a local search needs it
	shown    []int    // indexes into items of the rows on screen
	total    int      // -1: the server does not say
	loading  bool     // a fetch is in flight
	complete bool     // every item is loaded
	moreErr  error
	// reloadErr: the last reload or search failed while rows were on
	// screen; they stay, and the footer says what went wrong.
	reloadErr error
	loadedAt  time.Time // when the first page last arrived
	// term is what the search box holds; itemsTerm is the term items were
	// fetched with (always "" without server-side search). While they
	// differ, the loaded rows are filtered here.
	term, itemsTerm string
	// restoreScroll is a scroll offset from the last run still to be
	// reached (0: none); restoring may need more pages first.
	restoreScroll float32
	selectedID    string // the item in the detail pane; "" when closed
}

func newListModel(spec api.ListSpec) *listModel {
	m := &listModel{total: -1, pageSize: spec.Paging.PageSize}
	if m.pageSize <= 0 {
		m.pageSize = api.DefaultPageSize
	}
	m.items = newItemStore(m.pageSize)
	m.paged = spec.Paging.Style != "" && spec.Paging.Style != api.PagingNone
	m.serverSearch = spec.SearchParam != "" || spec.Search != nil
	return m
}

// newGeneration makes every answer in flight stale.
func (m *listModel) newGeneration() {
	m.gen++
	m.loading = false
}

// startReload clears what a reload retries; the rows stay until the new
// ones arrive.
func (m *listModel) startReload() {
	m.newGeneration()
	m.complete, m.moreErr, m.reloadErr = false, nil, nil
	if m.loaded() == 0 {
		m.total = -1
	}
}

// loaded is how many items are loaded.
func (m *listModel) loaded() int { return m.items.len() }

// forget drops every loaded row.
func (m *listModel) forget() {
	m.newGeneration()
	m.items.reset()
	m.hay, m.shown, m.total = nil, nil, -1
	m.complete, m.moreErr, m.reloadErr = false, nil, nil
}

// canLoadMore reports whether the next page should be fetched: none is on
// its way, not everything is here, and the last attempt did not fail (the
// person retries that by hand, so a broken server is not asked again at
// every scroll).
func (m *listModel) canLoadMore() bool {
	return !m.loading && !m.complete && m.moreErr == nil && m.loaded() > 0
}

// request is one fetch to make: the page after what is loaded, or with
// replace the first page for term.
type request struct {
	gen, offset, limit int
	replace            bool
	term               string
}

// begin marks a fetch in flight and says what to ask for.
func (m *listModel) begin(replace bool, term string) request {
	m.loading = true
	r := request{gen: m.gen, offset: m.loaded(), limit: m.pageSize, replace: replace, term: term}
	if replace {
		r.offset = 0
	}
	if !m.paged {
		r.limit = 0
	}
	return r
}

// stale reports whether the answer to r no longer fits: a reload or a newer
// search came since, or the rows it follows on from are gone.
func (m *listModel) stale(r request) bool {
	return r.gen != m.gen || (!r.replace && r.offset != m.loaded())
}

// failure is where a failed fetch shows.
type failure int

const (
	failNone     failure = iota
	failIgnored          // cancelled: nobody waits for it
	failOverRows         // a reload or search failed; the rows stay
	failFirst            // the first page failed; the error view shows
	failMore             // a further page failed; the footer says so
)

// fail records a failed fetch (not stale) and says where it shows.
func (m *listModel) fail(r request, err error) failure {
	m.loading = false
	switch {
	case errors.Is(err, context.Canceled):
		return failIgnored
	case r.offset == 0 && m.loaded() > 0:
		m.reloadErr = err
		return failOverRows
	case r.offset == 0:
		m.shown = nil
		return failFirst
	}
	m.moreErr = err
	return failMore
}

// accept adds the page answering r (not stale), loaded at now.
func (m *listModel) accept(r request, page api.Page, now time.Time) {
	m.loading = false
	m.reloadErr = nil
	if r.offset == 0 {
		m.items.reset()
		m.hay, m.shown = nil, m.shown[:0]
		m.itemsTerm = r.term
		m.loadedAt = now
	}
	m.items.add(page.Items)
	if page.Total >= 0 {
		m.total = page.Total
	} else if r.offset == 0 {
		m.total = -1
	}
	switch {
	case !m.paged, len(page.Items) == 0:
		m.complete = true
	case m.total >= 0:
		m.complete = m.loaded() >= m.total
	default:
		m.complete = len(page.Items) < m.pageSize
	}
	m.filter()
}

// filteringLocally reports whether the rows on screen are the loaded ones
// filtered here, rather than what the server answered for the search.
func (m *listModel) filteringLocally() bool { return m.term != m.itemsTerm }

// awaitingServerSearch reports whether the rows are filtered here only until
// the server answers the search; more pages of the old rows would be wasted.
// A list the server can't search is filtered here for good, and scrolling
// loads more of it as usual (the matches grow as pages arrive).
func (m *listModel) awaitingServerSearch() bool { return m.serverSearch && m.filteringLocally() }

// wantedTerm is the search to send to the server: the box's, when the list
// can be searched there.
func (m *listModel) wantedTerm() string {
	if m.serverSearch {
		return m.term
	}
	return ""
}

// setTerm takes the search box's text; it reports whether the term changed.
func (m *listModel) setTerm(text string) bool {
	term := normalizeSearch(text)
	if term == m.term {
		return false
	}
	m.term = term
	return true
}

// needsSearch reports whether the server has still to be asked for the
// term: it differs from the rows' and no answer for it is on its way.
func (m *listModel) needsSearch() bool { return m.term != m.itemsTerm || m.loading }

// filter works out the rows on screen from what is loaded and the term.
func (m *listModel) filter() {
	m.shown = m.shown[:0]
	if !m.filteringLocally() {
		for i := range m.loaded() {
			m.shown = append(m.shown, i)
		}
		return
	}
	words := strings.Fields(strings.ToLower(m.term))
	for len(m.hay) < m.loaded() {
		m.hay = append(m.hay, haystack(m.items.at(len(m.hay))))
	}
	for i, h := range m.hay {
		if containsAll(h, words) {
			m.shown = append(m.shown, i)
		}
	}
}

func containsAll(h string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(h, w) {
			return false
		}
	}
	return true
}

// row is the item on screen at row id, if there is one.
func (m *listModel) row(id int) (api.Item, bool) {
	if id < 0 || id >= len(m.shown) {
		return api.Item{}, false
	}
	return m.items.at(m.shown[id]), true
}

// nearEnd reports whether row id is close enough to the end that the next
// page should be on its way.
func (m *listModel) nearEnd(id int) bool {
	return id >= len(m.shown)-prefetchRows && !m.awaitingServerSearch()
}

// emptyText is what an empty view says: no matches, or nothing at all.
func (m *listModel) emptyText() string {
	if m.term != "" {
		return fmt.Sprintf("No matches for “%s”", m.term)
	}
	return msgNothingHereYet
}

// countText is the footer's row count for what is on screen.
func (m *listModel) countText() string {
	switch {
	case m.filteringLocally():
		return fmt.Sprintf("%s shown · %s loaded", groupThousands(len(m.shown)), countText(m.loaded(), m.total))
	case m.itemsTerm != "":
		return countText(m.loaded(), m.total) + " matches"
	}
	return countText(m.loaded(), m.total)
}

// footerErr is the failure the footer tells of, with its lead-in; nil when
// there is none.
func (m *listModel) footerErr() (lead string, err error) {
	if m.reloadErr != nil {
		return "Couldn't update the list: ", m.reloadErr
	}
	if m.moreErr != nil {
		return "Couldn't load more: ", m.moreErr
	}
	return "", nil
}

// scrollTarget says how to reach the last run's scroll offset with a
// viewport this tall and rows this high: fetch more first (more), scroll to
// offset (ok), or nothing to do.
func (m *listModel) scrollTarget(viewport, rowHeight float32) (offset float32, ok, more bool) {
	if m.restoreScroll <= 0 || len(m.shown) == 0 {
		return 0, false, false
	}
	need := int((m.restoreScroll+viewport)/rowHeight) + 1
	if len(m.shown) < need && !m.complete && !m.awaitingServerSearch() && m.moreErr == nil {
		return 0, false, true
	}
	offset, m.restoreScroll = m.restoreScroll, 0
	return offset, true, false
}
