package session

import "signet/api"

// heldTokens is the session's token pair (zero: no session) and the pair
// before it, both kept registered as secrets: a server may quote an old
// token in an error (design R13). They stay registered after the session
// ends: errors and log lines about it may still be on their way. The
// Controller holds it (held); tok and oldSecrets are guarded by the
// Controller's mu.
type heldTokens struct {
	tok        Token
	oldSecrets []string // the tokens before the last change
	secrets    *Secrets
	// canRenew reports whether a pair can be renewed at all (the
	// refresher's rule).
	canRenew func(api.Tokens) bool
}

// hasTokensLocked reports whether a session is held in memory.
func (h *heldTokens) hasTokensLocked() bool { return h.tok.AccessToken != "" }

// noteSecretsLocked registers the tokens held now, and the pair before
// them, as secrets.
func (h *heldTokens) noteSecretsLocked() {
	h.secrets.put(h, append([]string{h.tok.AccessToken, h.tok.RefreshToken, h.tok.IDToken}, h.oldSecrets...)...)
}

// replaceTokensLocked installs t in place of the current tokens, keeping
// the old ones registered as secrets.
func (h *heldTokens) replaceTokensLocked(t Token) {
	if h.tok.AccessToken != t.AccessToken {
		h.oldSecrets = []string{h.tok.AccessToken, h.tok.RefreshToken, h.tok.IDToken}
	}
	h.tok = t
	h.noteSecretsLocked()
}

// canRefreshLocked reports whether the session can be renewed at all: with
// its refresh token, or, for a backend that renews by sending the current
// access token (no refresh token exists), while that token still lives.
func (h *heldTokens) canRefreshLocked() bool { return h.canRenew(h.tok.Tokens) }
