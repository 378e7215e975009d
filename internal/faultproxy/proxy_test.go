package faultproxy

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"signet/internal/testsync"
)

// upstream answers every request with "up:<path>".
func upstream(t *testing.T) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Upstream", "1")
		io.WriteString(w, "up:"+r.URL.Path)
	}))
	t.Cleanup(s.Close)
	return s
}

func newProxy(t *testing.T) *Proxy {
	t.Helper()
	p := New(upstream(t).URL)
	t.Cleanup(p.Close)
	return p
}

func get(t *testing.T, c *http.Client, url string) (int, string, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer test-credential")
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

func TestProxy_Actions(t *testing.T) {
	p := newProxy(t)
	client := &http.Client{Timeout: 2 * time.Second}
	tests := []struct {
		name       string
		rule       Rule
		wantStatus int
		wantBody   string
		wantErr    bool
		check      func(t *testing.T, body string, elapsed time.Duration)
	}{
		{name: "pass through by default", rule: PassThrough(), wantStatus: 200, wantBody: "up:/x"},
		{name: "answers a status with a body", rule: Status(503, `{"error":"busy"}`), wantStatus: 503, wantBody: `{"error":"busy"}`},
		{name: "delays then passes", rule: Delayed(150 * time.Millisecond), wantStatus: 200, wantBody: "up:/x",
			check: func(t *testing.T, _ string, el time.Duration) {
				if el < 150*time.Millisecond {
					t.Errorf("answered after %v, want at least the 150ms delay", el)
				}
			}},
		{name: "closes the connection", rule: CloseConn(), wantErr: true},
		{name: "malformed JSON", rule: MalformedJSON(), wantStatus: 200,
			check: func(t *testing.T, body string, _ time.Duration) {
				if !strings.HasPrefix(body, "{") || strings.HasSuffix(body, "}") {
					t.Errorf("body %q is not a truncated JSON object", body)
				}
			}},
		{name: "large body", rule: LargeBody(2), wantStatus: 200,
			check: func(t *testing.T, body string, _ time.Duration) {
				if len(body) != 2<<20 || body[0] != '"' || body[len(body)-1] != '"' {
					t.Errorf("body is %d bytes, want a 2 MiB JSON string", len(body))
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p.Set("/x", tt.rule)
			start := time.Now()
			status, body, err := get(t, client, p.URL()+"/x")
			if tt.wantErr {
				if err == nil {
					t.Fatalf("got status %d, want a transport error", status)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if status != tt.wantStatus {
				t.Errorf("status %d, want %d", status, tt.wantStatus)
			}
			if tt.wantBody != "" && body != tt.wantBody {
				t.Errorf("body %q, want %q", body, tt.wantBody)
			}
			if tt.check != nil {
				tt.check(t, body, time.Since(start))
			}
		})
	}
}

func TestProxy_HangLastsUntilTheClientGivesUp(t *testing.T) {
	p := newProxy(t)
	p.Set("/slow", HangUp())
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, p.URL()+"/slow", nil)
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the client's deadline", err)
	}
	// The proxy notices the client left and finishes the request.
	if !testsync.Poll(2*time.Second, func() bool { return p.Requests()[0].Done != 0 }) {
		t.Fatal("the hung request never finished after the client left")
	}
}

func TestProxy_RuleForALimitedNumberOfRequests(t *testing.T) {
	p := newProxy(t)
	p.Set("/r", Status(500, "no").Only(2))
	var got []int
	for range 3 {
		status, _, err := get(t, http.DefaultClient, p.URL()+"/r")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, status)
	}
	if got[0] != 500 || got[1] != 500 || got[2] != 200 {
		t.Fatalf("statuses %v, want [500 500 200]", got)
	}
}

func TestProxy_AnyPathRuleYieldsToAPathRule(t *testing.T) {
	p := newProxy(t)
	p.Set(AnyPath, Status(418, ""))
	p.Set("/ok", PassThrough())
	if s, _, _ := get(t, http.DefaultClient, p.URL()+"/other"); s != 418 {
		t.Errorf("/other: %d, want 418 from the AnyPath rule", s)
	}
	if s, _, _ := get(t, http.DefaultClient, p.URL()+"/ok"); s != 200 {
		t.Errorf("/ok: %d, want 200 from its own rule", s)
	}
	p.Reset()
	if s, _, _ := get(t, http.DefaultClient, p.URL()+"/other"); s != 200 {
		t.Errorf("after Reset: %d, want 200", s)
	}
}

func TestProxy_RefuseThenRestartOnTheSameAddress(t *testing.T) {
	p := newProxy(t)
	url := p.URL()
	p.Refuse()
	_, _, err := get(t, &http.Client{Transport: &http.Transport{}}, url+"/a")
	if !errors.Is(err, errConnRefused) {
		t.Fatalf("while refusing: err = %v, want connection refused", err)
	}
	if err := p.Restart(); err != nil {
		t.Fatal(err)
	}
	if p.URL() != url {
		t.Fatalf("URL changed from %s to %s", url, p.URL())
	}
	if s, body, err := get(t, http.DefaultClient, url+"/a"); err != nil || s != 200 || body != "up:/a" {
		t.Fatalf("after Restart: %d %q %v, want 200 up:/a", s, body, err)
	}
}

func TestProxy_RecordsCountsAuthorizationAndOrder(t *testing.T) {
	p := newProxy(t)
	p.Set("/slow", Delayed(100*time.Millisecond))
	var wg sync.WaitGroup
	wg.Go(func() { get(t, http.DefaultClient, p.URL()+"/slow") })
	for p.Hits("/slow") == 0 { // /slow must arrive first; the order is what is checked
		time.Sleep(time.Millisecond)
	}
	get(t, http.DefaultClient, p.URL()+"/fast")
	wg.Wait()

	if p.Hits("/slow") != 1 || p.Hits("/fast") != 1 || p.Hits("/none") != 0 {
		t.Fatalf("hits /slow=%d /fast=%d /none=%d, want 1 1 0", p.Hits("/slow"), p.Hits("/fast"), p.Hits("/none"))
	}
	if a := p.Authorizations("/fast"); len(a) != 1 || a[0] != "Bearer test-credential" {
		t.Fatal("the Authorization value sent was not recorded")
	}
	rs := p.Requests()
	slow, fast := rs[0], rs[1]
	if slow.Path != "/slow" || !(slow.Arrived < fast.Arrived && fast.Done < slow.Done) {
		t.Fatalf("order not recorded: slow %d..%d, fast %d..%d", slow.Arrived, slow.Done, fast.Arrived, fast.Done)
	}
	if slow.Status != 200 || fast.Status != 200 {
		t.Fatalf("statuses %d %d, want 200 200", slow.Status, fast.Status)
	}
}

func TestProxy_HangWithARequestBodyEndsWhenTheClientLeaves(t *testing.T) {
	p := newProxy(t)
	p.Set("/slow", HangUp())
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, p.URL()+"/slow", strings.NewReader(`{"a":1}`))
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("a hung request got an answer")
	}
	if !testsync.Poll(2*time.Second, func() bool { return p.Requests()[0].Done != 0 }) {
		t.Fatal("the hung POST never finished after the client left")
	}
}
