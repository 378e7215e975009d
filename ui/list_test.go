package ui

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"signet/api"
	"signet/demo"
	"signet/session"
)

// signedIn is a snapshot of a held session for the fake.
func signedIn() session.Snapshot {
	return session.Snapshot{State: session.SignedIn, Username: "demo", User: api.User{Name: "Demo User"}, Renewable: true}
}

// fetchAnswer is one FetchList call the test answers by hand.
type fetchAnswer struct {
	offset, limit int
	reply         chan fetchReply
}

type fetchReply struct {
	page api.Page
	err  error
}

// manualFetches makes every FetchList call wait for the test's answer.
func manualFetches(s *fakeSession) <-chan fetchAnswer {
	calls := make(chan fetchAnswer, 16)
	s.setFetch(func(ctx context.Context, _ string, offset, limit int) (api.Page, error) {
		a := fetchAnswer{offset: offset, limit: limit, reply: make(chan fetchReply, 1)}
		calls <- a
		select {
		case r := <-a.reply:
			return r.page, r.err
		case <-ctx.Done():
			return api.Page{}, ctx.Err()
		}
	})
	return calls
}

func nextFetch(t *testing.T, calls <-chan fetchAnswer) fetchAnswer {
	t.Helper()
	select {
	case a := <-calls:
		return a
	case <-time.After(waitLimit):
		t.Fatal("no fetch was made")
		return fetchAnswer{}
	}
}

func TestListView_LoadingThenEmpty(t *testing.T) {
	s := newFakeSession(signedIn())
	calls := manualFetches(s)
	h := newHarness(t, s, Options{})
	v := h.view()

	call := nextFetch(t, calls)
	if !shows(v, v.loadingView) {
		t.Error("the loading view is not shown while the first page loads")
	}
	if call.offset != 0 || call.limit != 100 {
		t.Errorf("first fetch offset=%d limit=%d, want 0 and the profile's page size 100", call.offset, call.limit)
	}
	call.reply <- fetchReply{page: api.Page{Total: 0}}
	h.waitFor("the empty view", func() bool { return shows(v, v.emptyView) })
}

func TestListView_ErrorShowsTheReasonAndRetryLoadsAgain(t *testing.T) {
	s := newFakeSession(signedIn())
	calls := manualFetches(s)
	h := newHarness(t, s, Options{})
	v := h.view()

	nextFetch(t, calls).reply <- fetchReply{err: &api.Error{Kind: api.KindServer, Op: "load Items", Status: 503}}
	h.waitFor("the error view", func() bool { return shows(v, v.errorView) })
	if want := "The server had a problem (503) while trying to load Items. Try again in a moment."; v.errorLabel.Text != want {
		t.Errorf("error %q, want %q", v.errorLabel.Text, want)
	}

	retry := findButton(t, v.errorView, "Retry")
	test.Tap(retry)
	if !shows(v, v.loadingView) {
		t.Error("Retry does not show the loading view")
	}
	nextFetch(t, calls).reply <- fetchReply{page: api.Page{Items: items(0, 3), Total: 3}}
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) })
	if v.list.Length() != 3 || mutedText(v.count) != "3 of 3" {
		t.Errorf("rows %d, count %q", v.list.Length(), mutedText(v.count))
	}
}

func TestListView_ResultsFromBeforeAReloadAreDropped(t *testing.T) {
	s := newFakeSession(signedIn())
	stale, fresh := make(chan struct{}), make(chan struct{})
	var calls atomic.Int32
	s.setFetch(func(ctx context.Context, _ string, offset, _ int) (api.Page, error) {
		if calls.Add(1) == 1 {
			// Like a server that answers although the caller gave up:
			// the answer arrives after the reload, before the new one.
			<-stale
			return api.Page{Items: []api.Item{{ID: "old", Title: "Before the reload"}}, Total: 1}, nil
		}
		<-fresh
		return api.Page{Items: items(0, 2), Total: 2}, nil
	})
	h := newHarness(t, s, Options{})
	h.ui.list.stopTicker() // from here on, only the fetches post UI work
	v := h.view()
	h.waitFor("the first fetch", func() bool { return calls.Load() == 1 })

	h.ui.list.onReload()
	h.waitFor("the second fetch", func() bool { return calls.Load() == 2 })
	posted := h.q.postedCount()
	close(stale)
	h.waitFor("the stale answer", func() bool { return h.q.postedCount() > posted })
	if !shows(v, v.loadingView) || v.list.Length() != 0 {
		t.Fatalf("rows %d, loading view shown=%v: the answer from before the reload was applied",
			v.list.Length(), shows(v, v.loadingView))
	}

	close(fresh)
	h.waitFor("the reloaded rows", func() bool { return shows(v, v.itemsView) })
	if v.list.Length() != 2 || v.m.items.at(0).ID == "old" {
		t.Errorf("rows %d (first %q), want the 2 reloaded ones", v.list.Length(), v.m.items.at(0).ID)
	}
}

