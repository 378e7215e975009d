package backend

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"signet/demo"
	"signet/internal/testsync"
	"signet/session"
)

// Every session the switcher builds registers its tokens with the one
// Secrets the app's logger reads, so a line logged anywhere in the app (not
// only by the session) that quotes an opaque refresh token is scrubbed
// (design R13).
func TestSwitcher_SessionsShareTheAppLoggersSecrets(t *testing.T) {
	var out testsync.Buffer // the session logs from its own goroutines
	secrets := session.NewSecrets()
	logger := slog.New(session.NewRedactingHandler(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}), secrets))
	b, kc, _ := testBackends(t)
	b.cfg.Secrets, b.cfg.Logger = secrets, logger
	ctrl, err := b.Switch(Choice{Preset: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	waitState(t, ctrl, "restored", restored)
	if err := ctrl.SignIn(t.Context(), demo.DemoUsername, demo.DemoPassword); err != nil {
		t.Fatal(err)
	}
	var refresh string
	for _, v := range kc.Snapshot() {
		var entry struct {
			RefreshToken string `json:"refresh_token"`
		}
		if json.Unmarshal([]byte(v), &entry) == nil && entry.RefreshToken != "" {
			refresh = entry.RefreshToken
		}
	}
	if refresh == "" || strings.HasPrefix(refresh, "eyJ") {
		t.Fatalf("want the demo's opaque refresh token in the keychain, got %d bytes", len(refresh))
	}
	logger.Info("a server answer quoted " + refresh)
	logger.Warn("renewal failed", "detail", "token "+refresh+" is unknown")
	if strings.Contains(out.String(), refresh) {
		t.Fatal("the app's log shows the session's refresh token")
	}
	if !strings.Contains(out.String(), session.Redacted) {
		t.Fatalf("nothing was redacted: %q", out.String())
	}
}
