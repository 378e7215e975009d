package keychain

import (
	"errors"
	"sync/atomic"
	"time"
)

// Fallback keeps secrets in the OS keychain and, only while that is
// unavailable AND the person has opted in (enabled reports the current
// setting), in a plaintext File. Nothing reaches the file without the
// opt-in (the GitHub CLI was rightly criticised for falling back silently).
// When the keychain works again, the file's copy moves into it: the first
// read that the keychain answers (the next start's restore) writes the
// file's value to the keychain and removes it from the file, overwritten
// first; a write to the keychain removes it too.
type Fallback struct {
	primary Store
	file    Store
	enabled func() bool
	inFile  *atomic.Bool // shared with WithTimeout's copies
}

// NewFallback combines the OS keychain with an opt-in plaintext file.
func NewFallback(primary, file Store, enabled func() bool) *Fallback {
	return &Fallback{primary: primary, file: file, enabled: enabled, inFile: new(atomic.Bool)}
}

// Location says where the secrets were last kept.
func (f *Fallback) Location() Location {
	if f.inFile.Load() {
		return LocationFile
	}
	return LocationKeychain
}

func (f *Fallback) useFile(err error) bool {
	return errors.Is(err, ErrUnavailable) && f.enabled()
}

func (f *Fallback) Get(key string) (string, error) {
	v, err := f.primary.Get(key)
	if err == nil || errors.Is(err, ErrNotFound) {
		return f.moveIn(key, v, err)
	}
	if !f.useFile(err) {
		return v, err
	}
	if v, ferr := f.file.Get(key); ferr == nil {
		f.inFile.Store(true)
		return v, nil
	}
	return "", err // nothing usable in the file: the keychain's answer stands
}

// moveIn runs when the keychain answered Get (v, or ErrNotFound in err): a
// copy the file kept while the keychain was away moves into the keychain
// and leaves the file, so no secret stays in plaintext once it needn't. If
// the keychain also holds the entry, its value is the newer one (the file
// is written only while the keychain fails) and the file's copy just goes.
func (f *Fallback) moveIn(key, v string, err error) (string, error) {
	fv, ferr := f.file.Get(key)
	if ferr != nil {
		return v, err // nothing in the file
	}
	if err != nil {
		if serr := f.primary.Set(key, fv); serr != nil {
			// The keychain reads but does not take it: the file stays in
			// use, as the person chose.
			f.inFile.Store(true)
			return fv, nil
		}
		v = fv
	}
	if derr := f.file.Delete(key); derr == nil || errors.Is(derr, ErrNotFound) {
		f.inFile.Store(false)
	}
	return v, nil
}

func (f *Fallback) Set(key, value string) error {
	err := f.primary.Set(key, value)
	if err == nil {
		if f.inFile.Swap(false) {
			_ = f.file.Delete(key) // the keychain has it now
		}
		return nil
	}
	if !f.useFile(err) {
		return err
	}
	if ferr := f.file.Set(key, value); ferr != nil {
		return err
	}
	f.inFile.Store(true)
	return nil
}

// Delete removes the entry from both places: sign-out must leave neither.
func (f *Fallback) Delete(key string) error {
	perr := f.primary.Delete(key)
	ferr := f.file.Delete(key)
	f.inFile.Store(false)
	switch {
	case perr == nil || ferr == nil:
		return nil
	case errors.Is(perr, ErrNotFound) && errors.Is(ferr, ErrNotFound):
		return ErrNotFound
	case errors.Is(perr, ErrNotFound):
		return ferr
	default:
		return perr
	}
}

// WithTimeout gives the keychain a longer limit (sign-in, when an unlock
// prompt may show); the file needs none.
func (f *Fallback) WithTimeout(d time.Duration) Store {
	return &Fallback{primary: WithTimeout(f.primary, d), file: f.file, enabled: f.enabled, inFile: f.inFile}
}
