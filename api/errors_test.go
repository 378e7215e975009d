package api

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestLogin_StatusDecidesKind(t *testing.T) {
	tests := []struct {
		status  int
		body    string
		want    Kind
		wantMsg string
	}{
		{400, `{"error":"invalid_grant","error_description":"Bad password."}`, KindBadCredentials, "Bad password."},
		{401, `{"message":"Invalid credentials"}`, KindBadCredentials, "Invalid credentials"},
		{403, `{"msg":"Account locked"}`, KindBadCredentials, "Account locked"},
		{404, `{"error":"invalid_grant"}`, KindBadCredentials, ""}, // invalid_grant with any 4xx
		{404, `Not Found`, KindServer, ""},
		{429, `{"message":"Too many attempts, wait a minute."}`, KindServer, "Too many attempts, wait a minute."},
		{500, `{"error":"server_error"}`, KindServer, ""},
		{502, `<html><body><h1>502 Bad Gateway</h1></body></html>`, KindServer, ""},
		{302, ``, KindServer, ""},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status)+"/"+tt.body, func(t *testing.T) {
			srv := serve(t, &recorder{status: tt.status, body: tt.body, header: map[string]string{"Location": "/elsewhere"}})
			_, err := newTestClient(t, simpleProfile(srv.URL)).Login(context.Background(), "u", "p4ssw0rd")
			e := wantKind(t, err, tt.want)
			if e.ServerMessage != tt.wantMsg || e.Status != tt.status {
				t.Errorf("message %q status %d, want %q %d", e.ServerMessage, e.Status, tt.wantMsg, tt.status)
			}
			if tt.wantMsg == "" && strings.Contains(e.Error(), "<") {
				t.Errorf("HTML leaked into the text: %q", e.Error())
			}
		})
	}
}

func TestRefresh_StatusDecidesKind(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   Kind
	}{
		{400, `{"error":"invalid_request"}`, KindRefreshRefused},
		{401, ``, KindRefreshRefused},
		{403, `{"error":"invalid_grant","error_description":"Token revoked"}`, KindRefreshRefused},
		{403, `<html>Forbidden by proxy</html>`, KindServer}, // not the API's word: keep the session
		{429, ``, KindServer},
		{503, `{"message":"Maintenance"}`, KindServer},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			srv := serve(t, &recorder{status: tt.status, body: tt.body})
			_, err := newTestClient(t, simpleProfile(srv.URL)).Refresh(context.Background(), "rt-123")
			e := wantKind(t, err, tt.want)
			if (tt.want == KindServer) != e.Retryable() {
				t.Errorf("Retryable = %v", e.Retryable())
			}
		})
	}
}

