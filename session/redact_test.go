package session

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"signet/api"
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

// An opaque token shorter than 40 characters has no shape to recognise:
// the handler cuts it out because the session registered it.
func TestRedactingHandler_CutsKnownOpaqueSecrets(t *testing.T) {
	const access, refresh = "at-00000000000000042", "rt-0000000000000042x"
	secrets := NewSecrets()
	secrets.put(t.Name(), access, refresh, "ab") // too short to scrub
	var buf bytes.Buffer
	log := slog.New(NewRedactingHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}), secrets))
	log.With("server", "said "+access).Debug("refresh failed: "+refresh,
		"err", errors.New("rejected "+access),
		slog.Group("g", "body", "x"+refresh+"y"),
		"note", "about the lab")
	out := buf.String()
	for _, s := range []string{access, refresh} {
		if strings.Contains(out, s) {
			t.Errorf("a known secret got through:\n%s", out)
		}
	}
	if !strings.Contains(out, "about the lab") || strings.Count(out, Redacted) != 4 {
		t.Errorf("want four cuts and the rest untouched:\n%s", out)
	}
	secrets.put(t.Name())
	if got := secrets.Scrub("said " + access); got != "said "+access {
		t.Errorf("a forgotten secret is still cut: %q", got)
	}
}

func TestSecrets_ScrubErrorWrapsWithoutLosingWhatTheErrorIs(t *testing.T) {
	const tok = "opaque-token-1234"
	secrets := NewSecrets()
	secrets.put(t.Name(), tok)
	inner := &api.Error{Kind: api.KindServer, Op: "load Items", Status: 500, ServerMessage: "bad token " + tok, Err: context.DeadlineExceeded}
	err := secrets.ScrubError(fmt.Errorf("wrapped: %w", inner))
	if strings.Contains(err.Error(), tok) {
		t.Errorf("text %q holds the token", err)
	}
	var ae *api.Error
	if !errors.As(err, &ae) || strings.Contains(ae.Error(), tok) || ae.Status != 500 {
		t.Errorf("errors.As gave %v", ae)
	}
	if !api.IsRetryable(err) || api.KindOf(err) != api.KindServer || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("kind %v, retryable %v, Is deadline %v", api.KindOf(err), api.IsRetryable(err), errors.Is(err, context.DeadlineExceeded))
	}
	if inner.ServerMessage != "bad token "+tok {
		t.Error("the original error was changed")
	}
	clean := errors.New("nothing secret")
	if secrets.ScrubError(clean) != clean {
		t.Error("an error with nothing to cut was wrapped")
	}
}
