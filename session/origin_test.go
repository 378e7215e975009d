package session

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"signet/api"
	"signet/demo"
	"signet/internal/bothschemes"
	"signet/internal/demotest"
	"signet/internal/tempdir"
	"signet/session/keychain"
)

// With the API at https://127.0.0.1:P, a list answer or a current-user
// answer redirecting to http://127.0.0.1:P (same host and port, plain
// text) is refused in words; the bearer never reaches the plain side
// (design R12).
func TestOrigin_HTTPSToPlainHTTPRedirectCarriesNoBearer(t *testing.T) {
	d := demotest.Open(t, demo.Config{})
	var srv *bothschemes.Server
	srv = bothschemes.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/items" || r.URL.Path == "/api/me" {
			http.Redirect(w, r, srv.PlainURL+r.URL.Path, http.StatusFound)
			return
		}
		d.Handler().ServeHTTP(w, r)
	}))
	p := api.DemoProfile(srv.URL)
	p.Login.User = api.UserPaths{} // so that sign-in asks the current-user call
	p.Me = &api.MeSpec{RequestSpec: api.RequestSpec{Method: "GET", Path: "/api/me"}, User: api.UserPaths{Name: "name"}}
	client, err := api.New(api.Config{Profile: p, HTTP: srv.TLS.Client(), Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Config{Client: client, Keychain: keychain.NewMemory(), Prefs: NewMemoryPreferences(),
		Service: "io.signet.test", Transport: srv.TLS.Client().Transport,
		LockPath: filepath.Join(tempdir.New(t), "refresh.lock")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	c.Restore(context.Background())
	if err := c.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Fatalf("SignIn: %v", err)
	}

	_, err = c.FetchList(context.Background(), "Items", 0, 5, "")
	want := "The server sent Signet to another address (" + srv.PlainURL + "); Signet did not follow it."
	if !isKind(err, api.KindServer) || err.Error() != want {
		t.Errorf("FetchList = %v (kind %v), want %q", err, api.KindOf(err), want)
	}
	_, err = c.HTTPClient().Get(srv.URL + "/api/items")
	var re *api.RedirectError
	if !errors.As(err, &re) {
		t.Errorf("HTTPClient().Get = %v, want an *api.RedirectError", err)
	}
	for _, r := range srv.Plain() {
		t.Errorf("plain http got %s %s (Authorization %q)", r.Method, r.Path, r.Header.Get("Authorization"))
	}
	if s := c.Snapshot(); s.State != SignedIn {
		t.Errorf("state %v, want SignedIn: a refused redirect is not a dead session", s.State)
	}
}