func TestErrorBodyShapes_ServerMessageFound(t *testing.T) {
	long := strings.Repeat("word ", 100)
	tests := []struct{ name, body, want string }{
		{"message", `{"message":"  Invalid credentials\n"}`, "Invalid credentials"},
		{"oauth description over code", `{"error":"invalid_grant","error_description":"Password wrong."}`, "Password wrong."},
		{"oauth code alone", `{"error":"invalid_grant"}`, ""},
		{"error sentence", `{"error":"User not found"}`, "User not found"},
		{"errors array", `{"errors":[{"message":"Email is not verified"},{"message":"second"}]}`, "Email is not verified"},
		{"errors strings", `{"errors":["Nope, not you"]}`, "Nope, not you"},
		{"msg", `{"msg":"Bad login"}`, "Bad login"},
		{"detail", `{"detail":"Not authenticated"}`, "Not authenticated"},
		{"fastapi detail", `{"detail":[{"loc":["body"],"msg":"field required"}]}`, "field required"},
		{"nested error", `{"error":{"code":401,"message":"Token expired"}}`, "Token expired"},
		{"bare string", `"Access denied"`, "Access denied"},
		{"empty message skipped", `{"message":"","msg":"Second try"}`, "Second try"},
		{"html", `<!doctype html><title>502</title>`, ""},
		{"plain text", `Service Unavailable`, ""},
		{"array", `[1,2]`, ""},
		{"control chars", "{\"message\":\"a\\u001b[31mred\\u202e\\tb\"}", "a [31mred b"}, // a control character separates words
		{"capped", `{"message":"` + long + `"}`, strings.TrimSpace(long)[:199-1] + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := extractMessage([]byte(tt.body), "", nil)
			if tt.name == "capped" {
				if n := len([]rune(got)); n != maxMessageRunes || !strings.HasSuffix(got, "…") {
					t.Errorf("capped to %d runes: %q", n, got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestErrorPath_OverridesDetection(t *testing.T) {
	body := []byte(`{"message":"generic","result":{"reason":"Your trial ended"}}`)
	if got := extractMessage(body, "result.reason", nil); got != "Your trial ended" {
		t.Errorf("got %q", got)
	}
	if got := extractMessage(body, "result.missing", nil); got != "" {
		t.Errorf("a set ErrorPath that finds nothing must not guess; got %q", got)
	}
}

func TestServerMessage_NeverEchoesSecrets(t *testing.T) {
	jwtLike := "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
	tests := []struct{ name, body string }{
		{"password echoed", `{"message":"Password hunter2!x is wrong"}`},
		{"refresh token echoed", `{"error_description":"Refresh token rt-SECRET-42 revoked"}`},
		{"some JWT", `{"message":"bad token ` + jwtLike + `"}`},
		{"long opaque token", `{"message":"token 3f9a1c0b7e2d4a6f8b1c3e5d7f9a0b2c4d6e8f0a1b is dead"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := extractMessage([]byte(tt.body), "", []string{"hunter2!x", "rt-SECRET-42", ""}); got != "" {
				t.Errorf("got %q, want it dropped", got)
			}
		})
	}
	// A request id (UUID) or a URL is not a token.
	ok := `{"message":"Failed, request 123e4567-e89b-12d3-a456-426614174000, see https://docs.example.com/errors/authentication/invalid-credentials"}`
	if got := extractMessage([]byte(ok), "", nil); got == "" {
		t.Error("a message with a UUID and a URL was dropped")
	}
}

func TestMalformedAnswers(t *testing.T) {
	huge := `{"access_token":"x","pad":"` + strings.Repeat("a", 10<<20) + `"}`
	tests := []struct {
		name, body string
		wantText   string // part of Error()
	}{
		{"not JSON", `<html>ok</html>`, "not JSON"},
		{"truncated JSON", `{"access_token":"abc`, "not JSON"},
		{"empty body", ``, "empty"},
		{"missing token", `{"token":"secret-value-1"}`, `no access token at "access_token"`},
		{"null token", `{"access_token":null}`, `no access token at "access_token"`},
		{"number token", `{"access_token":12345}`, `"access_token" is not a string`},
		{"object token", `{"access_token":{"v":"secret-value-1"}}`, `"access_token" is not a string`},
		{"empty token", `{"access_token":"  "}`, `"access_token" is empty`},
		{"newline in token", `{"access_token":"a\nb"}`, "header cannot carry"},
		{"refresh token wrong type", `{"access_token":"a","refresh_token":["secret-value-1"]}`, `"refresh_token" is not a string`},
		{"10 MB body", huge, "larger than 1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, &recorder{body: tt.body})
			_, err := newTestClient(t, simpleProfile(srv.URL)).Login(context.Background(), "u", "p")
			e := wantKind(t, err, KindMalformed)
			if !strings.Contains(e.Error(), tt.wantText) {
				t.Errorf("text %q does not say %q", e.Error(), tt.wantText)
			}
			if strings.Contains(e.Error(), "secret-value-1") {
				t.Errorf("text shows a value from the answer: %q", e.Error())
			}
		})
	}
}

func TestList_BodyOverMaxBodyIsMalformedNotRead(t *testing.T) {
	srv := serve(t, &recorder{body: `{"items":[` + strings.Repeat(`{"id":1},`, 1000) + `{"id":2}]}`})
	c := newTestClient(t, simpleProfile(srv.URL), func(c *Config) { c.MaxBody = 4 << 10 })
	_, err := c.FetchList(context.Background(), nil, "Things", 0, 0, "")
	if e := wantKind(t, err, KindMalformed); !strings.Contains(e.Error(), "larger than 4 KiB") {
		t.Errorf("text %q", e.Error())
	}
}

func TestList_MalformedShapes(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"no items key", `{"total":3}`, `no list at "items"`},
		{"items not a list", `{"items":{"a":1}}`, `"items" is not a list`},
		{"not JSON", `[{"id":1},`, "not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, &recorder{body: tt.body})
			_, err := newTestClient(t, simpleProfile(srv.URL)).FetchList(context.Background(), nil, "Things", 0, 0, "")
			if e := wantKind(t, err, KindMalformed); !strings.Contains(e.Error(), tt.want) {
				t.Errorf("text %q", e.Error())
			}
		})
	}
	// {"items": null} is an empty list, not a malformed one.
	srv := serve(t, &recorder{body: `{"items":null,"total":0}`})
	p, err := newTestClient(t, simpleProfile(srv.URL)).FetchList(context.Background(), nil, "Things", 0, 0, "")
	if err != nil || len(p.Items) != 0 || p.Total != 0 {
		t.Errorf("null items: %+v %v", p, err)
	}
}

func TestFetchList_RefusedStatusesAreUnauthorized(t *testing.T) {
	tests := []struct {
		status  int
		expired []int
		want    Kind
	}{
		{401, nil, KindUnauthorized},
		{403, nil, KindUnauthorized},
		{419, []int{401, 419}, KindUnauthorized},
		{419, nil, KindServer},
		{404, nil, KindServer},
		{500, nil, KindServer},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			srv := serve(t, &recorder{status: tt.status, body: `{}`})
			p := simpleProfile(srv.URL)
			p.ExpiredStatuses = tt.expired
			_, err := newTestClient(t, p).FetchList(context.Background(), nil, "Things", 0, 0, "")
			wantKind(t, err, tt.want)
		})
	}
}

func TestFetchList_UnknownListIsErrUnknownList(t *testing.T) {
	c := newTestClient(t, simpleProfile("http://127.0.0.1:1"))
	_, err := c.FetchList(context.Background(), nil, "Nope", 0, 0, "")
	if !errors.Is(err, ErrUnknownList) || KindOf(err) != 0 {
		t.Errorf("err = %v (kind %v)", err, KindOf(err))
	}
}

func TestNetwork_ConnectionRefusedIsNetwork(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = newTestClient(t, simpleProfile("http://"+addr)).Login(context.Background(), "u", "p")
	e := wantKind(t, err, KindNetwork)
	if !e.Retryable() || !strings.Contains(e.Error(), "Can't reach the server to sign in") {
		t.Errorf("text %q", e.Error())
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("cause %T is not the *net.OpError", e.Err)
	}
}

// hang answers nothing until the client gives up.
func hang(t *testing.T) *Client {
	release := make(chan struct{})
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release) }) // runs before srv.Close
	return newTestClient(t, simpleProfile(srv.URL), func(c *Config) { c.Timeout = 50 * time.Millisecond })
}

