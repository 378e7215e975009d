package demo

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// tokenResponse is the answer to sign-in and refresh (RFC 6749 5.1 names,
// plus the user so the client needs no second call).
type tokenResponse struct {
	AccessToken  string   `json:"access_token"`
	RefreshToken string   `json:"refresh_token,omitempty"`
	ExpiresIn    int64    `json:"expires_in"`
	TokenType    string   `json:"token_type"`
	User         userJSON `json:"user"`
}

type userJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

func toUserJSON(u userRecord) userJSON { return userJSON{ID: u.ID, Name: u.Name, Email: u.Email} }

const (
	descWrongCredentials = "Wrong username or password."
	descCredentialsEmpty = "Username and password are required."
	descRefreshMissing   = "The request has no refresh_token."
	descRefreshUnknown   = "The refresh token is not valid. Please sign in again."
	descRefreshExpired   = "The refresh token has expired. Please sign in again."
	descRefreshRevoked   = "This session has ended. Please sign in again."
	descRefreshReused    = "This refresh token was already used, so the session has been ended for safety. Please sign in again."
	descInternal         = "The server could not complete the request."
	descShuttingDown     = "The server is shutting down; try again shortly."
)

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Username string `json:"username"`
		Password string `json:"password"`
	}
	if problem := decodeJSON(w, r, &body); problem != "" {
		writeError(w, http.StatusBadRequest, errInvalidRequest, problem)
		return
	}
	if body.Username == "" || body.Password == "" {
		writeError(w, http.StatusBadRequest, errInvalidRequest, descCredentialsEmpty)
		return
	}
	user, ok, err := s.authenticate(body.Username, body.Password)
	if err != nil {
		s.internalError(w, "checking password", err)
		return
	}
	if !ok {
		writeError(w, http.StatusUnauthorized, errInvalidGrant, descWrongCredentials)
		return
	}

	access, refresh, sess, err := s.startSession(user)
	if err != nil {
		s.internalError(w, "starting session", err)
		return
	}
	s.stats.logins.Add(1)
	s.log.Info("signed in", "user", user.ID, "session", sess.ID)
	s.writeTokens(w, access, refresh, user)
}

// authenticate checks a username and password (sign-in form, browser
// sign-in page, device approval page) and counts a refusal.
func (s *Server) authenticate(username, password string) (userRecord, bool, error) {
	user, found, err := s.st.userByName(username)
	if err != nil {
		return user, false, err
	}
	hash := user.PasswordHash
	if !found {
		hash = s.dummyHash
	}
	match, err := checkPassword(hash, password)
	if err != nil {
		return user, false, err
	}
	if !found || !match {
		s.stats.loginFailures.Add(1)
		// The username is not logged: people type passwords into it.
		s.log.Info("sign-in refused", "known_user", found)
		return user, false, nil
	}
	return user, true, nil
}

// startSession creates a session for user (a password or browser sign-in)
// and issues its first access token and, unless refresh is off, refresh
// token.
func (s *Server) startSession(user userRecord) (access, refresh string, sess sessionRecord, err error) {
	now := s.cfg.Now()
	sess = sessionRecord{ID: randomID(16), UserID: user.ID, CreatedAt: now}
	if !s.cfg.DisableRefresh {
		refresh, sess.CurrentHash = newRefreshToken()
		sess.RefreshExpiresAt = now.Add(s.cfg.RefreshTTL)
	}
	access, exp, err := s.signer.issue(user.ID, sess)
	if err != nil {
		return "", "", sess, fmt.Errorf("signing access token: %w", err)
	}
	sess.AccessExpiresAt = exp
	if err := s.st.createSession(sess); err != nil {
		return "", "", sess, fmt.Errorf("storing session: %w", err)
	}
	return access, refresh, sess, nil
}

func (s *Server) handleRefresh(w http.ResponseWriter, r *http.Request) {
	if d := s.cfg.RefreshDelay; d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			// The client gave up (then nobody reads this) or the server is
			// closing: say so rather than let an empty 200 go out.
			t.Stop()
			writeError(w, http.StatusServiceUnavailable, errUnavailable, descShuttingDown)
			return
		}
	}
	var body struct {
		RefreshToken string `json:"refresh_token"`
	}
	if problem := decodeJSON(w, r, &body); problem != "" {
		writeError(w, http.StatusBadRequest, errInvalidRequest, problem)
		return
	}
	if body.RefreshToken == "" {
		writeError(w, http.StatusBadRequest, errInvalidRequest, descRefreshMissing)
		return
	}

	red, err := s.redeemRefresh(body.RefreshToken)
	if err != nil {
		s.internalError(w, "rotating refresh token", err)
		return
	}
	if red.outcome != refreshRotated {
		s.refuseRefresh(w, http.StatusUnauthorized, red.outcome, red.sess)
		return
	}
	s.stats.refreshes.Add(1)
	s.log.Info("refreshed", "user", red.user.ID, "session", red.sess.ID, "generation", red.sess.Generation)
	s.writeTokens(w, red.access, red.refresh, red.user)
}

