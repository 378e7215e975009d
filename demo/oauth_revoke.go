package demo

import (
	"net/http"
	"net/url"
)

// handleRevoke is the revocation endpoint (RFC 7009): a refresh token ends
// its session; so does an access token. It answers 200 whatever it finds
// (2.2): an unknown token is as revoked as it gets.
func (o *oauthServer) handleRevoke(w http.ResponseWriter, r *http.Request) {
	form, problem := readForm(w, r)
	if problem != "" {
		writeError(w, http.StatusBadRequest, errInvalidRequest, problem)
		return
	}
	token, now := form.Get("token"), o.s.cfg.Now()
	sess, found, err := o.s.st.revokeByRefresh(hashRefreshToken(token), now, reasonLogout)
	sid := sess.ID
	if err == nil && !found {
		if claims, problem := o.s.signer.verify(token); problem == "" {
			sid = claims.SessionID
			found, err = o.s.st.revokeSession(sid, now, reasonLogout)
		}
	}
	if err != nil {
		o.s.internalError(w, "revoking session", err)
		return
	}
	if found {
		o.s.stats.logouts.Add(1)
		o.s.log.Info("revoked", "session", sid)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// handleEndSession is RP-initiated logout: the demo keeps no browser
// session, so there is nothing to end but the page says so, or it sends
// the browser back to a loopback post_logout_redirect_uri.
func (o *oauthServer) handleEndSession(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if back := q.Get("post_logout_redirect_uri"); back != "" {
		if !loopbackRedirect(back) {
			o.errorPage(w, http.StatusBadRequest, "The app asked to return to an address the demo does not allow.")
			return
		}
		redirectBack(w, r, back, url.Values{"state": {q.Get("state")}})
		return
	}
	o.messagePage(w, http.StatusOK, "Signed out", "You are signed out of the Signet demo. You can close this tab.")
}
