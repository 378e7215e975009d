package keychain

import (
	"errors"
	"fmt"
	"strings"
)

// The compound operations behind OS's Get, Set and Delete. They run on the
// goroutine run starts, one at a time per store, and talk to the backend
// through call, which maps its errors.

func (c *shared) get(key string) (string, error) {
	raw, err := c.call("get", key, "", func() (string, error) { return c.backend.Get(c.service, key) })
	if err != nil {
		return "", err
	}
	s, err := decode(key, raw)
	if err != nil || !s.chunked {
		return s.value, err
	}
	var b strings.Builder
	for i := 1; i <= s.n; i++ {
		ck := chunkKey(key, i)
		part, err := c.call("get", ck, "", func() (string, error) { return c.backend.Get(c.service, ck) })
		if errors.Is(err, ErrNotFound) {
			return "", &CorruptError{Key: key, Reason: fmt.Sprintf("chunk %d of %d is missing", i, s.n)}
		}
		if err != nil {
			return "", err
		}
		b.WriteString(part)
	}
	value := b.String()
	if err := s.verify(key, value); err != nil {
		return "", err
	}
	return value, nil
}

// set writes the chunks, then the header, then removes chunks left over
// from a longer value stored before. A failure to remove them is not
// reported: the value is stored, and unreferenced chunks are never read;
// the next Set or Delete tries again.
func (c *shared) set(key, value string) error {
	if inline, ok := encodeInline(value, c.chunkSize); ok {
		if err := c.setOne(key, inline); err != nil {
			return err
		}
		_, _ = c.sweep(key, 1)
		return nil
	}
	chunks := splitChunks(value, c.chunkSize)
	if len(chunks) > maxChunks {
		return fmt.Errorf("keychain: set %q: value of %d bytes needs more than %d chunks", key, len(value), maxChunks)
	}
	for i, part := range chunks {
		if err := c.setOne(chunkKey(key, i+1), part); err != nil {
			return err
		}
	}
	if err := c.setOne(key, header(len(chunks), value)); err != nil {
		return err
	}
	_, _ = c.sweep(key, len(chunks)+1)
	return nil
}

// delete removes the header first, so a Delete cut short leaves chunks no
// header points to rather than a header whose chunks are gone, then every
// chunk.
func (c *shared) delete(key string) error {
	err := c.deleteOne(key)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	removed, serr := c.sweep(key, 1)
	if serr != nil {
		return serr
	}
	if err != nil && removed == 0 {
		return ErrNotFound
	}
	return nil
}

// sweep deletes key#from, key#from+1, … up to the first one that is not
// there, and reports how many it deleted. It goes by what is in the
// keychain, not by the old header, so it also finds chunks that a write cut
// short left with no header. Costs one call when there is nothing to do.
func (c *shared) sweep(key string, from int) (int, error) {
	removed := 0
	for i := from; i <= maxChunks; i++ {
		err := c.deleteOne(chunkKey(key, i))
		if errors.Is(err, ErrNotFound) {
			break
		}
		if err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

func (c *shared) setOne(key, value string) error {
	_, err := c.call("set", key, value, func() (string, error) {
		return "", c.backend.Set(c.service, key, value)
	})
	return err
}

func (c *shared) deleteOne(key string) error {
	_, err := c.call("delete", key, "", func() (string, error) {
		return "", c.backend.Delete(c.service, key)
	})
	return err
}

// call makes one backend call, turning a panic into an error and mapping
// the error (see mapError). payload is the value being written, if any.
func (c *shared) call(op, key, payload string, fn func() (string, error)) (v string, err error) {
	defer func() {
		if p := recover(); p != nil {
			v, err = "", mapError(op, key, payload, panicError{p})
		}
	}()
	v, err = fn()
	return v, mapError(op, key, payload, err)
}
