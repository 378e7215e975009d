package reliability

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"signet/api"
	"signet/internal/faultproxy"
	"signet/session"
)

// signOutNow signs out and checks it took no time and left nothing.
func signOutNow(t *testing.T, r *rig, c *session.Controller) {
	t.Helper()
	start := time.Now()
	c.SignOut(context.Background())
	if d := time.Since(start); d > 200*time.Millisecond {
		t.Fatalf("sign-out took %v: it must not wait for the server", d)
	}
	wantState(t, c, session.SignedOut)
	r.assertNoSessionSaved()
}

func signOutOffline(t *testing.T) {
	r := newRig(t, rigOpts{realKeychain: true})
	c := r.signedIn()
	r.proxy.Refuse()
	r.clock.Advance(renewAfter)
	wantState(t, c, session.Offline)
	signOutNow(t, r, c)
}

func signOutLogoutHangs(t *testing.T) {
	r := newRig(t, rigOpts{})
	c := r.signedIn()
	r.proxy.Set("/auth/logout", faultproxy.HangUp())
	signOutNow(t, r, c)
	// The logout was attempted and is given up after LogoutTimeout.
	start := time.Now()
	c.Close()
	if d := time.Since(start); d > time.Second {
		t.Fatalf("the hanging logout held Close for %v, want ~300ms", d)
	}
	if n := r.proxy.Hits("/auth/logout"); n != 1 {
		t.Fatalf("%d logout requests, want 1", n)
	}
}

func signOutInFlight(t *testing.T) {
	r := newRig(t, rigOpts{apiTimeout: 10 * time.Second})
	c := r.signedIn()
	r.proxy.Set("/api/items", faultproxy.HangUp())
	const calls = 10
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for range calls {
		wg.Go(func() { errs <- fetch(c) })
	}
	for r.proxy.Hits("/api/items") < calls {
		time.Sleep(time.Millisecond)
	}
	signOutNow(t, r, c)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("calls in flight were not cancelled by the sign-out")
	}
	close(errs)
	for err := range errs {
		if !errors.Is(err, session.ErrSignedOut) {
			t.Fatalf("call ended with %v, want %v", err, session.ErrSignedOut)
		}
	}
	// The server was told (the logout passes through).
	c.Close()
	if n := r.demo.Stats().Logouts; n != 1 {
		t.Fatalf("%d logouts at the server, want 1", n)
	}
}

func plainHTTPRefused(t *testing.T) {
	_, err := api.New(api.Config{Profile: api.DemoProfile("http://signet.example")})
	if !errors.Is(err, api.ErrInsecureBaseURL) {
		t.Fatalf("err = %v, want ErrInsecureBaseURL", err)
	}
	if !strings.Contains(err.Error(), "https") {
		t.Fatalf("message %q does not say what to do", err)
	}
}

// otherHost is a second proxy in front of the demo, reached as "localhost"
// (the API is "127.0.0.1"), so it counts as another host.
func otherHost(t *testing.T, r *rig) (*faultproxy.Proxy, string) {
	p := faultproxy.New(r.demo.URL())
	t.Cleanup(p.Close)
	return p, "http://localhost:" + p.Addr()[strings.LastIndexByte(p.Addr(), ':')+1:]
}

func redirectTo(url string, status int) faultproxy.Rule {
	return faultproxy.Rule{Action: faultproxy.Respond, Status: status, Header: http.Header{"Location": {url}}}
}

func redirectList(t *testing.T) {
	r := newRig(t, rigOpts{})
	c := r.signedIn()
	other, base := otherHost(t, r)
	r.proxy.Set("/api/items", redirectTo(base+"/api/items", http.StatusFound))
	err := fetch(c)
	// Design R12: a redirect to another origin is refused in words, not
	// followed with or without the bearer.
	assertClearMessage(t, err)
	if n := other.Hits("/api/items"); n != 0 {
		t.Fatalf("the list call was followed to another host %d times", n)
	}
	if st := c.Snapshot().State; st != session.SignedIn {
		t.Fatalf("state %v after a refused redirect, want SignedIn", st)
	}
}

func redirectLogin(t *testing.T) {
	r := newRig(t, rigOpts{})
	c := r.start()
	other, base := otherHost(t, r)
	r.proxy.Set("/auth/login", redirectTo(base+"/auth/login", http.StatusTemporaryRedirect))
	err := c.SignIn(context.Background(), "demo", "demo1234")
	assertClearMessage(t, err)
	if n := other.Hits("/auth/login"); n != 0 {
		t.Fatalf("the sign-in (with the password) was replayed to another host %d times", n)
	}
	r.assertNoSessionSaved()
}
