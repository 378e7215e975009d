package session

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestRedactingHandler_HidesSecretsInKeysValuesAndMessages(t *testing.T) {
	const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLXNlY3JldA"
	const opaque = "opaque-secret-value-123"
	var buf bytes.Buffer
	log := slog.New(NewRedactingHandler(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))

	log.With("refresh_token", opaque).Info("sent Bearer "+opaque+" and "+jwt,
		"Authorization", "Bearer "+opaque,
		"PASSWORD", opaque,
		"client_secret", opaque,
		"Set-Cookie", opaque,
		"note", "header was bearer "+opaque,
		"err", errors.New("server echoed "+jwt),
		slog.Group("req", "access_token", opaque, slog.Group("inner", "url", "https://x/?t="+jwt)),
		"user", "demo",
	)
	log.WithGroup("g").Info("plain", "idToken", opaque)
	out := buf.String()
	for _, secret := range []string{opaque, jwt, "c2lnbmF0dXJlLXNlY3JldA"} {
		if strings.Contains(out, secret) {
			t.Errorf("a secret got through:\n%s", out)
		}
	}
	for _, kept := range []string{`"user":"demo"`, `"msg":"plain"`, "server echoed", "[redacted]", `"req":{`} {
		if !strings.Contains(out, kept) {
			t.Errorf("output lost %q:\n%s", kept, out)
		}
	}
}

func TestRedactingHandler_LeavesOrdinaryRecordsAlone(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(NewRedactingHandler(slog.NewTextHandler(&buf, nil)))
	log.Info("session renewed", "renewals", 3, "state", "SignedIn")
	if got := buf.String(); !strings.Contains(got, "msg=\"session renewed\" renewals=3 state=SignedIn") {
		t.Errorf("record changed: %s", got)
	}
}
