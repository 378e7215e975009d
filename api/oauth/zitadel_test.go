package oauth

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"

	"signet/internal/demotest"
)

// The independent provider: zitadel/oidc's OpenID Provider (pkg/op) with
// its in-memory example storage, a login page and a deny button. Signet's
// code never shares a line with it, so a passing flow means Signet speaks
// the standard, not just its own demo's dialect.

const (
	zUser     = "test-user2"
	zPassword = "verysecure"
	zSubject  = "id2"
	zNative   = "native"
	zOther    = "other-app"
	zDevice   = "device"
	zSecret   = "secret"
)

func TestMain(m *testing.M) {
	// pkg/op logs through the default logger; keep test output readable.
	slog.SetDefault(slog.New(slog.DiscardHandler))
	demotest.Main(m)
}

// tamper makes the provider misbehave in one way, to prove the client notices.
type tamper int

const (
	tamperNone     tamper = iota
	tamperNonce           // the ID token carries another nonce
	tamperKey             // the ID token is signed by a key not in the JWKS
	tamperSlowDown        // the first device poll answers slow_down
)

// zStorage is the example storage with the tampering hooks.
type zStorage struct {
	*storage.Storage
	tamper   tamper
	other    op.SigningKey
	slowDown chan struct{} // closed after the first slow_down
}

type zAuthRequest struct {
	op.AuthRequest
	tamper tamper
}

func (r zAuthRequest) GetNonce() string {
	if r.tamper == tamperNonce {
		return "not-your-nonce"
	}
	return r.AuthRequest.GetNonce()
}

func (s *zStorage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	r, err := s.Storage.AuthRequestByCode(ctx, code)
	if err != nil || s.tamper == tamperNone {
		return r, err
	}
	return zAuthRequest{r, s.tamper}, nil
}

func (s *zStorage) SigningKey(ctx context.Context) (op.SigningKey, error) {
	if s.tamper == tamperKey {
		return s.other, nil
	}
	return s.Storage.SigningKey(ctx)
}

func (s *zStorage) GetDeviceAuthorizatonState(ctx context.Context, clientID, deviceCode string) (*op.DeviceAuthorizationState, error) {
	if s.tamper == tamperSlowDown {
		select {
		case <-s.slowDown:
		default:
			close(s.slowDown)
			// pkg/op answers a storage deadline with slow_down.
			return nil, context.DeadlineExceeded
		}
	}
	return s.Storage.GetDeviceAuthorizatonState(ctx, clientID, deviceCode)
}

type zProvider struct {
	URL string
	st  *zStorage
}

// startZitadel serves an OpenID Provider on a loopback port. Its issuer
// follows the Host the request names, so one server can be reached as
// http://127.0.0.1:N and http://localhost:N (two issuers).
func startZitadel(t *testing.T, tm tamper, deviceLifetime time.Duration) *zProvider {
	t.Helper()
	clients := map[string]*storage.Client{
		zNative: storage.NativeClient(zNative, "http://127.0.0.1/callback", "http://localhost/callback"),
		zOther:  storage.NativeClient(zOther, "http://127.0.0.1/callback"),
		zDevice: storage.DeviceClient(zDevice, zSecret),
	}
	st := &zStorage{Storage: storage.NewStorageWithClients(storage.NewUserStore("http://127.0.0.1"), clients),
		tamper: tm, slowDown: make(chan struct{})}
	if tm == tamperKey {
		// Another storage's key: a valid signature by a key the provider
		// does not publish.
		st.other, _ = storage.NewStorageWithClients(storage.NewUserStore("http://x"), clients).SigningKey(context.Background())
	}
	if deviceLifetime == 0 {
		deviceLifetime = time.Minute
	}
	cfg := &op.Config{
		CryptoKey:             sha256.Sum256([]byte("test")),
		CodeMethodS256:        true,
		AuthMethodPost:        true,
		GrantTypeRefreshToken: true,
		SupportedUILocales:    []language.Tag{language.English},
		DeviceAuthorization: op.DeviceAuthorizationConfig{
			Lifetime: deviceLifetime, PollInterval: time.Second, UserFormPath: "/device", UserCode: op.UserCodeBase20,
		},
	}
	provider, err := op.NewProvider(cfg, st, op.IssuerFromHost(""), op.WithAllowInsecure())
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	callback := op.AuthCallbackURL(provider)
	interceptor := op.NewIssuerInterceptor(provider.IssuerFromRequest)
	mux.HandleFunc("GET /login/username", func(w http.ResponseWriter, r *http.Request) {
		_ = loginPage.Execute(w, r.URL.Query().Get("authRequestID"))
	})
	mux.Handle("POST /login/username", interceptor.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.FormValue("id")
		if r.FormValue("action") == "deny" {
			req, err := st.AuthRequestByID(r.Context(), id)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			op.AuthRequestError(w, r, req, oidc.ErrAccessDenied().WithDescription("The user declined the sign-in."), provider)
			return
		}
		if err := st.CheckUsernamePassword(r.FormValue("username"), r.FormValue("password"), id); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, callback(r.Context(), id), http.StatusFound)
	}))
	mux.Handle("/", provider)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &zProvider{URL: srv.URL, st: st}
}

var loginPage = template.Must(template.New("login").Parse(`<!doctype html><html><body>
<form method="post" action="/login/username"><input type="hidden" name="id" value="{{.}}">
<input name="username"><input name="password" type="password">
<button type="submit" name="action" value="allow">Sign in</button>
<button type="submit" name="action" value="deny">Deny</button></form></body></html>`))

// approveDevice is the person entering the user code on their phone and
// approving (or refusing) it.
func (p *zProvider) approveDevice(t *testing.T, userCode string, allow bool) {
	t.Helper()
	ctx := context.Background()
	var err error
	if allow {
		err = p.st.CompleteDeviceAuthorization(ctx, userCode, zSubject)
	} else {
		err = p.st.DenyDeviceAuthorization(ctx, userCode)
	}
	if err != nil {
		t.Fatalf("approving the device code: %v", err)
	}
}

func (p *zProvider) nativeConfig() Config {
	return Config{Issuer: p.URL, ClientID: zNative, Timeout: 20 * time.Second}
}

func (p *zProvider) deviceConfig() Config {
	return Config{Issuer: p.URL, ClientID: zDevice, ClientSecret: zSecret, Timeout: 20 * time.Second,
		Scopes: []string{"openid", "profile", "email", "offline_access"}}
}

// swapIDToken replaces the id_token of token answers with another one, as
// an attacker between the app and the provider would.
type swapIDToken struct{ idToken string }

func (s *swapIDToken) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.URL.Path, "/token") {
		return resp, err
	}
	var body map[string]any
	err = json.NewDecoder(resp.Body).Decode(&body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	body["id_token"] = s.idToken
	b, _ := json.Marshal(body)
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Del("Content-Length")
	return resp, nil
}
