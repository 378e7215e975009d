package ui

import (
	"context"

	"fyne.io/fyne/v2"

	"signet/api"
	"signet/session"
)

// firstPage is the first page of the list a signed-in start opens on, asked
// for before the screens are built (they take longer than the request), so
// New has the rows sooner. The list view takes it for its first fetch when
// it asks for the same thing.
type firstPage struct {
	list   string
	req    request // offset 0, the page size, the saved search
	done   chan struct{}
	page   api.Page
	err    error
	cancel context.CancelFunc
}

// prefetchFirstPage starts the request the list view will make first: the
// list open last time, its saved search. Nil without a live session.
func prefetchFirstPage(a fyne.App, s Session) *firstPage {
	p := s.Profile()
	if s.Snapshot().State != session.SignedIn || len(p.Lists) == 0 {
		return nil
	}
	spec := p.Lists[lastList(a.Preferences(), p.Name, p.Lists)]
	m := newListModel(spec)
	m.setTerm(a.Preferences().String(prefSearch(p.Name, spec.Name)))
	r := m.begin(true, m.wantedTerm())
	ctx, cancel := context.WithCancel(context.Background())
	f := &firstPage{list: spec.Name, req: r, done: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(f.done)
		f.page, f.err = s.FetchList(ctx, spec.Name, r.offset, r.limit, r.term)
		cancel()
	}()
	return f
}

// takeFirstPage hands the prefetched page to the list view whose first
// fetch it answers (nil for any other fetch; a prefetch nobody asked for is
// cancelled).
func (a *App) takeFirstPage(list string, r request) *firstPage {
	f := a.firstPage
	a.firstPage = nil
	if f == nil {
		return nil
	}
	if f.list != list || !r.replace || r.offset != f.req.offset || r.limit != f.req.limit || r.term != f.req.term {
		f.cancel()
		return nil
	}
	return f
}

// wait is the page, or ctx's error if ctx ends first.
func (f *firstPage) wait(ctx context.Context) (api.Page, error) {
	select {
	case <-f.done:
		return f.page, f.err
	case <-ctx.Done():
		f.cancel()
		return api.Page{}, ctx.Err()
	}
}
