//go:build unix

package session

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"signet/internal/tempdir"
)

// The calls that wait for a renewal go on with the new token once it is
// saved and installed; the lock's stamp for other copies (design R11) is
// written behind them, still under the lock, and Close waits for it. The
// stamp here is a named pipe, so its write hangs until the test reads it.
func TestRefresh_WaitersDoNotWaitForTheLockStamp(t *testing.T) {
	lock := filepath.Join(tempdir.New(t), "refresh.lock")
	e := newTokenEnv(t, nil, func(cfg *Config) { cfg.LockPath = lock })
	e.signIn(t)
	old := e.c.tokensForTest()
	if err := syscall.Mkfifo(stampPath(lock), 0o600); err != nil {
		t.Fatal(err)
	}
	// The re-read before spending (R11) reads the stamp: an empty one.
	go func() {
		if f, err := os.OpenFile(stampPath(lock), os.O_WRONLY, 0); err == nil {
			f.Close()
		}
	}()
	read := make(chan string, 1)
	readStampPipe := func() {
		b, _ := os.ReadFile(stampPath(lock))
		read <- string(b)
	}
	t.Cleanup(func() {
		// Whatever happened, let a stamp write still hanging end.
		if f, err := os.OpenFile(stampPath(lock), os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})

	e.clock.Skip(2 * time.Minute) // dead: the call waits for the renewal
	if err := fetchWithin(t, e.c, 5*time.Second, "the stamp write hangs"); err != nil {
		t.Fatalf("FetchList: %v", err)
	}
	if e.c.tokensForTest().AccessToken == old.AccessToken {
		t.Fatal("the call went on before the renewal was installed")
	}

	closed := make(chan struct{})
	go func() {
		e.c.Close()
		close(closed)
	}()
	select {
	case <-closed:
		t.Fatal("Close did not wait for the stamp")
	case <-time.After(50 * time.Millisecond):
		// Still writing it (a slow machine can only make this pass late).
	}
	go readStampPipe()
	if st := <-read; st == "" {
		t.Error("no stamp was written after the renewal")
	}
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close has not returned after the stamp was written")
	}
}
