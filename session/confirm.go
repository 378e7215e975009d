package session

import "context"

// ConfirmSession asks the server whether the session is alive (the
// profile's check or current-user call) through the authenticated client,
// so a dead token is refreshed, or ends the session, the usual way. See
// api.Client.ConfirmSession for what it returns.
func (c *Controller) ConfirmSession(ctx context.Context) error {
	return c.client.ConfirmSession(ctx, c.HTTPClient())
}
