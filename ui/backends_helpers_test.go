package ui

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"signet/backend"
	"signet/internal/demotest"
	"signet/session"
	"signet/session/keychain"
)

var _ Backends = (*backend.Switcher)(nil)

// newTestBackends is the app's own backend switching, on a memory keychain
// and preferences, started with c as the saved choice, so a c that does not
// load leaves the embedded demo in use and c rejected. It returns the
// session in use, for the harness, and the preferences the choice is saved
// in.
func newTestBackends(t *testing.T, c Choice) (*backend.Switcher, *session.Controller, *session.MemoryPreferences) {
	t.Helper()
	storage := t.TempDir()
	// The embedded demo's data file, already seeded: fast to open.
	if err := os.Rename(demotest.DataFile(t), filepath.Join(storage, "demo.db")); err != nil {
		t.Fatal(err)
	}
	prefs := session.NewMemoryPreferences()
	b := backend.New(backend.Config{
		Prefs: prefs, Keychain: keychain.NewMemory(), Service: "io.signet.test", Storage: storage,
		TokenTTL: time.Minute, DemoHint: "Demo account: demo / demo1234",
	})
	t.Cleanup(b.Close) // after the harness's cleanups, registered later
	ctrl, err := b.Start(c, backend.FromSaved)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	return b, ctrl, prefs
}

// tokenOnlyServer serves the token-only example profile's style of API
// (assets/profiles/token-only.toml): an opaque access token and nothing
// else from sign-in, a /me endpoint, and {items, total} lists paged with
// offset/limit. A copy of the minimum of profile's style servers.
type tokenOnlyServer struct {
	*httptest.Server
	mu     sync.Mutex
	tokens map[string]bool
	logins int
}

const (
	tokenOnlyUser     = "grace@example.com"
	tokenOnlyPassword = "cobol-forever"
	tokenOnlyItems    = 12
)

func newTokenOnlyServer(t *testing.T) *tokenOnlyServer {
	s := &tokenOnlyServer{tokens: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Username, Password string }
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			writeTestJSON(w, 400, map[string]any{"msg": "bad JSON"})
			return
		}
		if in.Username != tokenOnlyUser || in.Password != tokenOnlyPassword {
			writeTestJSON(w, 401, map[string]any{"msg": "Bad username or password"})
			return
		}
		buf := make([]byte, 16)
		_, _ = rand.Read(buf)
		tok := hex.EncodeToString(buf)
		s.mu.Lock()
		s.tokens[tok] = true
		s.logins++
		s.mu.Unlock()
		writeTestJSON(w, 200, map[string]any{"access_token": tok})
	})
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			writeTestJSON(w, 401, map[string]any{"msg": "Token has expired"})
			return
		}
		writeTestJSON(w, 200, map[string]any{"id": 7, "display_name": "Grace Hopper", "email": tokenOnlyUser})
	})
	mux.HandleFunc("GET /notes", func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			writeTestJSON(w, 401, map[string]any{"msg": "Token has expired"})
			return
		}
		offset, err1 := strconv.Atoi(r.URL.Query().Get("offset"))
		limit, err2 := strconv.Atoi(r.URL.Query().Get("limit"))
		if err1 != nil || err2 != nil || offset < 0 || limit < 1 {
			http.Error(w, "want offset and limit", http.StatusBadRequest)
			return
		}
		items := []map[string]any{}
		for i := offset; i < min(offset+limit, tokenOnlyItems); i++ {
			items = append(items, map[string]any{"id": i + 1, "text": "Note " + strconv.Itoa(i+1)})
		}
		writeTestJSON(w, 200, map[string]any{"items": items, "total": tokenOnlyItems})
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func (s *tokenOnlyServer) authorized(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	defer s.mu.Unlock()
	return ok && s.tokens[tok]
}

func writeTestJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
