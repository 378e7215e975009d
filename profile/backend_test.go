package profile_test

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// backend is the state every style's fake server shares: accounts, live
// tokens and the items of a list. Each style wraps it in its own wire
// format (styles_servers_test.go). "Expiring" a token is done on the server
// side (expireAccess), the way a real token dies, so no test sleeps.
type backend struct {
	mu       sync.Mutex
	password map[string]string // username → password
	access   map[string]string // live access token → username
	refresh  map[string]string // live refresh token → username
	rotate   bool              // refresh tokens are single use
	jwtKey   []byte            // non-nil: access tokens are JWTs with exp
	now      func() time.Time
	items    []item

	logins, refreshes, logouts int
	lastExp                    time.Time // exp of the last JWT issued
}

type item struct {
	ID       int    `json:"id"`
	Title    string `json:"title"`
	Subtitle string `json:"subtitle"`
}

const (
	testUser     = "ada@example.com"
	testPassword = "correct horse battery staple"
	itemCount    = 7
	accessTTL    = 15 * time.Minute
)

func newBackend() *backend {
	b := &backend{
		password: map[string]string{testUser: testPassword},
		access:   map[string]string{},
		refresh:  map[string]string{},
		now:      time.Now,
	}
	for i := 1; i <= itemCount; i++ {
		b.items = append(b.items, item{ID: i, Title: fmt.Sprintf("Item %d", i), Subtitle: fmt.Sprintf("Sub %d", i)})
	}
	return b
}

func randomToken() string {
	buf := make([]byte, 16)
	_, _ = rand.Read(buf)
	return hex.EncodeToString(buf)
}

// signIn returns new tokens for good credentials.
func (b *backend) signIn(user, pass string) (access, refresh string, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if want, found := b.password[user]; !found || want != pass {
		return "", "", false
	}
	b.logins++
	access, refresh = b.issueLocked(user), randomToken()
	b.refresh[refresh] = user
	return access, refresh, true
}

func (b *backend) issueLocked(user string) string {
	tok := randomToken()
	if b.jwtKey != nil {
		b.lastExp = b.now().Add(accessTTL).Truncate(time.Second)
		signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
			"sub": user, "exp": b.lastExp.Unix(), "jti": tok,
		}).SignedString(b.jwtKey)
		if err != nil {
			panic(err)
		}
		tok = signed
	}
	b.access[tok] = user
	return tok
}

// renew trades a refresh token; with rotate the old one dies.
func (b *backend) renew(rt string) (access, refresh string, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	user, found := b.refresh[rt]
	if !found {
		return "", "", false
	}
	b.refreshes++
	refresh = rt
	if b.rotate {
		delete(b.refresh, rt)
		refresh = randomToken()
		b.refresh[refresh] = user
	}
	return b.issueLocked(user), refresh, true
}

// expireAccess kills every access token, as time would.
func (b *backend) expireAccess() {
	b.mu.Lock()
	defer b.mu.Unlock()
	clear(b.access)
}

func (b *backend) logout() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.logouts++
	clear(b.access)
	clear(b.refresh)
}

// bearerUser is the user of the request's bearer token, if it is live.
func (b *backend) bearerUser(r *http.Request) (string, bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return "", false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	user, live := b.access[tok]
	return user, live
}

func (b *backend) counts() (logins, refreshes, logouts int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.logins, b.refreshes, b.logouts
}

// window returns items[from:from+n], clamped.
func (b *backend) window(from, n int) []item {
	from = max(0, min(from, len(b.items)))
	to := max(from, min(from+n, len(b.items)))
	return b.items[from:to]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// decodeJSON reads a JSON object body into m; false (and a 400) when the
// request is not what the style's client must send.
func decodeJSON(w http.ResponseWriter, r *http.Request, m any) bool {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		http.Error(w, "want a JSON body", http.StatusUnsupportedMediaType)
		return false
	}
	if err := json.NewDecoder(r.Body).Decode(m); err != nil {
		http.Error(w, "bad JSON", http.StatusBadRequest)
		return false
	}
	return true
}
