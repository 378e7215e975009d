package api

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
)

// guestServer answers a list request with a dead token as a guest's: 200
// and an empty list. Only its check and current-user calls tell.
func guestServer(t *testing.T) (string, *atomic.Int32) {
	checks := new(atomic.Int32)
	mux := http.NewServeMux()
	live := func(r *http.Request) bool { return r.Header.Get("Authorization") == "Bearer live" }
	mux.HandleFunc("GET /things", func(w http.ResponseWriter, r *http.Request) {
		if live(r) {
			writeJSON(w, 200, map[string]any{"items": []any{map[string]any{"title": "a"}}})
			return
		}
		writeJSON(w, 200, map[string]any{"items": []any{}})
	})
	mux.HandleFunc("GET /session", func(w http.ResponseWriter, r *http.Request) {
		checks.Add(1)
		if !live(r) {
			writeJSON(w, 401, map[string]any{"message": "not signed in"})
			return
		}
		writeJSON(w, 200, map[string]any{"ok": true})
	})
	return serve(t, mux).URL, checks
}

// An empty answer is confirmed against the session before it is believed:
// a dead token is KindUnauthorized, a live one confirms; the check call is
// the profile's own, else the current-user call.
func TestConfirmSession_TellsAGuestAnswerFromAnEmptyList(t *testing.T) {
	base, checks := guestServer(t)
	p := simpleProfile(base)
	p.Check = &RequestSpec{Path: "/session"}
	c := newTestClient(t, p)
	ctx := context.Background()

	page, err := c.FetchList(ctx, bearerClient("dead"), "Things", 0, 0, "")
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("the guest answer: %v %+v", err, page)
	}
	if !c.ShouldConfirmEmpty("Things", true) || c.ShouldConfirmEmpty("Things", false) {
		t.Error("by default only a list that had rows is confirmed")
	}
	wantKind(t, c.ConfirmSession(ctx, bearerClient("dead")), KindUnauthorized)
	if err := c.ConfirmSession(ctx, bearerClient("live")); err != nil {
		t.Fatalf("a live session: %v", err)
	}
	if checks.Load() != 2 {
		t.Errorf("the check was called %d times, want 2", checks.Load())
	}

	p.Lists[0].ConfirmEmpty = ConfirmEmptyAlways
	if c := newTestClient(t, p); !c.ShouldConfirmEmpty("Things", false) {
		t.Error("always: an empty first answer is not confirmed")
	}
	p.Lists[0].ConfirmEmpty = ConfirmEmptyNever
	if c := newTestClient(t, p); c.ShouldConfirmEmpty("Things", true) {
		t.Error("never: an empty answer is confirmed")
	}

	p.Check, p.Lists[0].ConfirmEmpty = nil, ""
	p.Me = &MeSpec{RequestSpec: RequestSpec{Path: "/session"}, User: UserPaths{ID: "id"}}
	c = newTestClient(t, p)
	wantKind(t, c.ConfirmSession(ctx, bearerClient("dead")), KindUnauthorized)

	p.Me = nil
	c = newTestClient(t, p)
	if c.ShouldConfirmEmpty("Things", true) {
		t.Error("nothing to confirm with, yet ShouldConfirmEmpty")
	}
	if err := c.ConfirmSession(ctx, nil); !errors.Is(err, ErrNoCheck) || KindOf(err) != 0 {
		t.Errorf("no check: %v (kind %v)", err, KindOf(err))
	}
}
