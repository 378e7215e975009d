package demo

import (
	"net/http"
	"net/url"
	"regexp"
	"time"
)

// authRequest is a validated authorization request waiting on its sign-in
// page. Its random id, in a hidden field, is also what ties the form post
// to this request (a forged post cannot guess it).
type authRequest struct {
	id, redirectURI, state, nonce, challenge, scope string
	expires                                         time.Time
}

// authCode is an issued authorization code: single-use, 60 s. It is kept
// after use until it expires, to recognise a second use.
type authCode struct {
	redirectURI, challenge, nonce, scope, userID string
	expires                                      time.Time
	used                                         bool
	sessionID                                    string // the session it gave
}

// pkceChallenge is a base64url SHA-256 (RFC 7636 4.2): 43 characters.
var pkceChallenge = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// handleAuthorize validates an authorization request (RFC 6749 4.1.1,
// RFC 7636) and shows the sign-in and consent page. A bad client or
// redirect URI is shown here and never redirected to (4.1.2.1); the other
// problems go back to the app as an error redirect.
func (o *oauthServer) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	clientID, ok1 := formValue(q, "client_id")
	redirectURI, ok2 := formValue(q, "redirect_uri")
	switch {
	case !ok1 || clientID != DemoClientID:
		o.errorPage(w, http.StatusBadRequest, "This app is not registered with the Signet demo (unknown client_id).")
		return
	case !ok2 || !loopbackRedirect(redirectURI):
		o.errorPage(w, http.StatusBadRequest, "The app asked to return to an address the demo does not allow: "+
			"only http://127.0.0.1, http://[::1] or http://localhost with a port.")
		return
	}
	state := q.Get("state")
	fail := func(code, desc string) { redirectError(w, r, redirectURI, state, issuer(r), code, desc) }
	for _, name := range []string{"response_type", "state", "nonce", "scope", "code_challenge", "code_challenge_method"} {
		if _, ok := formValue(q, name); !ok {
			fail("invalid_request", "The parameter "+name+" appears more than once.")
			return
		}
	}
	switch {
	case q.Get("response_type") != "code":
		fail("unsupported_response_type", "Only the authorization code flow (response_type=code) is supported.")
		return
	case q.Get("code_challenge_method") != "S256" || !pkceChallenge.MatchString(q.Get("code_challenge")):
		fail("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256.")
		return
	}
	req := &authRequest{
		id: randomID(24), redirectURI: redirectURI, state: state, nonce: q.Get("nonce"),
		challenge: q.Get("code_challenge"), scope: q.Get("scope"), expires: o.s.cfg.Now().Add(pageTTL),
	}
	o.mu.Lock()
	o.sweep(o.s.cfg.Now())
	o.pending[req.id] = req
	o.mu.Unlock()
	o.signInPage(w, http.StatusOK, req, "")
}

// handleAuthorizeForm takes the sign-in page: Deny goes back to the app as
// access_denied; Allow with the right password issues a code.
func (o *oauthServer) handleAuthorizeForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		o.errorPage(w, http.StatusBadRequest, "The form could not be read.")
		return
	}
	now := o.s.cfg.Now()
	o.mu.Lock()
	req := o.pending[r.PostForm.Get("request")]
	if req != nil && !now.Before(req.expires) {
		req = nil
	}
	o.mu.Unlock()
	if req == nil {
		o.errorPage(w, http.StatusBadRequest, "This sign-in page has expired. Go back to Signet and start again.")
		return
	}
	if r.PostForm.Get("action") != "allow" {
		o.forget(req.id)
		redirectError(w, r, req.redirectURI, req.state, issuer(r), "access_denied", "You declined to sign in to Signet.")
		return
	}
	user, ok, err := o.s.authenticate(r.PostForm.Get("username"), r.PostForm.Get("password"))
	if err != nil {
		o.s.internalError(w, "checking password", err)
		return
	}
	if !ok {
		o.signInPage(w, http.StatusUnauthorized, req, descWrongCredentials)
		return
	}
	if !o.forget(req.id) {
		o.errorPage(w, http.StatusBadRequest, "This sign-in was already completed.")
		return
	}
	code := randomID(32)
	o.mu.Lock()
	o.codes[string(hashRefreshToken(code))] = &authCode{
		redirectURI: req.redirectURI, challenge: req.challenge, nonce: req.nonce, scope: req.scope,
		userID: user.ID, expires: now.Add(codeTTL),
	}
	o.mu.Unlock()
	o.s.log.Info("browser sign-in approved", "user", user.ID)
	redirectBack(w, r, req.redirectURI, url.Values{"code": {code}, "state": {req.state}, "iss": {issuer(r)}})
}

// forget drops a pending request; it reports whether it was still there,
// so a page submitted twice issues one code.
func (o *oauthServer) forget(id string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	_, ok := o.pending[id]
	delete(o.pending, id)
	return ok
}

// redirectBack sends the browser to the app's redirect URI with params
// added to its query.
func redirectBack(w http.ResponseWriter, r *http.Request, redirectURI string, params url.Values) {
	u, _ := url.Parse(redirectURI) // validated by loopbackRedirect
	q := u.Query()
	for k, v := range params {
		if v[0] != "" {
			q[k] = v
		}
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func redirectError(w http.ResponseWriter, r *http.Request, redirectURI, state, iss, code, desc string) {
	redirectBack(w, r, redirectURI, url.Values{"error": {code}, "error_description": {desc}, "state": {state}, "iss": {iss}})
}
