package oauth

import (
	"context"
	"errors"
	"time"

	"golang.org/x/oauth2"

	"signet/api"
)

// DeviceAttempt is a device sign-in (RFC 8628): show UserCode and
// VerificationURI (or VerificationURIComplete, e.g. as a QR code) until
// Expiry, and call Wait, which polls the provider.
type DeviceAttempt struct {
	UserCode        string
	VerificationURI string
	// VerificationURIComplete carries the user code; empty when the
	// provider offers none.
	VerificationURIComplete string
	// Expiry is when the codes stop working (zero: the provider did not say).
	Expiry time.Time

	c    *Client
	disc *discovered
	resp *oauth2.DeviceAuthResponse
}

// StartDevice asks the provider for a device code and a user code.
func (c *Client) StartDevice(ctx context.Context) (*DeviceAttempt, error) {
	d, err := c.resolve(ctx)
	if err != nil {
		return nil, err
	}
	if d.endpoints.DeviceAuthorization == "" {
		return nil, errors.New("oauth: this provider does not offer sign-in on another device")
	}
	opts := make([]oauth2.AuthCodeOption, 0, len(c.cfg.AuthParams))
	for k, v := range c.cfg.AuthParams {
		if !reservedParam[k] {
			opts = append(opts, oauth2.SetAuthURLParam(k, v))
		}
	}
	resp, err := c.oauth2Config(d.endpoints, "").DeviceAuth(c.ctx(ctx), opts...)
	if err != nil {
		return nil, tokenError(err, "start the sign-in")
	}
	if resp.DeviceCode == "" || resp.UserCode == "" || resp.VerificationURI == "" {
		return nil, &api.Error{Kind: api.KindMalformed, Op: "start the sign-in", Err: errors.New("oauth: incomplete device authorization")}
	}
	return &DeviceAttempt{
		UserCode: resp.UserCode, VerificationURI: resp.VerificationURI,
		VerificationURIComplete: resp.VerificationURIComplete, Expiry: resp.Expiry,
		c: c, disc: d, resp: resp,
	}, nil
}

// Interval is the polling interval the provider asked for (5 s when it
// did not say, as RFC 8628 3.2 prescribes).
func (a *DeviceAttempt) Interval() time.Duration {
	if a.resp.Interval <= 0 {
		return 5 * time.Second
	}
	return time.Duration(a.resp.Interval) * time.Second
}

// Wait polls the token endpoint at the provider's interval (x/oauth2: it
// keeps going on authorization_pending and adds 5 s on slow_down) until the
// person approves on the other device, and returns the tokens and who
// signed in. It ends with ErrExpired (expired_token, or Expiry passed),
// a *ProviderError matching ErrAccessDenied when they said no, ErrTimeout
// after Config.Timeout, ErrCanceled when ctx is canceled.
func (a *DeviceAttempt) Wait(ctx context.Context) (api.Tokens, api.User, error) {
	ctx, cancel := context.WithTimeout(ctx, a.c.cfg.Timeout)
	defer cancel()
	t, err := a.c.oauth2Config(a.disc.endpoints, "").DeviceAccessToken(a.c.ctx(ctx), a.resp)
	if err != nil {
		var re *oauth2.RetrieveError
		switch {
		case errors.As(err, &re) && re.ErrorCode == "expired_token":
			return api.Tokens{}, api.User{}, ErrExpired
		case ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded):
			// DeviceAccessToken's own deadline is the code's expiry.
			return api.Tokens{}, api.User{}, ErrExpired
		case ctx.Err() != nil:
			if !a.Expiry.IsZero() && !time.Now().Before(a.Expiry) {
				return api.Tokens{}, api.User{}, ErrExpired
			}
			return api.Tokens{}, api.User{}, ctxErr(ctx)
		}
		return api.Tokens{}, api.User{}, tokenError(err, "sign in")
	}
	// No nonce travels in the device flow; the ID token is otherwise
	// checked as in the browser flow.
	return a.c.finish(ctx, a.disc, t, "")
}