func TestListView_ScrollingNearTheEndLoadsTheNextPage(t *testing.T) {
	s := newRealSession(t, demo.Config{})
	h := newHarness(t, s, Options{})
	h.waitFor("the sign-in form", h.onSignIn)
	h.signIn(demo.DemoUsername, demo.DemoPassword)
	h.waitFor("the list screen", h.onList)
	v := h.view()
	h.waitFor("the first page", func() bool { return shows(v, v.itemsView) })
	h.waitFor("the list to settle", func() bool { return !v.m.loading })
	if got := v.list.Length(); got != 100 {
		t.Fatalf("first page has %d rows, want 100 (no second page before scrolling)", got)
	}

	v.list.ScrollToBottom()
	h.waitFor("the second page", func() bool { return v.list.Length() == 200 })
	if got, want := mutedText(v.count), "200 of 300"; got != want {
		t.Errorf("count %q, want %q", got, want)
	}
	if v.m.items.at(100).ID == v.m.items.at(0).ID {
		t.Error("the second page repeats the first")
	}

	v.list.ScrollToBottom()
	h.waitFor("the last page", func() bool { return v.list.Length() == 300 && !v.m.loading })
	if !v.m.complete {
		t.Error("the list is not marked complete after the last page")
	}
	v.list.ScrollToBottom()
	h.q.runPending()
	if v.m.loading {
		t.Error("a fetch was started past the end of the list")
	}
}

func TestListView_AFailedLaterPageOffersRetryAndKeepsTheRows(t *testing.T) {
	s := newFakeSession(signedIn())
	calls := manualFetches(s)
	h := newHarness(t, s, Options{})
	v := h.view()

	nextFetch(t, calls).reply <- fetchReply{page: api.Page{Items: items(0, 100), Total: 250}}
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) })
	v.list.ScrollToBottom()
	second := nextFetch(t, calls)
	if second.offset != 100 {
		t.Errorf("next page offset %d, want 100", second.offset)
	}
	second.reply <- fetchReply{err: &api.Error{Kind: api.KindNetwork, Op: "load Items"}}
	h.waitFor("the footer error", func() bool { return v.moreRetry.Visible() })
	if !shows(v, v.itemsView) || v.list.Length() != 100 {
		t.Error("a failed later page hid the rows already loaded")
	}

	test.Tap(v.moreRetry)
	nextFetch(t, calls).reply <- fetchReply{page: api.Page{Items: items(100, 100), Total: 250}}
	h.waitFor("the second page", func() bool { return v.list.Length() == 200 })
	if v.moreRetry.Visible() || mutedText(v.count) != "200 of 250" {
		t.Errorf("after retry: retry visible=%v count %q", v.moreRetry.Visible(), mutedText(v.count))
	}
}

func TestListView_UnpagedListsLoadOnce(t *testing.T) {
	s := newFakeSession(signedIn())
	s.profile.Lists[0].Paging = api.Paging{}
	calls := manualFetches(s)
	h := newHarness(t, s, Options{})
	v := h.view()

	call := nextFetch(t, calls)
	if call.limit != 0 {
		t.Errorf("unpaged list fetched with limit %d, want 0", call.limit)
	}
	call.reply <- fetchReply{page: api.Page{Items: items(0, 150), Total: -1}}
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) })
	v.list.ScrollToBottom()
	h.q.runPending()
	if v.m.loading || !v.m.complete || mutedText(v.count) != "150 items" {
		t.Errorf("loading=%v complete=%v count %q", v.m.loading, v.m.complete, mutedText(v.count))
	}
}

func TestListView_UpdatedLineIsATimeOfDayThatWaitsForTheNextLoad(t *testing.T) {
	s := newFakeSession(signedIn())
	calls := manualFetches(s)
	h := newHarness(t, s, Options{})
	v := h.view()
	nextFetch(t, calls).reply <- fetchReply{page: api.Page{Items: items(0, 5), Total: 5}}
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) })
	if got, want := mutedText(v.updated), "updated at 09:30"; got != want {
		t.Fatalf("footer %q, want %q", got, want)
	}
	// An hour of ticks changes nothing an idle window would redraw.
	for range 60 {
		h.now = h.now.Add(time.Minute)
		h.ui.list.onTick()
		if got := mutedText(v.updated); got != "updated at 09:30" {
			t.Fatalf("footer %q after the clock moved to %s", got, h.now.Format("15:04"))
		}
	}
	h.ui.list.onReload()
	nextFetch(t, calls).reply <- fetchReply{page: api.Page{Items: items(0, 5), Total: 5}}
	h.waitFor("the reloaded time", func() bool { return mutedText(v.updated) == "updated at 10:30" })
}