func TestNetwork_TimeoutIsNetwork(t *testing.T) {
	c := hang(t)
	_, err := c.FetchList(context.Background(), nil, "Things", 0, 0, "")
	e := wantKind(t, err, KindNetwork)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("cause %v is not a deadline", e.Err)
	}
	if errors.Is(err, context.Canceled) {
		t.Error("a timeout must not look like the caller cancelling")
	}
}

func TestCallerCancel_UnwrapsToContextCanceled(t *testing.T) {
	c := hang(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Refresh(ctx, "rt")
		done <- err
	}()
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want one that unwraps to context.Canceled", err)
	}
	wantKind(t, err, KindNetwork)
}

func TestLogout_FourHundredsAreNotWorthShowing(t *testing.T) {
	tests := []struct {
		status  int
		wantErr Kind
	}{
		{204, 0}, {200, 0}, {400, 0}, {401, 0}, {404, 0}, {429, KindServer}, {500, KindServer},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			srv := serve(t, &recorder{status: tt.status})
			err := newTestClient(t, simpleProfile(srv.URL)).Logout(context.Background(), Tokens{AccessToken: "a", RefreshToken: "r"})
			if KindOf(err) != tt.wantErr || (tt.wantErr == 0) != (err == nil) {
				t.Errorf("err = %v, want kind %v", err, tt.wantErr)
			}
		})
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	err := newTestClient(t, simpleProfile("http://"+addr)).Logout(context.Background(), Tokens{RefreshToken: "r"})
	wantKind(t, err, KindNetwork)
}

