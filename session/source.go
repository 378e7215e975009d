package session

import (
	"context"
)

// source is the Controller as the TokenSource (and Renewer) of its
// Transport: the current token, renewed before it dies and after the
// server calls it expired, one refresh at a time (design R5).
type source struct{ c *Controller }

// Token returns the token to send now (rule R5). A token known to expire
// within the margin is renewed; while it still lives (Token.SendWhileRenewing)
// it goes out at once and the renewal runs behind it, the single flight
// every caller shares. Only a request whose token is dead waits for the
// renewal. A born-dead token the floor doesn't let renew yet goes out as it
// is (see Token.RenewFloor).
func (s source) Token(ctx context.Context) (Token, error) {
	c := s.c
	waited := false
	for {
		tok, next, err := s.next(waited)
		switch next.act {
		case sendIt:
			return tok, err
		case renewBehind:
			c.refresher.start(tok.AccessToken, "token about to expire")
			return tok, nil
		case expireIt:
			c.expire(next.gen, ErrSessionExpired)
			return Token{}, ErrSessionExpired
		case waitForIt:
			select {
			case <-next.refresh:
				// That refresh was this request's chance; whatever came
				// of it, don't start another one (no storm while Offline).
			case <-ctx.Done():
				return Token{}, ctx.Err()
			}
		case renewIt:
			if _, err := c.refresh(ctx, tok.AccessToken, "token about to expire"); err != nil {
				c.mu.Lock()
				usable := c.held.hasTokensLocked() && !c.held.tok.Dead(c.now())
				c.mu.Unlock()
				if !usable {
					return Token{}, err
				}
				// Offline but the old token still lives: use it.
			}
		}
		waited = true
	}
}

// tokenStep is what Token does next with the token it read.
type tokenStep struct {
	act     int
	gen     uint64          // expireIt: the session to end
	refresh <-chan struct{} // waitForIt: closed when the refresh ends
}

const (
	sendIt      = iota // send the token (or fail with the error)
	waitForIt          // wait for the refresh under way
	renewIt            // renew it first
	renewBehind        // start its renewal and send it meanwhile
	expireIt           // it is dead and nothing can renew it
)

// next reads the token and decides what Token does with it. waited: this
// request has had its chance at a refresh already.
func (s source) next(waited bool) (Token, tokenStep, error) {
	c := s.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.held.hasTokensLocked() {
		return Token{}, tokenStep{}, c.noSessionErrLocked()
	}
	now := c.now()
	dead := c.held.tok.Dead(now)
	sendable := c.held.tok.SendWhileRenewing(c.margin, now)
	w := c.refresher.running()
	// While Offline the background retry owns renewal; a token that still
	// lives is used as is instead of each call trying again.
	offlineButLive := c.snap.State == Offline && !dead
	switch {
	case w != nil && !sendable && !waited:
		return Token{}, tokenStep{act: waitForIt, refresh: w}, nil
	case waited || w != nil || offlineButLive || !c.held.tok.RenewDue(c.margin, now):
		return c.held.tok, tokenStep{}, nil
	case c.held.canRefreshLocked() && sendable:
		return c.held.tok, tokenStep{act: renewBehind}, nil
	case c.held.canRefreshLocked():
		return c.held.tok, tokenStep{act: renewIt}, nil
	case dead && !c.held.tok.BornDead():
		return Token{}, tokenStep{act: expireIt, gen: c.gen}, nil
	}
	// Nothing can renew it: use it while it lasts, or until the server
	// refuses it.
	return c.held.tok, tokenStep{}, nil
}

// Renew decides what follows an expired status for a request sent with
// stale: replay with the current token if it already changed, otherwise
// renew (joining the single flight) and replay. A request whose body can't
// be replayed (wait false) still triggers the renewal, so the next call
// works, but its response goes back as is (retry false).
func (s source) Renew(ctx context.Context, stale Token, wait bool) (next Token, retry bool, err error) {
	c := s.c
	c.mu.Lock()
	if !c.held.hasTokensLocked() {
		err := c.noSessionErrLocked()
		c.mu.Unlock()
		return Token{}, false, err
	}
	if c.held.tok.AccessToken != stale.AccessToken {
		cur := c.held.tok
		c.mu.Unlock()
		return cur, wait, nil
	}
	if !c.held.canRefreshLocked() {
		gen := c.gen
		c.mu.Unlock()
		c.expire(gen, ErrSessionExpired)
		return Token{}, false, ErrSessionExpired
	}
	c.mu.Unlock()
	if !wait {
		c.refresher.start(stale.AccessToken, "expired status")
		return Token{}, false, nil
	}
	next, err = c.refresh(ctx, stale.AccessToken, "expired status")
	if err != nil {
		return Token{}, false, err
	}
	return next, true, nil
}

// noSessionErrLocked says why there is no token: the session's last error
// when it ended badly (refresh refused), else "not signed in".
func (c *Controller) noSessionErrLocked() error {
	if c.snap.State == Expired && c.snap.Err != nil {
		return c.snap.Err
	}
	return ErrNotSignedIn
}