func TestListScreen_ReloadShortcutFetchesAgain(t *testing.T) {
	s := newFakeSession(signedIn())
	calls := manualFetches(s)
	h := newHarness(t, s, Options{})
	v := h.view()
	nextFetch(t, calls).reply <- fetchReply{page: api.Page{Items: items(0, 5), Total: 5}}
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) })

	h.win.Canvas().(fyne.Shortcutable).TypedShortcut(reloadShortcut)
	if !v.m.loading || !v.moreBusy.Visible() || !shows(v, v.itemsView) || v.list.Length() != 5 {
		t.Errorf("Ctrl+R: loading %v, busy %v, %d rows; want a reload under the rows on screen",
			v.m.loading, v.moreBusy.Visible(), v.list.Length())
	}
	nextFetch(t, calls).reply <- fetchReply{page: api.Page{Items: items(0, 6), Total: 6}}
	h.waitFor("the reloaded rows", func() bool { return v.list.Length() == 6 })
}

func TestListScreen_OfflineBannerComesAndGoes(t *testing.T) {
	s := newFakeSession(signedIn())
	h := newHarness(t, s, Options{})
	l := h.ui.list
	if l.offline.visible() {
		t.Fatal("offline banner shown while signed in")
	}

	off := signedIn()
	off.State = session.Offline
	off.RetryAt = h.now.Add(5 * time.Second)
	off.Err = &api.Error{Kind: api.KindNetwork, Op: "refresh"}
	s.set(off)
	h.waitFor("the banner", l.offline.visible)
	if want := "Can't reach the server — retrying in 5 s"; l.offline.text.Text != want {
		t.Errorf("banner %q, want %q", l.offline.text.Text, want)
	}
	h.now = h.now.Add(2 * time.Second)
	l.onTick()
	if want := "Can't reach the server — retrying in 3 s"; l.offline.text.Text != want {
		t.Errorf("banner after 2 s %q, want %q", l.offline.text.Text, want)
	}
	if h.ui.list != l {
		t.Error("going offline rebuilt the list screen")
	}

	s.set(signedIn())
	h.waitFor("the banner to go", func() bool { return !l.offline.visible() })
}

func TestListScreen_CountdownFollowsTheClock(t *testing.T) {
	snap := signedIn()
	snap.Renewable = false
	s := newFakeSession(snap)
	h := newHarness(t, s, Options{})
	snap.Expiry = h.now.Add(42 * time.Second)
	s.set(snap)
	l := h.ui.list
	const ends = "Session ends in 0:42 — you will be asked to sign in again"
	h.waitFor("the countdown", func() bool { return mutedText(l.renewal) == ends })
	h.now = h.now.Add(40 * time.Second)
	l.onTick()
	if want := "Session ends in 0:02 — you will be asked to sign in again"; mutedText(l.renewal) != want {
		t.Errorf("countdown %q, want %q", mutedText(l.renewal), want)
	}
}

func TestListScreen_SeveralListsGetATabEach(t *testing.T) {
	s := newFakeSession(signedIn())
	second := s.profile.Lists[0]
	second.Name = "Orders"
	s.profile.Lists = append(s.profile.Lists, second)
	fetched := make(chan string, 8)
	s.setFetch(func(_ context.Context, list string, _, _ int) (api.Page, error) {
		fetched <- list
		return api.Page{Items: items(0, 1), Total: 1}, nil
	})
	h := newHarness(t, s, Options{})
	l := h.ui.list
	if l.tabs == nil || len(l.tabs.Items) != 2 || l.tabs.Items[1].Text != "Orders" {
		t.Fatalf("tabs: %+v", l.tabs)
	}
	if got := <-fetched; got != "Items" {
		t.Errorf("first fetch for %q, want the first list", got)
	}
	l.tabs.SelectIndex(1)
	if got := <-fetched; got != "Orders" {
		t.Errorf("fetch after selecting the tab for %q, want Orders", got)
	}
}

func TestListScreen_SignOutEndsTheFetchesInFlight(t *testing.T) {
	s := newFakeSession(signedIn())
	ended := make(chan error, 1)
	s.setFetch(func(ctx context.Context, _ string, _, _ int) (api.Page, error) {
		<-ctx.Done()
		ended <- ctx.Err()
		return api.Page{}, ctx.Err()
	})
	h := newHarness(t, s, Options{})
	h.waitFor("the fetch", func() bool { return s.fetchCount() == 1 })

	test.Tap(h.ui.list.signOutBtn)
	h.waitFor("the sign-in form", h.onSignIn)
	select {
	case err := <-ended:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("fetch ended with %v, want cancelled", err)
		}
	case <-time.After(waitLimit):
		t.Fatal("the fetch was not cancelled by signing out")
	}
}

// findButton finds the button labelled text under obj.
func findButton(t *testing.T, obj fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *keyButton:
			if o.Text == text {
				found = &o.Button
			}
		case *widget.Button: // a dialog's
			if o.Text == text {
				found = o
			}
		case *fyne.Container:
			for _, c := range o.Objects {
				walk(c)
			}
		case fyne.Widget: // a dialog's pop-up, say
			for _, c := range test.TempWidgetRenderer(t, o).Objects() {
				walk(c)
			}
		}
	}
	walk(obj)
	if found == nil {
		t.Fatalf("no %q button", text)
	}
	return found
}
