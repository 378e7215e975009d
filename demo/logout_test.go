package demo

import (
	"net/http"
	"testing"
)

func TestLogout_EndsTheSessionAndIsIdempotent(t *testing.T) {
	s, base := startServer(t, Config{})
	tok := login(t, base, DemoUsername, DemoPassword)
	renewed := mustRefresh(t, base, tok.RefreshToken)

	for range 2 {
		r := postJSON(t, base+"/auth/logout", map[string]string{"refresh_token": renewed.RefreshToken})
		wantStatus(t, r, http.StatusNoContent)
	}
	wantRefused(t, refresh(t, base, renewed.RefreshToken))
	wantInvalidToken(t, getWithToken(t, base+"/api/items", renewed.AccessToken))
	wantInvalidToken(t, getWithToken(t, base+"/api/me", tok.AccessToken))
	if got := s.Stats().Logouts; got != 2 {
		t.Errorf("Logouts = %d, want 2", got)
	}
}

func TestLogout_WithAnOlderRefreshTokenStillEndsTheSession(t *testing.T) {
	_, base := startServer(t, Config{})
	tok := login(t, base, DemoUsername, DemoPassword)
	renewed := mustRefresh(t, base, tok.RefreshToken)
	wantStatus(t, postJSON(t, base+"/auth/logout", map[string]string{"refresh_token": tok.RefreshToken}), http.StatusNoContent)
	wantRefused(t, refresh(t, base, renewed.RefreshToken))
}

func TestLogout_WithOnlyTheAccessTokenEndsItsSession(t *testing.T) {
	_, base := startServer(t, Config{})
	tok := login(t, base, DemoUsername, DemoPassword)
	req, _ := http.NewRequest(http.MethodPost, base+"/auth/logout", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	wantStatus(t, do(t, req), http.StatusNoContent)
	wantInvalidToken(t, getWithToken(t, base+"/api/items", tok.AccessToken))
	wantRefused(t, refresh(t, base, tok.RefreshToken))
}

func TestLogout_UnknownTokensAndEmptyBodiesAre204ButGarbageIs400(t *testing.T) {
	_, base := startServer(t, Config{})
	other := login(t, base, DemoUsername, DemoPassword)
	wantStatus(t, postJSON(t, base+"/auth/logout", map[string]string{"refresh_token": "never-issued"}), http.StatusNoContent)
	wantStatus(t, postJSON(t, base+"/auth/logout", ""), http.StatusNoContent)
	wantStatus(t, postJSON(t, base+"/auth/logout", "{not json"), http.StatusBadRequest)
	// None of that touched a real session.
	wantStatus(t, getWithToken(t, base+"/api/items", other.AccessToken), http.StatusOK)
}

func TestRevokeUserSessions_EndsOnlyThatUsersSessions(t *testing.T) {
	s, base := startServer(t, Config{})
	a := login(t, base, DemoUsername, DemoPassword)
	b := login(t, base, DemoUsername, DemoPassword)
	ada := login(t, base, "ada", "lovelace1815")

	n, err := s.RevokeUserSessions(DemoUsername)
	if err != nil || n != 2 {
		t.Fatalf("RevokeUserSessions = %d, %v; want 2 sessions", n, err)
	}
	wantRefused(t, refresh(t, base, a.RefreshToken))
	wantInvalidToken(t, getWithToken(t, base+"/api/items", b.AccessToken))
	wantStatus(t, getWithToken(t, base+"/api/items", ada.AccessToken), http.StatusOK)
	if _, err := s.RevokeUserSessions("nobody"); err == nil {
		t.Error("revoking an unknown user's sessions succeeded")
	}
}
