package session

import (
	"errors"
	"strings"
	"sync"

	"signet/api"
)

// minSecretLen is the shortest secret scrubbed out of text: a shorter one
// (a two-letter password) would cut ordinary words to pieces, and the
// servers' texts are not long enough to hide it anyway.
const minSecretLen = 4

// Secrets is the set of secrets a session holds right now (tokens, and the
// password while a sign-in is under way), so that text from a server can be
// cleaned of them before it is logged or shown (rule R13). Pattern matching
// alone can't: an opaque token is just a word. Give one to Config.Secrets
// and to NewRedactingHandler to have the app's whole log scrubbed of what
// the session knows; a Controller always scrubs its own records and errors.
// The zero value is not usable; call NewSecrets. Safe for concurrent use.
type Secrets struct {
	mu   sync.RWMutex
	sets map[any][]string
}

// NewSecrets returns an empty set.
func NewSecrets() *Secrets { return &Secrets{sets: map[any][]string{}} }

// put replaces the secrets owner registered before with vals (none: forget
// them). Several controllers can share one set, each under its own owners.
func (s *Secrets) put(owner any, vals ...string) {
	keep := make([]string, 0, len(vals))
	for _, v := range vals {
		if len(v) >= minSecretLen {
			keep = append(keep, v)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(keep) == 0 {
		delete(s.sets, owner)
		return
	}
	s.sets[owner] = keep
}

// Scrub replaces every known secret in text with Redacted. Longer secrets
// go first, so one that contains another is cut out whole.
func (s *Secrets) Scrub(text string) string {
	if s == nil || text == "" {
		return text
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	var found []string
	for _, set := range s.sets {
		for _, v := range set {
			if strings.Contains(text, v) {
				found = append(found, v)
			}
		}
	}
	if len(found) == 0 {
		return text
	}
	for len(found) > 0 {
		longest := 0
		for i, v := range found {
			if len(v) > len(found[longest]) {
				longest = i
			}
		}
		text = strings.ReplaceAll(text, found[longest], Redacted)
		found = append(found[:longest], found[longest+1:]...)
	}
	return text
}

// ScrubError returns err with its text cleaned of the known secrets. The
// error is wrapped, not flattened: errors.Is and errors.As still reach
// everything inside, and errors.As to an *api.Error yields a copy whose
// ServerMessage is clean too (api.KindOf and api.IsRetryable keep working).
func (s *Secrets) ScrubError(err error) error {
	if err == nil || s == nil {
		return err
	}
	text := err.Error()
	clean := s.Scrub(text)
	var ae *api.Error
	dirtyMessage := errors.As(err, &ae) && s.Scrub(ae.ServerMessage) != ae.ServerMessage
	if clean == text && !dirtyMessage {
		return err
	}
	return &scrubbedError{err: err, msg: clean, by: s}
}

// scrubbedError is an error whose text had secrets in it.
type scrubbedError struct {
	err error
	msg string
	by  *Secrets
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// As hands out a clean copy of the *api.Error inside, whose ServerMessage
// (shown as its Error()) is the server's text.
func (e *scrubbedError) As(target any) bool {
	p, ok := target.(**api.Error)
	if !ok {
		return false
	}
	var ae *api.Error
	if !errors.As(e.err, &ae) {
		return false
	}
	cp := *ae
	cp.ServerMessage = e.by.Scrub(cp.ServerMessage)
	*p = &cp
	return true
}
