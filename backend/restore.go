package backend

import (
	"sync"
	"time"

	"signet/session"
)

// AwaitRestore gives a quick restore (a live token: one keychain read, no
// network) up to max to finish before the window is built, so that the first
// screen is already the list with its fetch under way, instead of a
// "Restoring" flash. A slow restore (a refresh, an unlock prompt) goes on
// behind the Restoring screen.
func AwaitRestore(ctrl *session.Controller, max time.Duration) {
	done := make(chan struct{})
	var once sync.Once
	cancel := ctrl.Subscribe(func(s session.Snapshot) {
		if s.State != session.Restoring {
			once.Do(func() { close(done) })
		}
	})
	defer cancel()
	if ctrl.Snapshot().State != session.Restoring {
		return
	}
	t := time.NewTimer(max)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}
