package demo

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// oauthTokenResponse is tokenResponse plus what OAuth/OIDC clients read.
type oauthTokenResponse struct {
	tokenResponse
	IDToken string `json:"id_token,omitempty"`
	Scope   string `json:"scope,omitempty"`
}

const (
	errInvalidClient    = "invalid_client"
	errUnsupportedGrant = "unsupported_grant_type"
	errAccessDenied     = "access_denied"
	errPending          = "authorization_pending"
	errSlowDown         = "slow_down"
	errExpiredToken     = "expired_token"

	reasonCodeReuse = "authorization code reuse"

	descCodeUnknown = "The authorization code is not valid (unknown, already used or expired)."
	descPKCE        = "The code_verifier does not match the code_challenge of the authorization request (PKCE)."
	descRedirect    = "The redirect_uri differs from the one of the authorization request."
)

// handleToken is the OAuth 2.0 token endpoint (RFC 6749 3.2): form
// encoded, for the authorization_code, device_code and refresh_token
// grants of the public client DemoClientID.
func (o *oauthServer) handleToken(w http.ResponseWriter, r *http.Request) {
	form, problem := readForm(w, r)
	if problem != "" {
		writeError(w, http.StatusBadRequest, errInvalidRequest, problem)
		return
	}
	clientID := form.Get("client_id")
	if id, _, ok := r.BasicAuth(); ok {
		clientID, _ = url.QueryUnescape(id)
	}
	if clientID != DemoClientID {
		writeError(w, http.StatusUnauthorized, errInvalidClient, "Unknown client.")
		return
	}
	switch form.Get("grant_type") {
	case "authorization_code":
		o.codeGrant(w, r, form)
	case grantDeviceCode:
		o.deviceGrant(w, r, form)
	case "refresh_token":
		if o.s.cfg.DisableRefresh {
			writeError(w, http.StatusBadRequest, errUnsupportedGrant, "This server gives no refresh tokens.")
			return
		}
		o.refreshGrant(w, form)
	default:
		writeError(w, http.StatusBadRequest, errUnsupportedGrant, "Supported grants: authorization_code, device_code, refresh_token.")
	}
}

// codeGrant redeems an authorization code: once, within 60 s, from the
// same redirect URI, with the PKCE verifier of its challenge. A code
// presented again ends the session it gave (RFC 6749 4.1.2): one of the
// two presenters is not the app.
func (o *oauthServer) codeGrant(w http.ResponseWriter, r *http.Request, form url.Values) {
	key := string(hashRefreshToken(form.Get("code")))
	o.mu.Lock()
	c := o.codes[key]
	var reused, first bool
	if c != nil {
		reused, c.used = c.used, true // single use, whatever follows
		first = !reused
	}
	sid := ""
	if c != nil {
		sid = c.sessionID
	}
	o.mu.Unlock()
	switch {
	case reused:
		if sid != "" {
			if _, err := o.s.st.revokeSession(sid, o.s.cfg.Now(), reasonCodeReuse); err != nil {
				o.s.internalError(w, "revoking session", err)
				return
			}
			o.s.log.Warn("authorization code reused: session revoked", "session", sid)
		}
		writeError(w, http.StatusBadRequest, errInvalidGrant, descCodeUnknown)
	case c == nil || !first || !o.s.cfg.Now().Before(c.expires):
		writeError(w, http.StatusBadRequest, errInvalidGrant, descCodeUnknown)
	case form.Get("redirect_uri") != c.redirectURI:
		writeError(w, http.StatusBadRequest, errInvalidGrant, descRedirect)
	case !pkceMatches(form.Get("code_verifier"), c.challenge):
		writeError(w, http.StatusBadRequest, errInvalidGrant, descPKCE)
	default:
		if sid, ok := o.issue(w, r, c.userID, c.scope, c.nonce); ok {
			o.mu.Lock()
			c.sessionID = sid
			o.mu.Unlock()
		}
	}
}

// pkceMatches checks BASE64URL(SHA256(verifier)) == challenge (RFC 7636
// 4.6); the verifier must be 43 to 128 characters.
func pkceMatches(verifier, challenge string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}

func (o *oauthServer) refreshGrant(w http.ResponseWriter, form url.Values) {
	if form.Get("refresh_token") == "" {
		writeError(w, http.StatusBadRequest, errInvalidRequest, descRefreshMissing)
		return
	}
	red, err := o.s.redeemRefresh(form.Get("refresh_token"))
	if err != nil {
		o.s.internalError(w, "rotating refresh token", err)
		return
	}
	if red.outcome != refreshRotated {
		o.s.refuseRefresh(w, http.StatusBadRequest, red.outcome, red.sess)
		return
	}
	o.s.stats.refreshes.Add(1)
	o.s.log.Info("refreshed", "user", red.user.ID, "session", red.sess.ID, "generation", red.sess.Generation)
	writeJSON(w, http.StatusOK, oauthTokenResponse{tokenResponse: o.s.tokenBody(red.access, red.refresh, red.user)})
}

// issue starts a session for a browser or device sign-in and answers with
// its tokens, plus an ID token when openid was asked for. It returns the
// session's id when one was created.
func (o *oauthServer) issue(w http.ResponseWriter, r *http.Request, userID, scope, nonce string) (sid string, ok bool) {
	user, found, err := o.s.st.userByID(userID)
	if err != nil || !found {
		o.s.internalError(w, "reading user", err)
		return "", false
	}
	access, refresh, sess, err := o.s.startSession(user)
	if err != nil {
		o.s.internalError(w, "starting session", err)
		return "", false
	}
	scopes := scopeSet(scope)
	if !scopes["offline_access"] {
		// No refresh token was asked for. The session keeps its hash; the
		// token is simply not handed out.
		refresh = ""
	}
	resp := oauthTokenResponse{tokenResponse: o.s.tokenBody(access, refresh, user), Scope: strings.Join(sortedKeys(scopes), " ")}
	if scopes["openid"] {
		if resp.IDToken, err = o.ids.issue(issuer(r), DemoClientID, nonce, user, sess.ID, scopes); err != nil {
			o.s.internalError(w, "signing ID token", err)
			return sess.ID, true
		}
	}
	o.s.stats.logins.Add(1)
	o.s.log.Info("signed in through the browser or a device", "user", user.ID, "session", sess.ID)
	writeJSON(w, http.StatusOK, resp)
	return sess.ID, true
}

func sortedKeys(set map[string]bool) []string {
	var out []string
	for _, s := range strings.Fields(supportedScopes) {
		if set[s] {
			out = append(out, s)
		}
	}
	return out
}

// readForm parses an application/x-www-form-urlencoded body, refusing
// repeated parameters (RFC 6749 3.2).
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, string) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, "The request body must be form encoded (application/x-www-form-urlencoded)."
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		return nil, "The form could not be read."
	}
	for k, v := range r.PostForm {
		if len(v) > 1 {
			return nil, "The parameter " + k + " appears more than once."
		}
	}
	return r.PostForm, ""
}
