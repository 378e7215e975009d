package keychain

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// File is a Store in a plaintext JSON file readable by the owner only
// (0600, in a 0700 folder). It exists for one case: the OS keychain can't be
// used and the person has explicitly chosen to stay signed in anyway (rule
// R3). It is never used on its own initiative; see Fallback. Writes replace
// the file atomically, and deleting the last entry removes the file.
type File struct {
	path string
	mu   sync.Mutex
}

// NewFile returns a File store at path (created on the first Set).
func NewFile(path string) *File { return &File{path: path} }

// Path is where the file lives, for the person to be told.
func (f *File) Path() string { return f.path }

func (f *File) Get(key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return "", err
	}
	v, ok := m[key]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (f *File) Set(key, value string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return err
	}
	m[key] = value
	return f.write(m)
}

func (f *File) Delete(key string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.read()
	if err != nil {
		return err
	}
	if _, ok := m[key]; !ok {
		return ErrNotFound
	}
	delete(m, key)
	if len(m) == 0 {
		err := f.unname(func() error {
			if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("keychain file: %w", err)
		}
		return nil
	}
	return f.write(m)
}

// unname runs remove (which removes the file or renames another over it)
// and then fills the file that lost its name with zeros, so the secrets it
// held don't linger in its blocks. On journaling and copy-on-write file
// systems and SSDs this is best effort; it still keeps them from an
// undelete tool's plain sight. Where an open file can't lose its name
// (Windows), remove runs again without the overwrite.
func (f *File) unname(remove func() error) error {
	old, err := os.OpenFile(f.path, os.O_WRONLY, 0)
	if err != nil {
		return remove()
	}
	defer old.Close()
	if err := remove(); err != nil {
		old.Close()
		return remove()
	}
	if st, err := old.Stat(); err == nil && st.Size() > 0 {
		if _, err := old.WriteAt(make([]byte, st.Size()), 0); err == nil {
			_ = old.Sync()
		}
	}
	return nil
}

func (f *File) read() (map[string]string, error) {
	m := map[string]string{}
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return nil, fmt.Errorf("keychain file: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		// A damaged file holds nothing we can trust: treat it as empty
		// (the person signs in again) rather than failing forever.
		return map[string]string{}, nil
	}
	return m, nil
}

// write replaces the file atomically: a crash leaves the old or the new
// file, never half of one.
func (f *File) write(m map[string]string) error {
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("keychain file: %w", err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("keychain file: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".secrets-*")
	if err != nil {
		return fmt.Errorf("keychain file: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if err := restrictToOwner(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("keychain file: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("keychain file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("keychain file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("keychain file: %w", err)
	}
	// The replaced file holds secrets some of which may be deleted now:
	// it is overwritten once it has lost its name, so a kill never leaves
	// the path without a whole file.
	if err := f.unname(func() error { return os.Rename(tmp.Name(), f.path) }); err != nil {
		return fmt.Errorf("keychain file: %w", err)
	}
	return nil
}
