package ui

import (
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"signet/demo"
	"signet/internal/demotest"
	"signet/internal/fakeclock"
	"signet/session"
	"signet/session/keychain"
)

// outage stands in front of a backend; while down, every connection is
// dropped without an answer, as when the server is gone. It counts the
// renewals asked for.
type outage struct {
	down     atomic.Bool
	renewals atomic.Int32
}

func (o *outage) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/auth/refresh" {
			o.renewals.Add(1)
		}
		if !o.down.Load() {
			next.ServeHTTP(w, r)
			return
		}
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.(*net.TCPConn).SetLinger(0)
			_ = conn.Close()
		}
	})
}

func TestListError_ServerRefusingTheSessionSaysSoInFullWidthAndOffersSignInAgain(t *testing.T) {
	// The lists are served by a backend whose signing key is not the one
	// that signed the tokens (its keys changed): even a renewed token is
	// refused there.
	other := demotest.Open(t, demo.Config{DataPath: filepath.Join(t.TempDir(), "other-key.db")})
	var keysChanged atomic.Bool
	keysChanged.Store(true)
	front := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if keysChanged.Load() && r.URL.Path == "/api/items" {
				other.Handler().ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	s := newRealSessionBehind(t, demo.Config{}, keychain.NewMemory(), front, nil)
	h := newHarness(t, s, Options{})
	l, v := h.signInToList()
	h.waitFor("the error view", func() bool { return shows(v, v.errorView) && !v.m.loading })

	const notAccepted = "The server no longer accepts your session, for example because its signing keys changed. Sign in again to carry on."
	if v.errorLabel.Text != notAccepted {
		t.Errorf("error %q, want %q", v.errorLabel.Text, notAccepted)
	}
	// The sentence wraps at word boundaries in the view's width, not in a
	// column as narrow as its longest word.
	if v.errorLabel.Wrapping != fyne.TextWrapWord {
		t.Errorf("error label wrapping %v, want word wrapping", v.errorLabel.Wrapping)
	}
	if got, room := v.errorLabel.Size().Width, v.content.Size().Width; room < 400 || got < room*0.9 {
		t.Errorf("error label %v wide in a view %v wide, want (nearly) all of it", got, room)
	}
	signInAgain := findButton(t, v.errorView, "Sign in again")
	if !signInAgain.Visible() || findButton(t, v.errorView, "Retry") == nil {
		t.Fatalf("error view buttons: Sign in again visible %v", signInAgain.Visible())
	}

	test.Tap(signInAgain)
	h.waitFor("the sign-in sheet over the list", h.onSheet)
	f := h.ui.signIn
	if f.message.Text != "The server no longer accepts your session. Please sign in again." || f.username.Text != demo.DemoUsername {
		t.Errorf("sheet: message %q, username %q", f.message.Text, f.username.Text)
	}
	if h.ui.list != l {
		t.Error("Sign in again replaced the list screen")
	}

	// The server is fixed; signing in again carries on with the list.
	keysChanged.Store(false)
	test.Type(f.password, demo.DemoPassword)
	test.Tap(f.submit)
	h.waitFor("the rows after signing in again", func() bool {
		return !h.ui.sheet.visible() && shows(v, v.itemsView) && !v.m.loading
	})
	if h.ui.list != l || v.m.loaded() != 100 {
		t.Errorf("after signing in again: same screen %v, %d rows", h.ui.list == l, v.m.loaded())
	}
}

func TestExpired_RefusedRenewalKeepsTheListUnderTheSheetInPlainWords(t *testing.T) {
	s := newRealSession(t, demo.Config{TokenTTL: time.Hour})
	h := newHarness(t, s, Options{})
	l, v := h.signInToList()
	h.waitFor("the first page", func() bool { return shows(v, v.itemsView) && !v.m.loading })

	// The server ends the session; the next request is refused, and so is
	// the renewal it asks for.
	if _, err := s.server.RevokeUserSessions(demo.DemoUsername); err != nil {
		t.Fatal(err)
	}
	l.onReload()
	h.waitFor("the sign-in sheet", h.onSheet)
	h.waitFor("the reload to end", func() bool { return !v.m.loading })
	snap := s.Snapshot()
	if snap.State != session.Expired || snap.Err == nil {
		t.Fatalf("session %v (%v), want Expired after the refused renewal", snap.State, snap.Err)
	}
	f := h.ui.signIn
	if f.message.Text != "Your session has ended. Please sign in again." {
		t.Errorf("sheet message %q, want the plain sentence (the server said %q)", f.message.Text, snap.Err.Error())
	}
	if !shows(v, v.itemsView) || v.m.loaded() != 100 || v.list.Length() != 100 {
		t.Errorf("under the sheet: rows view %v, %d rows; want the 100 rows kept", shows(v, v.itemsView), v.m.loaded())
	}
}

func TestOutage_ReloadKeepsTheRowsAndRetriesTheRenewalAtOnce(t *testing.T) {
	clock := fakeclock.New(time.Now())
	var gate outage
	s := newRealSessionBehind(t, demo.Config{TokenTTL: time.Hour}, keychain.NewMemory(), gate.wrap, clock)
	h := newHarness(t, s, Options{})
	l, v := h.signInToList()
	h.waitFor("the first page", func() bool { return shows(v, v.itemsView) && !v.m.loading })

	// The server goes away just before the renewal is due.
	gate.down.Store(true)
	clock.Advance(s.Snapshot().RenewAt.Sub(clock.Now()))
	h.waitFor("the offline banner", func() bool { return s.Snapshot().State == session.Offline && l.offline.visible() })
	renewals := gate.renewals.Load()

	l.onReload()
	h.waitFor("the reload to fail", func() bool { return !v.m.loading && v.moreLabel.Visible() })
	// Reload asked for the renewal at once (and it failed too).
	// The banner follows the state through the UI queue: wait for both.
	h.waitFor("the renewal Reload asked for to fail", func() bool {
		return gate.renewals.Load() > renewals && s.Snapshot().State == session.Offline && l.offline.visible()
	})
	if !shows(v, v.itemsView) || v.list.Length() != 100 {
		t.Errorf("after Reload in the outage: rows view %v, %d rows; want the 100 rows kept", shows(v, v.itemsView), v.list.Length())
	}
	if !v.moreLabel.Visible() || !strings.HasPrefix(v.moreLabel.Text, "Couldn't update the list: ") || !l.offline.visible() {
		t.Errorf("footer %q (visible %v), banner visible %v", v.moreLabel.Text, v.moreLabel.Visible(), l.offline.visible())
	}

	// The server is back. The planned retry is far off (the clock stands
	// still); Reload renews at once.
	gate.down.Store(false)
	l.onReload()
	h.waitFor("the session to recover", func() bool { return s.Snapshot().State == session.SignedIn })
	h.waitFor("the reloaded rows", func() bool { return !v.m.loading && !v.moreLabel.Visible() && shows(v, v.itemsView) })
	h.waitFor("the banner to go", func() bool { return !l.offline.visible() })
}
