package oauth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"signet/api"
)

// Attempt is one browser sign-in: the authorization URL to open and the
// loopback listener waiting for the browser to come back.
type Attempt struct {
	c        *Client
	disc     *discovered
	lb       *loopback
	url      string
	verifier string
	nonce    string
	deadline time.Time

	stop     chan struct{} // closed by Cancel or a newer Start
	stopOnce sync.Once
	stopErr  error // ErrCanceled or ErrAbandoned, set before stop closes
}

// Start prepares a browser sign-in: it resolves the provider (discovery,
// cached), binds the loopback listener and builds the authorization URL
// with a fresh state, PKCE S256 challenge and, for OIDC, nonce. Open
// Attempt.URL in the system browser, then call Wait. A newer Start on the
// same Client abandons this one (its Wait returns ErrAbandoned).
func (c *Client) Start(ctx context.Context) (*Attempt, error) {
	d, err := c.resolve(ctx)
	if err != nil {
		return nil, err
	}
	if d.endpoints.Authorization == "" {
		return nil, errors.New("oauth: this provider has no authorization endpoint; use the device sign-in")
	}
	state := randomString()
	lb, err := newLoopback(c.cfg.Redirect, state)
	if err != nil {
		return nil, err
	}
	a := &Attempt{
		c: c, disc: d, lb: lb,
		verifier: oauth2.GenerateVerifier(),
		deadline: time.Now().Add(c.cfg.Timeout),
		stop:     make(chan struct{}),
	}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(a.verifier)}
	if d.verifier != nil {
		a.nonce = randomString()
		opts = append(opts, oauth2.SetAuthURLParam("nonce", a.nonce))
	}
	for k, v := range c.cfg.AuthParams {
		if !reservedParam[k] {
			opts = append(opts, oauth2.SetAuthURLParam(k, v))
		}
	}
	a.url = c.oauth2Config(d.endpoints, lb.redirectURI).AuthCodeURL(state, opts...)

	c.mu.Lock()
	old := c.current
	c.current = a
	c.mu.Unlock()
	if old != nil {
		old.end(ErrAbandoned)
	}
	return a, nil
}

// reservedParam are the authorization parameters this package owns.
var reservedParam = map[string]bool{
	"state": true, "nonce": true, "code_challenge": true, "code_challenge_method": true,
	"redirect_uri": true, "client_id": true, "response_type": true, "scope": true,
}

// URL is the authorization URL to open in the browser. It holds no secret
// (the PKCE verifier stays here), so it may be shown and copied.
func (a *Attempt) URL() string { return a.url }

// RedirectURI is where the provider sends the browser back to.
func (a *Attempt) RedirectURI() string { return a.lb.redirectURI }

// Deadline is when the attempt gives up (Config.Timeout after Start).
func (a *Attempt) Deadline() time.Time { return a.deadline }

// Cancel ends the attempt: Wait returns ErrCanceled and the listener
// closes. Calling it again, or after the end, does nothing.
func (a *Attempt) Cancel() { a.end(ErrCanceled) }

func (a *Attempt) end(err error) {
	a.stopOnce.Do(func() {
		a.stopErr = err
		close(a.stop)
		a.lb.close()
	})
}

// Wait waits for the browser to come back, exchanges the code (with the
// PKCE verifier) for tokens, verifies the ID token (OIDC) and returns the
// tokens and who signed in. It ends with ErrTimeout, ErrCanceled (Cancel or
// ctx canceled), ErrAbandoned, a *ProviderError (the provider's refusal,
// e.g. access_denied, or a refused code exchange), an *IDTokenError or an
// *api.Error (the provider could not be reached). The listener is closed
// when Wait returns.
func (a *Attempt) Wait(ctx context.Context) (api.Tokens, api.User, error) {
	defer a.release()
	timer := time.NewTimer(time.Until(a.deadline))
	defer timer.Stop()
	var cb callback
	select {
	case cb = <-a.lb.result:
	case <-a.stop:
		return api.Tokens{}, api.User{}, a.stopErr
	case <-timer.C:
		a.end(ErrTimeout)
		return api.Tokens{}, api.User{}, ErrTimeout
	case <-ctx.Done():
		a.end(ErrCanceled)
		return api.Tokens{}, api.User{}, ctxErr(ctx)
	}
	if cb.err != nil {
		return api.Tokens{}, api.User{}, cb.err
	}
	// The exchange may outlive a canceled attempt by a moment; it is
	// bound by ctx and by Cancel.
	xctx, cancel := context.WithDeadline(ctx, a.deadline.Add(time.Minute))
	defer cancel()
	go func() {
		select {
		case <-a.stop:
			cancel()
		case <-xctx.Done():
		}
	}()
	toks, u, err := a.c.exchange(xctx, a.disc, a.lb.redirectURI, cb.code, a.verifier, a.nonce)
	if err != nil && xctx.Err() != nil {
		select {
		case <-a.stop:
			return api.Tokens{}, api.User{}, a.stopErr
		default:
			return api.Tokens{}, api.User{}, ctxErr(xctx)
		}
	}
	return toks, u, err
}

// release ends the listener and forgets the attempt if it is the current one.
func (a *Attempt) release() {
	a.end(errFinished)
	a.c.mu.Lock()
	if a.c.current == a {
		a.c.current = nil
	}
	a.c.mu.Unlock()
}

func (c *Client) exchange(ctx context.Context, d *discovered, redirectURI, code, verifier, nonce string) (api.Tokens, api.User, error) {
	t, err := c.oauth2Config(d.endpoints, redirectURI).Exchange(c.ctx(ctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		return api.Tokens{}, api.User{}, tokenError(err, "sign in")
	}
	return c.finish(ctx, d, t, nonce)
}

// finish converts the token answer and identifies the person.
func (c *Client) finish(ctx context.Context, d *discovered, t *oauth2.Token, nonce string) (api.Tokens, api.User, error) {
	toks := toTokens(t)
	if toks.AccessToken == "" {
		return api.Tokens{}, api.User{}, &api.Error{Kind: api.KindMalformed, Op: "sign in", Err: errors.New("oauth: no access token")}
	}
	u, err := c.identify(ctx, d, toks, nonce)
	if err != nil {
		return api.Tokens{}, api.User{}, err
	}
	return toks, u, nil
}

// errFinished is what a second Wait on a finished attempt returns.
var errFinished = errors.New("oauth: this sign-in attempt has already ended")

func ctxErr(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return ErrTimeout
	}
	return ErrCanceled
}

// randomString is 32 random bytes, URL-safe: unguessable state and nonce.
func randomString() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
