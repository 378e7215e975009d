package demo

import (
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
	user, found, err := s.st.userByName(body.Username)
	if err != nil {
		s.internalError(w, "reading user", err)
		return
	}
	hash := user.PasswordHash
	if !found {
		hash = s.dummyHash
	}
	match, err := checkPassword(hash, body.Password)
	if err != nil {
		s.internalError(w, "checking password", err)
		return
	}
	if !found || !match {
		s.stats.loginFailures.Add(1)
		// The username is not logged: people type passwords into it.
		s.log.Info("sign-in refused", "known_user", found)
		writeError(w, http.StatusUnauthorized, errInvalidGrant, descWrongCredentials)
		return
	}

	now := s.cfg.Now()
	sess := sessionRecord{ID: randomID(16), UserID: user.ID, CreatedAt: now}
	var refresh string
	if !s.cfg.DisableRefresh {
		refresh, sess.CurrentHash = newRefreshToken()
		sess.RefreshExpiresAt = now.Add(s.cfg.RefreshTTL)
	}
	access, exp, err := s.signer.issue(user.ID, sess)
	if err != nil {
		s.internalError(w, "signing access token", err)
		return
	}
	sess.AccessExpiresAt = exp
	if err := s.st.createSession(sess); err != nil {
		s.internalError(w, "storing session", err)
		return
	}
	s.stats.logins.Add(1)
	s.log.Info("signed in", "user", user.ID, "session", sess.ID)
	s.writeTokens(w, access, refresh, user)
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

	now := s.cfg.Now()
	refresh, newHash := newRefreshToken()
	var access string
	sess, outcome, err := s.st.rotate(hashRefreshToken(body.RefreshToken), newHash, now, func(sess *sessionRecord) error {
		var exp time.Time
		var err error
		access, exp, err = s.signer.issue(sess.UserID, *sess)
		sess.AccessExpiresAt = exp
		sess.RefreshExpiresAt = now.Add(s.cfg.RefreshTTL)
		return err
	})
	if err != nil {
		s.internalError(w, "rotating refresh token", err)
		return
	}
	if outcome != refreshRotated {
		s.refuseRefresh(w, outcome, sess)
		return
	}
	user, found, err := s.st.userByID(sess.UserID)
	if err != nil || !found {
		s.internalError(w, "reading user of session", err)
		return
	}
	s.stats.refreshes.Add(1)
	s.log.Info("refreshed", "user", user.ID, "session", sess.ID, "generation", sess.Generation)
	s.writeTokens(w, access, refresh, user)
}

func (s *Server) refuseRefresh(w http.ResponseWriter, outcome refreshOutcome, sess sessionRecord) {
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
	writeError(w, http.StatusUnauthorized, errInvalidGrant, desc)
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
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken:  access,
		RefreshToken: refresh,
		ExpiresIn:    int64(s.cfg.TokenTTL / time.Second),
		TokenType:    "Bearer",
		User:         toUserJSON(u),
	})
}

// internalError answers 500 and logs what failed; err never carries a
// secret (store and signer errors name no token).
func (s *Server) internalError(w http.ResponseWriter, doing string, err error) {
	s.log.Error("request failed", "doing", doing, "err", err)
	writeError(w, http.StatusInternalServerError, errServer, descInternal)
}
