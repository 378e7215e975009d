package session

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"signet/internal/tempdir"
)

// lockHolderEnv names the lock file a re-run of this test binary takes and
// holds until its stdin closes (TestLockFile_HolderProcess).
const lockHolderEnv = "SIGNET_TEST_LOCK_HOLDER"

// TestLockFile_HolderProcess is not a test of its own: it is the second copy
// of the app in TestLockFile_ExcludesAnotherProcess.
func TestLockFile_HolderProcess(t *testing.T) {
	path := os.Getenv(lockHolderEnv)
	if path == "" {
		t.Skip("helper process for TestLockFile_ExcludesAnotherProcess")
	}
	unlock, err := lockFile(context.Background(), path)
	if err != nil {
		t.Fatalf("holder: %v", err)
	}
	os.Stdout.WriteString("locked\n")
	_, _ = bufio.NewReader(os.Stdin).ReadString('\n') // until the parent closes stdin
	unlock()
}

// Two running copies of the app must never spend the same refresh token:
// while one holds the refresh lock, the other waits for it.
func TestLockFile_ExcludesAnotherProcess(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "refresh.lock")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockFile_HolderProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), lockHolderEnv+"="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); _ = cmd.Wait() }()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "locked\n" {
		t.Fatalf("holder process said %q, %v", line, err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if unlock, err := lockFile(ctx, path); err == nil {
		unlock()
		t.Fatal("took the lock while another process held it")
	} else if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting for the lock: %v; want the deadline to pass", err)
	}

	stdin.Close() // the holder unlocks and exits
	ctx, cancel = context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	unlock, err := lockFile(ctx, path)
	if err != nil {
		t.Fatalf("after the other process let go: %v", err)
	}
	unlock()
}

// Two Controllers in one process (tests, or two windows) exclude each other
// too, and a waiter gets the lock as soon as it is released.
func TestLockFile_ExcludesAnotherHolderInThisProcessUntilUnlocked(t *testing.T) {
	path := filepath.Join(tempdir.New(t), "refresh.lock")
	unlock, err := lockFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		u, err := lockFile(ctx, path)
		if err == nil {
			u()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("second holder returned (%v) while the first held the lock", err)
	case <-time.After(100 * time.Millisecond):
	}
	unlock()
	if err := <-got; err != nil {
		t.Fatalf("second holder after unlock: %v", err)
	}
}