func TestErrorText_NeverShowsSecretsQueryOrHeaders(t *testing.T) {
	const password, refresh = "pw-Zq81-secret", "rt-Zq81-secret"
	// The server echoes what it was sent; the client must not pass it on.
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		writeJSON(w, 500, map[string]string{"message": "boom " + string(b)})
	}))
	p := simpleProfile(srv.URL)
	p.Login.Path = "/login?client_secret=qs-Zq81-secret"
	p.Login.Headers = map[string]string{"X-Api-Key": "hdr-Zq81-secret"}
	c := newTestClient(t, p)
	var errs []error
	_, err := c.Login(context.Background(), "user", password)
	errs = append(errs, err)
	_, err = c.Refresh(context.Background(), refresh)
	errs = append(errs, err)
	_, err = c.FetchList(context.Background(), nil, "Things", 0, 0, "search-Zq81-secret")
	errs = append(errs, err)

	// And network failures, whose causes quote URLs.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	p.BaseURL = "http://" + addr
	c = newTestClient(t, p)
	_, err = c.Login(context.Background(), "user", password)
	errs = append(errs, err)
	_, err = c.FetchList(context.Background(), nil, "Things", 0, 0, "search-Zq81-secret")
	errs = append(errs, err)

	for _, err := range errs {
		if err == nil {
			t.Fatal("want an error")
		}
		for e := err; e != nil; e = errors.Unwrap(e) {
			if strings.Contains(e.Error(), "Zq81") {
				t.Errorf("error chain shows a secret: %q", e.Error())
			}
		}
	}
}

func TestRedirect_ToAnotherHostIsNotFollowed(t *testing.T) {
	other := &recorder{body: `{"access_token":"stolen"}`}
	otherSrv := serve(t, other)
	// Same machine, different host name: localhost vs 127.0.0.1.
	target := strings.Replace(otherSrv.URL, "127.0.0.1", "localhost", 1) + "/grab"
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusTemporaryRedirect)
	}))
	_, err := newTestClient(t, simpleProfile(srv.URL)).Login(context.Background(), "u", "p")
	if e := wantKind(t, err, KindServer); e.Status != http.StatusTemporaryRedirect {
		t.Errorf("status %d", e.Status)
	}
	if other.calls != 0 {
		t.Error("the password was replayed to another host")
	}
}

func TestFetchList_TransportVerdictPassesThrough(t *testing.T) {
	refused := &Error{Kind: KindRefreshRefused, Op: "refresh your session", Status: 401}
	hc := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, refused })}
	_, err := newTestClient(t, simpleProfile("http://127.0.0.1:1")).FetchList(context.Background(), hc, "Things", 0, 0, "")
	if err != refused {
		t.Errorf("err = %v (kind %v), want the transport's own *Error", err, KindOf(err))
	}
}

func TestFetchList_HugeLimitDoesNotPreallocate(t *testing.T) {
	srv := serve(t, &recorder{body: `{"items":[{"id":1}]}`})
	page, err := newTestClient(t, simpleProfile(srv.URL)).FetchList(context.Background(), nil, "Things", 0, 1<<40, "")
	if err != nil || len(page.Items) != 1 || cap(page.Items) > 16 {
		t.Errorf("items %d cap %d err %v", len(page.Items), cap(page.Items), err)
	}
}
