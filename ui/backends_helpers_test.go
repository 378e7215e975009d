package ui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"signet/api"
	"signet/profile"
	"signet/session"
	"signet/session/keychain"
)

// testBackends is Backends the way main implements it, minus the embedded
// demo: profile files are loaded and validated by package profile, and each
// switch builds a real session controller over HTTP, sharing one memory
// keychain and one set of preferences.
type testBackends struct {
	t       *testing.T
	kc      *keychain.Memory
	prefs   *session.MemoryPreferences
	presets []PresetInfo
	// demoURL is where the "demo" preset points.
	demoURL string

	mu          sync.Mutex
	current     Choice
	rejected    Choice
	rejectedErr error
	switches    []Choice
}

func newTestBackends(t *testing.T, current Choice, demoURL string) *testBackends {
	return &testBackends{
		t: t, kc: keychain.NewMemory(), prefs: session.NewMemoryPreferences(), demoURL: demoURL,
		current: current,
		presets: []PresetInfo{
			{Name: "demo", Title: "Demo server", Description: "The built-in backend.", Hint: "Demo account: demo / demo1234"},
			{Name: "oauth2-password", Title: "OAuth 2.0 password grant", Description: "An RFC 6749 token endpoint."},
		},
	}
}

func (b *testBackends) Current() Choice {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.current
}

func (b *testBackends) Rejected() (Choice, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rejected, b.rejectedErr
}

func (b *testBackends) Presets() []PresetInfo { return b.presets }

func (b *testBackends) Describe(c Choice) (api.Profile, error) {
	var p api.Profile
	var err error
	switch {
	case c.File != "":
		if p, err = profile.Load(c.File); err == nil && c.BaseURL != "" {
			p, err = profile.WithBaseURL(p, c.BaseURL)
		}
	case c.Preset == "demo":
		p, err = profile.Validate(api.DemoProfile(b.demoURL))
	default:
		pr, _ := profile.FindPreset(c.Preset)
		p, err = pr.Profile(c.BaseURL)
	}
	return p, err
}

func (b *testBackends) Switch(c Choice) (Session, error) {
	p, err := b.Describe(c)
	if err != nil {
		return nil, err
	}
	client, err := api.New(api.Config{Profile: p})
	if err != nil {
		return nil, err
	}
	ctrl, err := session.New(session.Config{
		Client: client, Keychain: b.kc, Prefs: b.prefs, Service: "io.signet.test",
		StorageKey: p.Name + "@" + strings.TrimPrefix(p.BaseURL, "http://"),
	})
	if err != nil {
		return nil, err
	}
	r := &realSession{Controller: ctrl, url: p.BaseURL}
	b.t.Cleanup(ctrl.Close)
	b.t.Cleanup(r.calls.Wait)
	ctrl.Restore(context.Background())
	b.mu.Lock()
	b.current = c
	b.rejected, b.rejectedErr = Choice{}, nil
	b.switches = append(b.switches, c)
	b.mu.Unlock()
	return r, nil
}

func (b *testBackends) switchCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.switches)
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
