package demo

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestStats_EndpointOnlyWhenEnabled(t *testing.T) {
	_, off := startServer(t, Config{})
	wantStatus(t, getWithToken(t, off+"/stats", ""), http.StatusNotFound)

	s, on := startServer(t, Config{Stats: true})
	login(t, on, DemoUsername, DemoPassword)
	r := getWithToken(t, on+"/stats", "")
	wantStatus(t, r, http.StatusOK)
	if got := decode[Stats](t, r); got.Logins != 1 || got != s.Stats() {
		t.Errorf("/stats = %+v, want %+v with one login", got, s.Stats())
	}
	if !strings.Contains(string(r.body), `"list_calls_renewed":0`) {
		t.Errorf("/stats body %s lacks snake_case names", r.body)
	}
	s.ResetStats()
	if got := s.Stats(); got != (Stats{}) {
		t.Errorf("after ResetStats: %+v", got)
	}
}

func TestDisableRefresh_SignInGivesNoRefreshTokenAndRefreshIs404(t *testing.T) {
	_, base := startServer(t, Config{DisableRefresh: true})
	r := postJSON(t, base+"/auth/login", map[string]string{"username": DemoUsername, "password": DemoPassword})
	wantStatus(t, r, http.StatusOK)
	if strings.Contains(string(r.body), "refresh_token") {
		t.Fatalf("sign-in answer names a refresh token: %s", r.body)
	}
	tok := decode[tokenResponse](t, r)
	wantStatus(t, refresh(t, base, "anything"), http.StatusNotFound)
	wantStatus(t, getWithToken(t, base+"/api/items", tok.AccessToken), http.StatusOK)
}

func TestOpen_RejectsUnworkableConfig(t *testing.T) {
	for _, cfg := range []Config{
		{TokenTTL: 500 * time.Millisecond},
		{TokenTTL: -time.Second},
		{RefreshTTL: time.Millisecond},
		{RefreshDelay: -time.Second},
	} {
		if s, err := Open(cfg); err == nil {
			s.Close()
			t.Errorf("Open(%+v) succeeded", cfg)
		}
	}
}

func TestStart_TwiceOrAfterCloseFails(t *testing.T) {
	s, _ := startServer(t, Config{})
	if _, err := s.Start("127.0.0.1:0"); err == nil {
		t.Error("second Start succeeded")
	}
	s2, err := Open(Config{hashIterations: testHashIterations})
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Start("127.0.0.1:0"); err == nil {
		t.Error("Start after Close succeeded")
	}
	if err := s2.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestURL_IsTheStartedAddress(t *testing.T) {
	s, base := startServer(t, Config{})
	if s.URL() != base || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("URL() = %q, Start gave %q", s.URL(), base)
	}
}
