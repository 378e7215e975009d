package session

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"signet/api"
	"signet/internal/tempdir"
	"signet/internal/testsync"
	"signet/session/keychain"
)

// tokenServer is a small Login API on loopback (the demo profile's
// contract) whose tokens are whatever a test needs: opaque and 20
// characters long, or JWTs, with any expiry, born dead included. It
// accepts every access token it has issued: its own clock is not the
// client's, and whether the client thinks a token dead is up to the client.
type tokenServer struct {
	tb    testing.TB
	clock *fakeClock // stamps the refreshes; the client's clock
	srv   *httptest.Server

	// answer adds the expiry fields of a token answer (nil: expires_in 60).
	answer func(now time.Time) map[string]any
	// jwtExp, if set, makes access tokens JWTs with this exp claim.
	jwtExp func(now time.Time) time.Time

	mu        sync.Mutex
	n         int
	access    map[string]bool
	refresh   string // the one live refresh token (rotated on each use)
	refreshAt []time.Time
	listAuth  []string
	// loginFail, refreshFail, listFail, if set, answer the call with this
	// status and body, after text "{access}" and "{refresh}" is replaced by
	// the latest tokens (a server quoting them back).
	loginFail, refreshFail, listFail *failure
	// refreshStarted is signalled on each refresh; refreshGate, if set,
	// holds refreshes until it is closed.
	refreshStarted chan struct{}
	refreshGate    chan struct{}
}

type failure struct {
	status int
	body   string
}

func newTokenServer(tb testing.TB, clock *fakeClock) *tokenServer {
	s := &tokenServer{tb: tb, clock: clock, access: map[string]bool{}}
	s.srv = httptest.NewServer(s)
	tb.Cleanup(s.srv.Close)
	return s
}

func (s *tokenServer) profile() api.Profile { return api.DemoProfile(s.srv.URL) }

func (s *tokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/auth/login":
		io.Copy(io.Discard, r.Body)
		s.mu.Lock()
		defer s.mu.Unlock()
		if f := s.loginFail; f != nil {
			s.fail(w, f)
			return
		}
		s.issue(w)
	case "/auth/refresh":
		var body struct {
			RefreshToken string `json:"refresh_token"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		if s.refreshStarted != nil {
			select {
			case s.refreshStarted <- struct{}{}:
			default:
			}
		}
		if s.refreshGate != nil {
			<-s.refreshGate
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.refreshAt = append(s.refreshAt, s.clock.Now())
		if f := s.refreshFail; f != nil {
			s.fail(w, f)
			return
		}
		if body.RefreshToken != s.refresh {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":"invalid_grant"}`)
			return
		}
		s.issue(w)
	case "/api/items":
		auth := r.Header.Get("Authorization")
		s.mu.Lock()
		defer s.mu.Unlock()
		s.listAuth = append(s.listAuth, auth)
		if f := s.listFail; f != nil {
			s.fail(w, f)
			return
		}
		if !s.access[strings.TrimPrefix(auth, "Bearer ")] {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":"invalid_token"}`)
			return
		}
		io.WriteString(w, `{"items":[{"id":1,"title":"one","subtitle":"first"}],"total":1}`)
	case "/auth/logout":
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

// issue answers a new token pair; s.mu is held.
func (s *tokenServer) issue(w http.ResponseWriter) {
	s.n++
	now := s.clock.Now()
	access := fmt.Sprintf("at-%017d", s.n) // opaque, 20 characters
	if s.jwtExp != nil {
		var err error
		claims := jwt.MapClaims{"sub": "1", "jti": s.n, "exp": s.jwtExp(now).Unix()}
		access, err = jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte("test key"))
		if err != nil {
			s.tb.Error(err)
		}
	}
	s.refresh = fmt.Sprintf("rt-%017d", s.n)
	s.access[access] = true
	ans := map[string]any{"access_token": access, "refresh_token": s.refresh, "token_type": "Bearer",
		"user": map[string]any{"id": "1", "name": "Test User"}}
	if s.answer != nil {
		for k, v := range s.answer(now) {
			ans[k] = v
		}
	} else if s.jwtExp == nil {
		ans["expires_in"] = 60
	}
	json.NewEncoder(w).Encode(ans)
}

// fail answers f, quoting the live tokens; s.mu is held.
func (s *tokenServer) fail(w http.ResponseWriter, f *failure) {
	var access string
	for a := range s.access {
		if a > access {
			access = a
		}
	}
	w.WriteHeader(f.status)
	io.WriteString(w, strings.NewReplacer("{access}", access, "{refresh}", s.refresh).Replace(f.body))
}

// set changes the server's behaviour under its lock.
func (s *tokenServer) set(f func(*tokenServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(s)
}

func (s *tokenServer) refreshTimes() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.refreshAt...)
}

// tokenEnv is a controller on a tokenServer: fake clock, memory keychain
// and preferences, a debug log that is kept.
type tokenEnv struct {
	clock *fakeClock
	srv   *tokenServer
	kc    *keychain.Memory
	logs  *testsync.Buffer
	c     *Controller
}

func newTokenEnv(t testing.TB, setup func(*tokenServer), mods ...func(*Config)) *tokenEnv {
	t.Helper()
	e := &tokenEnv{clock: newFakeClock(), kc: keychain.NewMemory(), logs: &testsync.Buffer{}}
	e.srv = newTokenServer(t, e.clock)
	if setup != nil {
		setup(e.srv)
	}
	client, err := api.New(api.Config{Profile: e.srv.profile(), Now: e.clock.Now, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Client: client, Keychain: e.kc, Prefs: NewMemoryPreferences(), Service: "io.signet.test",
		Logger:    slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:       e.clock.Now,
		AfterFunc: e.clock.AfterFunc,
		Jitter:    func(max time.Duration) time.Duration { return max },
		LockPath:  filepath.Join(tempdir.New(t), "refresh.lock"),
	}
	for _, m := range mods {
		m(&cfg)
	}
	e.c, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.c.Close)
	return e
}

func (e *tokenEnv) signIn(t testing.TB) {
	t.Helper()
	e.c.Restore(t.Context())
	if err := e.c.SignIn(t.Context(), "user", "correct horse battery"); err != nil {
		t.Fatalf("SignIn: %v", err)
	}
}
