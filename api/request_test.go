package api

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"
)

func TestRequest_BuiltFromSpec(t *testing.T) {
	tests := []struct {
		name     string
		spec     RequestSpec
		wantCT   string
		wantBody func(t *testing.T, body string)
		check    func(t *testing.T, s seen)
	}{
		{
			name:   "json default with constants and templates, no double expansion",
			spec:   RequestSpec{Path: "/login", Body: map[string]any{"user": "{username}", "pass": "{password}", "remember": "true"}},
			wantCT: "application/json",
			wantBody: func(t *testing.T, body string) {
				var m map[string]string
				if err := json.Unmarshal([]byte(body), &m); err != nil {
					t.Fatal(err)
				}
				if m["user"] != "ann" || m["pass"] != "<{refresh_token}&>" || m["remember"] != "true" {
					t.Errorf("body %v", m)
				}
			},
			check: func(t *testing.T, s seen) {
				if s.Method != "POST" {
					t.Errorf("method %s", s.Method)
				}
			},
		},
		{
			name:   "form with method and templated headers",
			spec:   RequestSpec{Method: "put", Path: "/s?v=2", Encoding: "form", Body: map[string]any{"u": "{username}"}, Headers: map[string]string{"X-User": "id:{username}", "X-Pass": "{password}", "Accept": "application/vnd.x+json"}},
			wantCT: "application/x-www-form-urlencoded",
			wantBody: func(t *testing.T, body string) {
				if v, _ := url.ParseQuery(body); v.Get("u") != "ann" {
					t.Errorf("form %q", body)
				}
			},
			check: func(t *testing.T, s seen) {
				if s.Method != "PUT" || s.RawQuery != "v=2" || s.Header.Get("X-User") != "id:ann" || s.Header.Get("Accept") != "application/vnd.x+json" {
					t.Errorf("request %s ?%s headers %v", s.Method, s.RawQuery, s.Header)
				}
			},
		},
		{
			name: "no body",
			spec: RequestSpec{Path: "/login", Headers: map[string]string{"X-User": "{username}", "X-Pass": "{password}"}},
			wantBody: func(t *testing.T, body string) {
				if body != "" {
					t.Errorf("body %q", body)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{body: `{"access_token":"a"}`}
			srv := serve(t, rec)
			p := simpleProfile(srv.URL)
			p.Login.RequestSpec = tt.spec
			if _, err := newTestClient(t, p).Login(context.Background(), "ann", "<{refresh_token}&>"); err != nil {
				t.Fatal(err)
			}
			s := rec.lastRequest()
			if s.Header.Get("Content-Type") != tt.wantCT {
				t.Errorf("content type %q, want %q", s.Header.Get("Content-Type"), tt.wantCT)
			}
			if ua := s.Header.Get("User-Agent"); ua != "Signet/"+Version {
				t.Errorf("user agent %q", ua)
			}
			if tt.check == nil && s.Header.Get("Accept") != "application/json" {
				t.Errorf("accept %q", s.Header.Get("Accept"))
			}
			tt.wantBody(t, s.Body)
			if tt.check != nil {
				tt.check(t, s)
			}
		})
	}
}

func TestRequest_LogoutCanSendTheAccessToken(t *testing.T) {
	rec := &recorder{status: 204}
	srv := serve(t, rec)
	p := simpleProfile(srv.URL)
	p.Logout = &RequestSpec{Method: "DELETE", Path: "/session", Headers: map[string]string{"Authorization": "Bearer {access_token}"}}
	if err := newTestClient(t, p).Logout(context.Background(), Tokens{AccessToken: "at-9"}); err != nil {
		t.Fatal(err)
	}
	if s := rec.lastRequest(); s.Method != "DELETE" || s.Header.Get("Authorization") != "Bearer at-9" {
		t.Errorf("%s auth %q", s.Method, s.Header.Get("Authorization"))
	}
}

func TestRequest_HeaderInjectionRefusedWithoutSending(t *testing.T) {
	rec := &recorder{body: `{"access_token":"a"}`}
	srv := serve(t, rec)
	p := simpleProfile(srv.URL)
	p.Login.Headers = map[string]string{"X-User": "{username}"}
	_, err := newTestClient(t, p).Login(context.Background(), "ann\r\nX-Evil: 1", "p")
	if err == nil || KindOf(err) != 0 || rec.calls != 0 {
		t.Errorf("err %v (kind %v), calls %d", err, KindOf(err), rec.calls)
	}
}
