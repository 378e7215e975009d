package oauth

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"signet/api"
	"signet/internal/browsertest"
)

func newClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func start(t *testing.T, c *Client) *Attempt {
	t.Helper()
	a, err := c.Start(context.Background())
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(a.Cancel)
	return a
}

type outcome struct {
	toks api.Tokens
	user api.User
	err  error
}

// waitAsync runs Wait in the background, as the app does while the
// browser is busy.
func waitAsync(a interface {
	Wait(context.Context) (api.Tokens, api.User, error)
}, ctx context.Context) <-chan outcome {
	ch := make(chan outcome, 1)
	go func() {
		toks, u, err := a.Wait(ctx)
		ch <- outcome{toks, u, err}
	}()
	return ch
}

func result(t *testing.T, ch <-chan outcome) outcome {
	t.Helper()
	select {
	case o := <-ch:
		return o
	case <-time.After(30 * time.Second):
		t.Fatal("Wait did not return")
	}
	return outcome{}
}

// signInWithBrowser plays the person: open the authorization URL, fill in
// the provider's sign-in form and press button; the browser follows the
// redirect back to the loopback listener.
func signInWithBrowser(t *testing.T, authURL, user, password, button string) browsertest.Page {
	t.Helper()
	b := browsertest.New(t)
	login := b.Open(authURL)
	if login.Status != http.StatusOK {
		t.Fatalf("sign-in page: %d %s", login.Status, login.Body)
	}
	return b.Submit(login, map[string]string{"username": user, "password": password}, button)
}

// listenerClosed waits until nothing accepts connections at the redirect URI.
func listenerClosed(t *testing.T, redirectURI string) {
	t.Helper()
	u, _ := url.Parse(redirectURI)
	deadline := time.Now().Add(5 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", u.Host, time.Second)
		if err != nil {
			return
		}
		_ = conn.Close()
		if time.Now().After(deadline) {
			t.Fatalf("the loopback listener %s is still open", u.Host)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("err = %v (%T), want %v", err, err, target)
	}
}

// poll is one answer of the token endpoint, as the client saw it.
type poll struct {
	at   time.Time
	code string // the OAuth error code, "" on success
}

// tokenRecorder records the token endpoint's answers on the way back to
// the client, to see what the polling loop went through.
type tokenRecorder struct {
	mu    sync.Mutex
	polls []poll
}

func (rec *tokenRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.URL.Path, "/token") {
		return resp, err
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(strings.NewReader(string(body)))
	var e struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	rec.mu.Lock()
	rec.polls = append(rec.polls, poll{time.Now(), e.Error})
	rec.mu.Unlock()
	return resp, nil
}

func (rec *tokenRecorder) snapshot() []poll {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]poll(nil), rec.polls...)
}

// waitPoll waits until the recorder has seen an answer with code.
func (rec *tokenRecorder) waitPoll(t *testing.T, code string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		for _, p := range rec.snapshot() {
			if p.code == code {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %q answer seen; polls: %v", code, rec.snapshot())
}
