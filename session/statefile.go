package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// StateFile is a Preferences kept in a JSON file of its own, for what
// decides whether a person is signed in: the session's saved marker, its
// username, the chosen backend (design R14). Every change replaces the file
// atomically (a temporary file in the same folder, synced, renamed over the
// old one, the folder synced), so a kill or a power cut at any moment leaves
// either the old or the new file, never an empty or half-written one, which
// is what a file rewritten in place (Fyne's preferences.json) can leave.
//
// A file that can't be read as JSON is set aside as "<path>.corrupt" and the
// state starts empty, marked Damaged: a session then asks the keychain
// whether it holds an entry instead of trusting a missing marker, and the
// app never fails forever on a bad file. Several changes can be made as one write with Update. Safe for
// concurrent use; writes from several processes are serialised by a lock
// file and each re-reads the file first, so one copy of the app does not
// undo another's changes to other keys.
type StateFile struct {
	path string
	log  *slog.Logger

	mu      sync.Mutex
	m       map[string]string
	created bool
	damaged bool  // the file was damaged when opened
	err     error // the last failed write, until one succeeds
}

// stateLockTimeout bounds the wait for another process's write.
const stateLockTimeout = 5 * time.Second

// OpenStateFile reads the state at path, creating its folder (0700) if
// needed; the file itself is written on the first change. logger may be
// nil.
func OpenStateFile(path string, logger *slog.Logger) (*StateFile, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("session: state file: %w", err)
	}
	s := &StateFile{path: path, log: logger}
	s.removeTemps()
	m, exists, err := s.load()
	if err != nil {
		return nil, err
	}
	s.m, s.created = m, !exists
	return s, nil
}

// Path is the file's location.
func (s *StateFile) Path() string { return s.path }

// Created reports whether the file did not exist when it was opened (a
// first start, or one after the state was lost), for a one-time migration.
func (s *StateFile) Created() bool { return s.created }

// Damaged reports whether the file was damaged when opened (and set
// aside): what it said is unknown, so a session may have a keychain entry
// that no marker names. The session then asks the keychain (design R14).
func (s *StateFile) Damaged() bool { return s.damaged }

// Err is the last write failure, nil once a write succeeds again.
func (s *StateFile) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (s *StateFile) String(key string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[key]
}

func (s *StateFile) SetString(key, value string) {
	s.Update(func(p Preferences) { p.SetString(key, value) })
}

func (s *StateFile) RemoveValue(key string) {
	s.Update(func(p Preferences) { p.RemoveValue(key) })
}

// All returns a copy of every key and value.
func (s *StateFile) All() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.m)
}

// Update applies fn's changes as one atomic write: a kill leaves all of
// them or none. fn must not call s. A failed write is logged and kept in
// Err; the changes stay in memory for this run.
func (s *StateFile) Update(fn func(Preferences)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), stateLockTimeout)
	unlock, lerr := lockFile(ctx, s.path+".lock")
	cancel()
	if lerr == nil {
		defer unlock()
		// Another copy of the app may have changed other keys since. A
		// file gone or damaged meanwhile is replaced by what we hold.
		if m, exists, err := s.read(); err == nil && exists {
			s.m = m
		}
	}
	next := &MemoryPreferences{m: maps.Clone(s.m)}
	fn(next)
	if maps.Equal(next.m, s.m) {
		return
	}
	s.m = next.m
	if err := s.write(s.m); err != nil {
		s.err = err
		s.log.Warn("the session state file could not be written", "path", s.path, "err", err)
		return
	}
	s.err = nil
}

// errDamaged: the file is there but is not a JSON object of strings.
var errDamaged = errors.New("session: the state file is damaged")

// read reads the file; a missing one is empty (exists false).
func (s *StateFile) read() (m map[string]string, exists bool, err error) {
	b, err := os.ReadFile(s.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return map[string]string{}, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("session: state file: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return nil, true, errDamaged
	}
	return m, true, nil
}

// load reads the file at open. A damaged one (our writes are atomic, so
// the damage came from elsewhere: a disk error, an editor) is set aside
// for a person to look at, and the state starts empty.
func (s *StateFile) load() (m map[string]string, exists bool, err error) {
	m, exists, err = s.read()
	if !errors.Is(err, errDamaged) {
		return m, exists, err
	}
	s.damaged = true
	aside := s.path + ".corrupt"
	if rerr := os.Rename(s.path, aside); rerr != nil {
		s.log.Warn("the session state file is damaged and could not be set aside", "path", s.path, "err", rerr)
	} else {
		s.log.Warn("the session state file is damaged; starting from an empty state", "path", s.path, "copy", aside)
	}
	return map[string]string{}, true, nil
}

// write replaces the file: temporary file, fsync, rename, fsync of the
// folder (so the rename itself survives a power cut).
func (s *StateFile) write(m map[string]string) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	dir, base := filepath.Split(s.path)
	tmp, err := os.CreateTemp(dir, "."+base+"-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if err := writeSynced(tmp, append(b, '\n')); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return err
	}
	return syncDir(dir)
}

func writeSynced(f *os.File, b []byte) error {
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	// Some systems (Windows, some network file systems) can't sync a
	// folder; the rename is still atomic against a kill, so go on.
	_ = d.Sync()
	return nil
}

// removeTemps deletes temporary files a killed write left behind.
func (s *StateFile) removeTemps() {
	dir, base := filepath.Split(s.path)
	matches, _ := filepath.Glob(filepath.Join(dir, "."+base+"-*.tmp"))
	for _, m := range matches {
		_ = os.Remove(m)
	}
}

var _ Preferences = (*StateFile)(nil)

// updater is a Preferences that can apply several changes as one write.
type updater interface {
	Update(func(Preferences))
}

// updatePrefs applies fn to p, as one write when p supports it.
func updatePrefs(p Preferences, fn func(Preferences)) {
	if u, ok := p.(updater); ok {
		u.Update(fn)
		return
	}
	fn(p)
}

// Import copies, in one write, every key of old that starts with one of
// prefixes and that s does not hold yet, then removes those keys from old
// (after the write, so a kill in between leaves them in both places, never
// in neither). It is for the first start with a StateFile, when the session
// state and the backend choice still live in the app's older preferences.
// It reports how many keys moved.
func (s *StateFile) Import(old Preferences, keys []string, prefixes ...string) int {
	var moved []string
	s.Update(func(p Preferences) {
		for _, k := range keys {
			v := old.String(k)
			if v == "" || p.String(k) != "" || !hasAnyPrefix(k, prefixes) {
				continue
			}
			p.SetString(k, v)
			moved = append(moved, k)
		}
	})
	if s.Err() != nil {
		return 0
	}
	for _, k := range moved {
		old.RemoveValue(k)
	}
	return len(moved)
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// Update applies fn to p, as one atomic write when p supports it (a
// StateFile), one change at a time otherwise.
func Update(p Preferences, fn func(Preferences)) { updatePrefs(p, fn) }
