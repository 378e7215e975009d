package ui

import (
	"context"
	"errors"

	"signet/api"
	"signet/session"
)

// mustConfirm reports whether an answer must be checked against the session
// before it is shown: an empty first page where the profile asks for that
// (some servers answer a dead or revoked token as a guest, with 200 and
// nothing in it).
func (v *listView) mustConfirm(r request, page api.Page) bool {
	return r.offset == 0 && len(page.Items) == 0 && r.gen != v.refetchedGen &&
		v.look.shouldConfirmEmpty(v.m.loaded() > 0)
}

// confirmEmpty asks whether the session is alive before the empty page r
// brought is shown; the fetch stays "in flight" meanwhile.
func (v *listView) confirmEmpty(r request, page api.Page) {
	before := v.app.session.Snapshot()
	ctx, cancel := context.WithCancel(v.ctx)
	v.fetchCancel = cancel
	go func() {
		err := v.app.session.ConfirmSession(ctx)
		cancel()
		v.app.do(func() { v.onConfirmed(r, page, before, err) })
	}()
}

// onConfirmed shows the empty page when the session is alive with the token
// that fetched it, or when there is nothing to ask; fetches it again when
// confirming renewed the token; and otherwise shows why the session is not
// accepted, with "Sign in again".
func (v *listView) onConfirmed(r request, page api.Page, before session.Snapshot, err error) {
	if v.m.stale(r) {
		return
	}
	v.fetchCancel = nil
	switch {
	case err == nil && renewed(before, v.app.session.Snapshot()):
		v.refetchedGen = r.gen
		v.fetch(r.replace, r.term)
	case err == nil, errors.Is(err, api.ErrNoCheck):
		v.m.accept(r, page, v.app.now())
		v.showRows(true)
	default:
		v.onFailure(v.m.fail(r, err), err)
	}
}

// renewed reports whether the session's token changed between two
// snapshots of the same session.
func renewed(before, after session.Snapshot) bool {
	return before.Renewals != after.Renewals || !before.LastRenewal.Equal(after.LastRenewal) ||
		!before.SignedInAt.Equal(after.SignedInAt)
}
