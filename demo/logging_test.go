package demo

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"signet/internal/testsync"
)

func TestLogs_NeverShowTokensOrPasswords(t *testing.T) {
	var logs testsync.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	_, base := startServer(t, Config{Logger: logger})

	const typo = "demo1234-typed-into-the-username"
	postJSON(t, base+"/auth/login", map[string]string{"username": typo, "password": "whatever"})
	tok := login(t, base, DemoUsername, DemoPassword)
	renewed := mustRefresh(t, base, tok.RefreshToken)
	getWithToken(t, base+"/api/items?offset=0&limit=5", renewed.AccessToken)
	wantRefused(t, refresh(t, base, tok.RefreshToken)) // reuse, logged as a warning
	postJSON(t, base+"/auth/logout", map[string]string{"refresh_token": renewed.RefreshToken})
	wantStatus(t, getWithToken(t, base+"/api/me", renewed.AccessToken), http.StatusUnauthorized)

	out := logs.String()
	if !strings.Contains(out, "refresh token reused") || !strings.Contains(out, `"path":"/auth/login"`) {
		t.Fatalf("expected auth events and requests in the log, got:\n%s", out)
	}
	for name, secret := range map[string]string{
		"password": DemoPassword, "typed username": typo, "access token": tok.AccessToken,
		"renewed access token": renewed.AccessToken, "refresh token": tok.RefreshToken,
		"renewed refresh token": renewed.RefreshToken,
	} {
		if strings.Contains(out, secret) {
			t.Errorf("the log shows the %s", name)
		}
	}
}
