package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

// fakeDemo is a small stand-in for package demo, written from its contract:
// JSON sign-in and refresh with RFC 6749 names and the user in the answer,
// rotating refresh tokens, 401 invalid_grant on refusal, logout by refresh
// token answering 204, and /api/items with offset/limit and a total.
type fakeDemo struct {
	mu        sync.Mutex
	gen       int
	refresh   map[string]bool // live refresh tokens
	access    map[string]bool
	loggedOut []string
	items     int
}

func newFakeDemo(items int) *fakeDemo {
	return &fakeDemo{refresh: map[string]bool{}, access: map[string]bool{}, items: items}
}

func (d *fakeDemo) issue(w http.ResponseWriter) {
	d.gen++
	a, r := fmt.Sprintf("access-%d-aaaaaaaa", d.gen), fmt.Sprintf("refresh-%d-rrrrrrrr", d.gen)
	d.access[a], d.refresh[r] = true, true
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": a, "refresh_token": r, "expires_in": 900, "token_type": "Bearer",
		"user": map[string]string{"id": "u1", "name": "Alice Liddell", "email": "alice@example.test"},
	})
}

func (d *fakeDemo) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/login", func(w http.ResponseWriter, r *http.Request) {
		var b struct{ Username, Password string }
		if json.NewDecoder(r.Body).Decode(&b) != nil || r.Header.Get("Content-Type") != "application/json" {
			writeJSON(w, 400, map[string]string{"error": "invalid_request", "error_description": "Bad body."})
			return
		}
		d.mu.Lock()
		defer d.mu.Unlock()
		if b.Username != "alice" || b.Password != "wonderland" {
			writeJSON(w, 401, map[string]string{"error": "invalid_grant", "error_description": "Wrong username or password (demo)."})
			return
		}
		d.issue(w)
	})
	mux.HandleFunc("POST /auth/refresh", func(w http.ResponseWriter, r *http.Request) {
		var b struct {
			RefreshToken string `json:"refresh_token"`
		}
		_ = json.NewDecoder(r.Body).Decode(&b)
		d.mu.Lock()
		defer d.mu.Unlock()
		if !d.refresh[b.RefreshToken] {
			writeJSON(w, 401, map[string]string{"error": "invalid_grant", "error_description": "This session has ended. Please sign in again."})
			return
		}
		delete(d.refresh, b.RefreshToken) // rotation
		d.issue(w)
	})
	mux.HandleFunc("POST /auth/logout", func(w http.ResponseWriter, r *http.Request) {
		var b struct {
			RefreshToken string `json:"refresh_token"`
		}
		_ = json.NewDecoder(r.Body).Decode(&b)
		d.mu.Lock()
		d.loggedOut = append(d.loggedOut, b.RefreshToken)
		delete(d.refresh, b.RefreshToken)
		d.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /api/items", func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		ok := len(r.Header.Get("Authorization")) > 7 && d.access[r.Header.Get("Authorization")[7:]]
		d.mu.Unlock()
		if !ok {
			writeJSON(w, 401, map[string]string{"error": "invalid_token", "error_description": "The access token has expired."})
			return
		}
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		lim, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		items := []map[string]any{}
		for i := off; i < min(off+lim, d.items); i++ {
			items = append(items, map[string]any{"id": fmt.Sprintf("it-%03d", i), "title": fmt.Sprintf("Item %d", i), "subtitle": "demo", "price": 1.5})
		}
		w.Header().Set("X-Total-Count", strconv.Itoa(d.items))
		writeJSON(w, 200, map[string]any{"items": items, "total": d.items, "offset": off, "limit": lim})
	})
	return mux
}

func TestDemoProfile_SignInRefreshListAndSignOut(t *testing.T) {
	demo := newFakeDemo(250)
	srv := serve(t, demo.handler())
	c := newTestClient(t, DemoProfile(srv.URL))
	ctx := context.Background()

	res, err := c.Login(ctx, "alice", "wonderland")
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if res.Tokens.AccessToken != "access-1-aaaaaaaa" || res.Tokens.RefreshToken != "refresh-1-rrrrrrrr" || res.Tokens.TokenType != "Bearer" {
		t.Errorf("tokens not mapped: %q %q %q", res.Tokens.AccessToken, res.Tokens.RefreshToken, res.Tokens.TokenType)
	}
	if want := testNow.Add(900 * time.Second); !res.Tokens.Expiry.Equal(want) {
		t.Errorf("expiry = %v, want %v (expires_in from the local arrival time)", res.Tokens.Expiry, want)
	}
	if want := (User{ID: "u1", Name: "Alice Liddell", Email: "alice@example.test"}); res.User != want {
		t.Errorf("user = %+v, want %+v", res.User, want)
	}

	rotated, err := c.Refresh(ctx, res.Tokens.RefreshToken)
	if err != nil {
		t.Fatalf("Refresh: %v", err)
	}
	if rotated.RefreshToken != "refresh-2-rrrrrrrr" || rotated.AccessToken != "access-2-aaaaaaaa" {
		t.Errorf("refresh did not hand out the rotated tokens")
	}
	// Using the old refresh token again is refused: the session is over.
	_, err = c.Refresh(ctx, res.Tokens.RefreshToken)
	if e := wantKind(t, err, KindRefreshRefused); e.ServerMessage != "This session has ended. Please sign in again." {
		t.Errorf("server message = %q", e.ServerMessage)
	}

	hc := bearerClient(rotated.AccessToken)
	var ids []string
	total := -1
	for off := 0; ; {
		p, err := c.FetchList(ctx, hc, "Items", off, 0, "")
		if err != nil {
			t.Fatalf("FetchList(%d): %v", off, err)
		}
		total = p.Total
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		off += len(p.Items)
		if len(p.Items) == 0 || off >= p.Total {
			break
		}
	}
	if total != 250 || len(ids) != 250 || ids[0] != "it-000" || ids[249] != "it-249" {
		t.Errorf("paged %d items (total %d), first %v", len(ids), total, ids[:min(1, len(ids))])
	}

	if err := c.Logout(ctx, rotated); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	demo.mu.Lock()
	got := demo.loggedOut
	demo.mu.Unlock()
	if len(got) != 1 || got[0] != rotated.RefreshToken {
		t.Errorf("logout sent %d refresh tokens, want the current one", len(got))
	}
}

func TestDemoProfile_WrongPasswordIsBadCredentialsWithServerMessage(t *testing.T) {
	srv := serve(t, newFakeDemo(0).handler())
	c := newTestClient(t, DemoProfile(srv.URL))
	_, err := c.Login(context.Background(), "alice", "not-the-password")
	e := wantKind(t, err, KindBadCredentials)
	if e.Status != 401 || e.Error() != "Wrong username or password (demo)." {
		t.Errorf("status %d, text %q", e.Status, e.Error())
	}
}

func TestDemoProfile_ListWithDeadTokenIsUnauthorized(t *testing.T) {
	srv := serve(t, newFakeDemo(5).handler())
	c := newTestClient(t, DemoProfile(srv.URL))
	_, err := c.FetchList(context.Background(), bearerClient("dead"), "Items", 0, 0, "")
	e := wantKind(t, err, KindUnauthorized)
	if e.Status != 401 || e.Op != "load Items" {
		t.Errorf("status %d op %q", e.Status, e.Op)
	}
}
