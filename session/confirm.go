package session

import (
	"context"
	"errors"
)

// ConfirmSession asks the server whether the session is alive (the
// profile's check or current-user call) through the authenticated client,
// so a dead token is renewed, or ends the session, the usual way. See
// api.Client.ConfirmSession for what it returns; a session that ended on the
// way says so, as FetchList does.
func (c *Controller) ConfirmSession(ctx context.Context) error {
	snap := c.Snapshot()
	if !snap.State.HasSession() {
		if snap.State == Expired && snap.Err != nil {
			return snap.Err
		}
		return ErrNotSignedIn
	}
	err := c.client.ConfirmSession(ctx, c.HTTPClient())
	if err == nil {
		return nil
	}
	var te *transportError
	if errors.As(err, &te) && !errors.Is(te.err, context.Canceled) && !errors.Is(te.err, context.DeadlineExceeded) {
		err = te.err // the session's own words: it ended, or the renewal failed
	}
	return c.secrets.ScrubError(err)
}