// redeemed is what redeeming a refresh token gave: new tokens when the
// outcome is refreshRotated.
type redeemed struct {
	access, refresh string
	sess            sessionRecord
	user            userRecord
	outcome         refreshOutcome
}

// redeemRefresh rotates a refresh token (JSON refresh and the OAuth token
// endpoint share it).
func (s *Server) redeemRefresh(token string) (redeemed, error) {
	now := s.cfg.Now()
	var red redeemed
	var newHash []byte
	red.refresh, newHash = newRefreshToken()
	sess, outcome, err := s.st.rotate(hashRefreshToken(token), newHash, now, func(sess *sessionRecord) error {
		var exp time.Time
		var err error
		red.access, exp, err = s.signer.issue(sess.UserID, *sess)
		sess.AccessExpiresAt = exp
		sess.RefreshExpiresAt = now.Add(s.cfg.RefreshTTL)
		return err
	})
	red.sess, red.outcome = sess, outcome
	if err != nil || outcome != refreshRotated {
		return red, err
	}
	user, found, err := s.st.userByID(sess.UserID)
	if err == nil && !found {
		err = errors.New("the user of the session is gone")
	}
	red.user = user
	return red, err
}

// refuseRefresh answers a refused refresh token with status (401 on
// /auth/refresh, 400 at the OAuth token endpoint as RFC 6749 5.2 says).
func (s *Server) refuseRefresh(w http.ResponseWriter, status int, outcome refreshOutcome, sess sessionRecord) {
	s.stats.refreshRefused.Add(1)
	desc := descRefreshUnknown
	switch outcome {
	case refreshExpired:
		desc = descRefreshExpired
	case refreshRevoked:
		desc = descRefreshRevoked
	case refreshReused:
		desc = descRefreshReused
		s.stats.refreshReuse.Add(1)
		s.log.Warn("refresh token reused: session revoked", "user", sess.UserID, "session", sess.ID)
	}
	if outcome != refreshReused {
		s.log.Info("refresh refused", "reason", desc)
	}
	writeError(w, status, errInvalidGrant, desc)
}

// handleLogout ends the session of the refresh token in the body or, when
// there is none, of the bearer access token. It answers 204 whatever it
// finds: signing out twice, or with a dead token, is not an error.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	var body struct {
		RefreshToken string `json:"refresh_token"`
	}
	if problem := decodeJSON(w, r, &body); problem != "" && problem != descEmptyBody {
		writeError(w, http.StatusBadRequest, errInvalidRequest, problem)
		return
	}
	now := s.cfg.Now()
	var sid string
	var err error
	switch {
	case body.RefreshToken != "":
		var sess sessionRecord
		var found bool
		sess, found, err = s.st.revokeByRefresh(hashRefreshToken(body.RefreshToken), now, reasonLogout)
		if found {
			sid = sess.ID
		}
	default:
		if raw, ok := bearerToken(r); ok {
			if claims, problem := s.signer.verify(raw); problem == "" {
				var found bool
				found, err = s.st.revokeSession(claims.SessionID, now, reasonLogout)
				if found {
					sid = claims.SessionID
				}
			}
		}
	}
	if err != nil {
		s.internalError(w, "revoking session", err)
		return
	}
	s.stats.logouts.Add(1)
	if sid != "" {
		s.log.Info("signed out", "session", sid)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) writeTokens(w http.ResponseWriter, access, refresh string, u userRecord) {
	writeJSON(w, http.StatusOK, s.tokenBody(access, refresh, u))
}

func (s *Server) tokenBody(access, refresh string, u userRecord) tokenResponse {
	return tokenResponse{
		AccessToken:  access,
		RefreshToken: refresh,
		ExpiresIn:    int64(s.cfg.TokenTTL / time.Second),
		TokenType:    "Bearer",
		User:         toUserJSON(u),
	}
}

// internalError answers 500 and logs what failed; err never carries a
// secret (store and signer errors name no token).
func (s *Server) internalError(w http.ResponseWriter, doing string, err error) {
	s.log.Error("request failed", "doing", doing, "err", err)
	writeError(w, http.StatusInternalServerError, errServer, descInternal)
}
