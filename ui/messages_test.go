package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"signet/api"
	"signet/session"
)

func TestExplain_TellsFailuresByKindInTheServersWordsOnlyForARefusedSignIn(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		want   string
		signIn bool
	}{
		{"wrong password, the server's words", &api.Error{Kind: api.KindBadCredentials, ServerMessage: "Invalid user credentials."}, "Invalid user credentials.", false},
		{"wrong password, no words", &api.Error{Kind: api.KindBadCredentials, Op: "sign in", Status: 401}, "Wrong username or password.", false},
		{"refused sign-in, unmapped code", &api.Error{Kind: api.KindBadCredentials, Op: "sign in", Status: 400, Code: "TOO_MANY_ATTEMPTS_TRY_LATER"}, "The server refused the sign-in (TOO_MANY_ATTEMPTS_TRY_LATER).", false},
		{"refused renewal", &api.Error{Kind: api.KindRefreshRefused, Status: 400, ServerMessage: "Invalid user credentials."}, msgSessionEnded, true},
		{"token refused after renewal", &api.Error{Kind: api.KindUnauthorized, Op: "load Items", Status: 401, ServerMessage: "invalid signature"}, msgNotAccepted, true},
		{"server error", &api.Error{Kind: api.KindServer, Op: "load Items", Status: 503, ServerMessage: "upstream connect error or disconnect/reset before headers"}, "The server had a problem (503) while trying to load Items. Try again in a moment.", false},
		{"api error without words", &api.Error{Kind: api.KindNetwork, Op: "sign in", Err: errors.New("dial tcp 127.0.0.1:9: connect: connection refused")}, "Can't reach the server to sign in. Check your connection.", false},
		{"session sentence", session.ErrNotSignedIn, "You are not signed in.", false},
		{"signed out, wrapped", fmt.Errorf("load Items: %w", session.ErrSignedOut), "You signed out.", false},
		{"busy", session.ErrBusy, "A sign-in is already in progress or a session is open; sign out first.", false},
		{"no refresh token", session.ErrSessionExpired, "Your session has expired. Please sign in again.", true},
		{"raw Go error", errors.New("json: cannot unmarshal string into Go value of type int"), msgGeneric, false},
		{"timeout", fmt.Errorf("load Items: %w", context.DeadlineExceeded), msgTimeout, false},
		{"nil", nil, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log bytes.Buffer
			got := explain(slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug})), tc.err)
			if got.text != tc.want || got.signIn != tc.signIn {
				t.Errorf("explain = %q (sign in %v), want %q (sign in %v)", got.text, got.signIn, tc.want, tc.signIn)
			}
			var apiErr *api.Error
			if errors.As(tc.err, &apiErr) && apiErr.ServerMessage != "" && !strings.Contains(log.String(), apiErr.ServerMessage) {
				t.Errorf("the server's words are not in the debug log: %q", log.String())
			}
		})
	}
}

func TestSnapshotError_ExpiredAlwaysSaysWhy(t *testing.T) {
	h := newHarness(t, newFakeSession(session.Snapshot{State: session.SignedOut}), Options{})
	if got := h.ui.snapshotError(session.Snapshot{State: session.Expired}); got != msgSessionEnded {
		t.Errorf("Expired without Err: %q, want %q", got, msgSessionEnded)
	}
	refused := &api.Error{Kind: api.KindRefreshRefused, ServerMessage: "unknown or already used refresh token"}
	if got := h.ui.snapshotError(session.Snapshot{State: session.Expired, Err: refused}); got != msgSessionEnded {
		t.Errorf("Expired after a refused renewal: %q, want %q", got, msgSessionEnded)
	}
	if got := h.ui.snapshotError(session.Snapshot{State: session.SignedOut}); got != "" {
		t.Errorf("SignedOut without Err: %q, want nothing", got)
	}
}
