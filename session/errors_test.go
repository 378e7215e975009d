package session

import (
	"strings"
	"testing"
	"unicode"
)

// The session's error values are Go errors, not sentences: the window's
// words for them come from ui's explain(), by sentinel.
func TestErrors_AreLowercaseAndNamed(t *testing.T) {
	for _, err := range []error{ErrNotSignedIn, ErrSignedOut, ErrSessionExpired, ErrBusy} {
		msg := err.Error()
		if !strings.HasPrefix(msg, "session: ") || unicode.IsUpper([]rune(msg)[0]) || strings.HasSuffix(msg, ".") {
			t.Errorf("%q is not a Go-style error value (\"session: …\", lowercase, no full stop)", msg)
		}
	}
}
