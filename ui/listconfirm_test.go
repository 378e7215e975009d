package ui

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"signet/api"
	"signet/demo"
	"signet/session"
	"signet/session/keychain"
)

// guestServer is the demo behind a front that treats the tokens in guest as
// an anonymous visitor: the Items list answers them 200 with nothing in it,
// and /check answers them 401. Every other token gets three rows.
type guestServer struct {
	mu     sync.Mutex
	guest  map[string]bool
	last   string   // the last token the list saw
	checks []string // the tokens /check saw
}

func (g *guestServer) front(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		g.mu.Lock()
		guest := g.guest[token]
		g.mu.Unlock()
		switch r.URL.Path {
		case "/check":
			g.mu.Lock()
			g.checks = append(g.checks, token)
			g.mu.Unlock()
			if guest || token == "" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			_, _ = w.Write([]byte(`{}`))
		case "/api/items":
			g.mu.Lock()
			g.last = token
			g.mu.Unlock()
			rows := []api.Item{}
			if !guest && token != "" {
				rows = items(0, 3)
			}
			out := make([]map[string]string, len(rows))
			for i, it := range rows {
				out[i] = map[string]string{"id": it.ID, "title": it.Title, "subtitle": it.Subtitle}
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"items": out, "total": len(out)})
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// revokeCurrent makes the token the list last saw a guest's.
func (g *guestServer) revokeCurrent() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.guest[g.last] = true
	return g.last
}

func (g *guestServer) seen() (last string, checks []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.last, append([]string(nil), g.checks...)
}

func newGuestSession(t *testing.T, renewable bool) (*realSession, *guestServer) {
	t.Helper()
	g := &guestServer{guest: map[string]bool{}}
	s := newRealSessionEdited(t, demo.Config{}, keychain.NewMemory(), g.front, nil, func(p *api.Profile) {
		p.Check = &api.RequestSpec{Method: "GET", Path: "/check"}
		if !renewable {
			p.Refresh = nil
		}
	})
	return s, g
}

func TestListConfirm_AGuestAnswerForARevokedTokenIsSignInAgainNotEmpty(t *testing.T) {
	s, g := newGuestSession(t, false)
	h := newHarness(t, s, Options{})
	_, v := h.signInToList()
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) && v.list.Length() == 3 && !v.m.loading })

	revoked := g.revokeCurrent()
	v.reload()
	h.waitFor("the reload to settle", func() bool { return !v.m.loading })
	if shows(v, v.emptyView) {
		t.Fatal(`a guest's empty answer was shown as "Nothing here yet"`)
	}
	if _, checks := g.seen(); len(checks) == 0 || checks[0] != revoked {
		t.Errorf("the session was not confirmed with the token that got the empty answer (checks %d)", len(checks))
	}
	signInOffered := v.moreSignIn.Visible() || (shows(v, v.errorView) && v.errorSignIn.Visible()) || h.ui.sheet.visible()
	if !signInOffered {
		t.Errorf("no way to sign in again: footer %q", v.moreLabel.Text)
	}
}

func TestListConfirm_ARenewedTokenFetchesTheListAgain(t *testing.T) {
	s, g := newGuestSession(t, true)
	h := newHarness(t, s, Options{})
	_, v := h.signInToList()
	h.waitFor("the rows", func() bool { return shows(v, v.itemsView) && v.list.Length() == 3 && !v.m.loading })

	revoked := g.revokeCurrent()
	v.reload()
	h.waitFor("the list fetched with the renewed token", func() bool {
		last, _ := g.seen()
		return !v.m.loading && last != revoked
	})
	if !shows(v, v.itemsView) || v.list.Length() != 3 || v.moreLabel.Visible() {
		t.Errorf("after renewal: rows view %v, %d rows, footer %q; want the 3 rows again",
			shows(v, v.itemsView), v.list.Length(), v.moreLabel.Text)
	}
	if s.Snapshot().State != session.SignedIn {
		t.Errorf("session %v, want signed in", s.Snapshot().State)
	}
}

func TestListConfirm_EmptyIsShownWhenTheSessionIsAliveOrCannotBeAsked(t *testing.T) {
	for _, tc := range []struct {
		name    string
		confirm func(context.Context) error
	}{
		{"alive", func(context.Context) error { return nil }},
		{"nothing to ask", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newFakeSession(signedIn())
			s.profile.Check = &api.RequestSpec{Method: "GET", Path: "/check"}
			s.profile.Lists[0].ConfirmEmpty = api.ConfirmEmptyAlways
			s.confirm = tc.confirm
			calls := manualFetches(s)
			h := newHarness(t, s, Options{})
			v := h.view()
			nextFetch(t, calls).reply <- fetchReply{page: api.Page{Total: 0}}
			h.waitFor("the empty view", func() bool { return shows(v, v.emptyView) })
			if s.confirmCount() != 1 || s.fetchCount() != 1 {
				t.Errorf("confirmed %d times, fetched %d; want once each", s.confirmCount(), s.fetchCount())
			}
		})
	}
}
