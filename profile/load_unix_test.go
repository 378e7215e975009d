//go:build unix

package profile_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"signet/profile"
)

// Loading a FIFO (or a device) must fail at once, not block waiting for a
// writer or read forever.
func TestLoad_RefusesAFIFOAndADeviceWithoutBlocking(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "profile.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	t.Cleanup(func() {
		// Unblock an Open stuck on the FIFO, should the test have failed.
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
	})
	for _, path := range []string{fifo, os.DevNull} {
		done := make(chan error, 1)
		go func() {
			_, err := profile.Load(path)
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("Load(%s) = %v, want it refused as not a regular file", path, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("Load(%s) still blocked after 10 s", path)
		}
	}
}
