package reliability

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"signet/internal/demotest"

	"signet/demo"
	"signet/internal/faultproxy"
	"signet/session/keychain"
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

// workHelper starts the app in the work loop; lines yields one value per
// step it finishes.
func workHelper(t *testing.T, url, dir string) (*exec.Cmd, <-chan string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+helperWork, urlEnv+"="+url, dirEnv+"="+dir, "GORACE=atexit_sleep_ms=0")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default: // nobody is counting any more
			}
		}
	}()
	return cmd, lines
}

// realDemo is a demo backend on the real clock, for other processes.
func realDemo(t *testing.T) *demo.Server {
	t.Helper()
	data := demotest.DataFile(t)
	d, err := demo.Open(demo.Config{DataPath: data})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	return d
}

// sigkillLoop kills the app at random points of sign-in and renewal, 50
// times; after every kill the next start must end signed in or cleanly
// asked to sign in, quickly, with at most one refresh.
func sigkillLoop(t *testing.T) {
	d := realDemo(t)
	if requireKeychain {
		t.Cleanup(func() { _ = keychain.NewOS(service+"-kill", keychain.Options{}).Delete(profileName + "/tokens") })
	}
	check := faultproxy.New(d.URL())
	t.Cleanup(check.Close)
	dir := t.TempDir()
	seed := rand.Uint64()
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("kill points from seed %d", seed)
	outcomes := map[string]int{}
	const kills = 50
	for i := range kills {
		// The kill point: after 0–5 finished steps (sign-in, renew and
		// load, sign-out), then 0–10 ms into the next one.
		steps, extra := rng.IntN(6), time.Duration(rng.IntN(10000))*time.Microsecond
		cmd, lines := workHelper(t, d.URL(), dir)
		for range steps {
			select {
			case _, ok := <-lines:
				if !ok {
					t.Fatalf("kill %d: the app exited on its own", i)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("kill %d: the app made no progress for 10 s (a hang)", i)
			}
		}
		time.Sleep(extra)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("kill %d: the app ended before the kill: %v", i, err)
		}

		// The restart talks through its own proxy, so its refresh calls are
		// counted apart from a killed run's request the server may still
		// be finishing.
		before := check.Hits("/auth/refresh")
		rep := runReport(t, 10*time.Second, helperCheck, check.URL(), dir)
		if refreshes := check.Hits("/auth/refresh") - before; refreshes > 1 {
			t.Fatalf("kill %d: the restart made %d refresh calls, want at most 1 (a loop)", i, refreshes)
		}
		switch rep.State {
		case "SignedIn":
			if rep.FetchErr != "" {
				t.Fatalf("kill %d: signed in but the list failed: %s", i, rep.FetchErr)
			}
		case "Expired", "SignedOut":
			// Cleanly asked to sign in.
		default:
			t.Fatalf("kill %d: the restart ended %s (%s), want SignedIn, Expired or SignedOut", i, rep.State, rep.FetchErr)
		}
		outcomes[rep.State]++
	}
	st := d.Stats()
	t.Logf("after %d kills: %v; server: %d sign-ins, %d refreshes, %d refused, %d reuse revocations",
		kills, outcomes, st.Logins, st.Refreshes, st.RefreshRefused, st.RefreshReuse)
	if st.Logins == 0 || st.Refreshes == 0 {
		t.Fatal("the app never signed in or renewed before being killed; the kills hit nothing")
	}
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
	rep := runReport(t, 10*time.Second, helperSlowKeychain, d.URL(), t.TempDir(),
		"DBUS_SESSION_BUS_ADDRESS=unix:path="+sock)
	if rep.State != "SignedIn" || !rep.MemoryOnly || rep.Notice == "" || rep.FetchErr != "" {
		t.Fatalf("report %+v: want SignedIn, memory only with a notice, the list loaded", rep)
	}
	if rep.Elapsed > 3*time.Second {
		t.Fatalf("sign-in took %v with a 300ms keychain timeout", rep.Elapsed)
	}
}
