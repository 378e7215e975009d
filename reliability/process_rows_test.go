package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"signet/internal/demotest"

	"signet/demo"
)

// helper starts the test binary as the app in mode.
func helper(t *testing.T, ctx context.Context, mode, url, dir string, env ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
	// GORACE: a -race binary otherwise sleeps 1 s on exit.
	cmd.Env = append(os.Environ(), helperEnv+"="+mode, urlEnv+"="+url, dirEnv+"="+dir, "GORACE=atexit_sleep_ms=0")
	cmd.Env = append(cmd.Env, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

// runReport runs a helper to its end (bounded by limit) and decodes its
// report.
func runReport(t *testing.T, limit time.Duration, mode, url, dir string, env ...string) report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd, out := helper(t, ctx, mode, url, dir, env...)
	err := cmd.Wait()
	if ctx.Err() != nil {
		t.Fatalf("%s: the app hung (no answer within %v)", mode, limit)
	}
	if err != nil {
		t.Fatalf("%s: the app failed: %v\n%s", mode, err, out)
	}
	var rep report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%s: unreadable report %q", mode, out)
	}
	return rep
}

// realDemo is a demo backend on the real clock, for other processes.
func realDemo(t *testing.T) *demo.Server {
	t.Helper()
	d, _ := demotest.Start(t, demo.Config{})
	return d
}

// keychainSlow: an OS keychain whose D-Bus peer accepts the connection and
// never answers. The app (a separate process, so this process's D-Bus
// connection is not involved) must time out and go on in memory.
func keychainSlow(t *testing.T) {
	d := realDemo(t)
	sock := filepath.Join(t.TempDir(), "bus")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			// Read whatever comes, answer nothing; the helper's exit
			// closes the connection.
			go func() { defer conn.Close(); _, _ = io.Copy(io.Discard, conn) }()
		}
	}()
	// The limit only guards against a hang: a -race helper signing in
	// (a password hash) on a busy machine can take seconds of its own.
	rep := runReport(t, time.Minute, helperSlowKeychain, d.URL(), t.TempDir(),
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+sock)
	if rep.State != "SignedIn" || !rep.MemoryOnly || rep.Notice == "" || rep.FetchErr != "" {
		t.Fatalf("report %+v: want SignedIn, memory only with a notice, the list loaded", rep)
	}
	// The keychain's share, not the machine's speed: the calls it made
	// (one write at sign-in) each gave up after their 300 ms timeout.
	if rep.KeychainWait < 300*time.Millisecond {
		t.Fatalf("keychain calls took %v: the silent bus was never waited on", rep.KeychainWait)
	}
	if rep.KeychainWait > 3*time.Second {
		t.Fatalf("keychain calls took %v with a 300ms keychain timeout (sign-in took %v)", rep.KeychainWait, rep.Elapsed)
	}
}
