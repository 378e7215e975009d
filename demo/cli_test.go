package demo

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"signet/internal/testsync"
)

func TestRunCLI_BadInvocationsExitNonZeroWithAMessage(t *testing.T) {
	data := filepath.Join(t.TempDir(), "demo.db")
	for _, tc := range []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"unknown flag", []string{"--bogus"}, 2, "flag provided but not defined"},
		{"bad duration", []string{"--token-ttl", "soon"}, 2, "invalid value"},
		{"stray argument", []string{"--data", data, "extra"}, 2, `unexpected argument "extra"`},
		{"token lifetime too short", []string{"--data", data, "--token-ttl", "10ms"}, 1, "too short"},
		{"bad address", []string{"--data", data, "--addr", "127.0.0.1:notaport"}, 1, "cannot listen"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runCLI(t.Context(), tc.args, &stdout, &stderr)
			if code != tc.wantCode {
				t.Errorf("exit code %d, want %d", code, tc.wantCode)
			}
			if !strings.Contains(stderr.String(), tc.wantErr) {
				t.Errorf("stderr %q does not say %q", stderr.String(), tc.wantErr)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing on failure", stdout.String())
			}
		})
	}
}

func TestRunCLI_HelpExitsZero(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := runCLI(t.Context(), []string{"-h"}, &stdout, &stderr); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	if !strings.Contains(stderr.String(), "-refresh-delay") {
		t.Errorf("help does not list the flags: %q", stderr.String())
	}
}

func TestRunCLI_TakenPortIsAClearError(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var stdout, stderr bytes.Buffer
	args := []string{"--addr", ln.Addr().String(), "--data", filepath.Join(t.TempDir(), "demo.db")}
	if code := runCLI(t.Context(), args, &stdout, &stderr); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "cannot listen on "+ln.Addr().String()) {
		t.Errorf("stderr %q does not name the taken address", stderr.String())
	}
}

func TestRunCLI_ServesUntilStoppedAndPrintsOnlyTheURL(t *testing.T) {
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	outR, outW := io.Pipe()
	var stderr testsync.Buffer
	args := []string{"--addr", "127.0.0.1:0", "--data", filepath.Join(t.TempDir(), "demo.db"),
		"--stats", "--token-ttl", "2m", "-v"}
	exit := make(chan int, 1)
	go func() {
		exit <- runCLI(ctx, args, outW, &stderr)
		outW.Close()
	}()

	lines := bufio.NewScanner(outR)
	if !lines.Scan() {
		t.Fatalf("no line on stdout; stderr: %s", stderr.String())
	}
	m := regexp.MustCompile(`^demo server listening on (http://127\.0\.0\.1:\d+)$`).FindStringSubmatch(lines.Text())
	if m == nil {
		t.Fatalf("stdout line %q is not the listening line", lines.Text())
	}
	tok := login(t, m[1], DemoUsername, DemoPassword)
	if tok.ExpiresIn != 120 {
		t.Errorf("expires_in %d, want 120 from --token-ttl", tok.ExpiresIn)
	}
	wantStatus(t, getWithToken(t, m[1]+"/stats", ""), http.StatusOK)

	stop()
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("exit code %d after stop, want 0; stderr: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop")
	}
	if lines.Scan() {
		t.Errorf("more on stdout: %q", lines.Text())
	}
	if !strings.Contains(stderr.String(), "path=/auth/login") {
		t.Errorf("-v did not log requests: %s", stderr.String())
	}
	if strings.Contains(stderr.String(), DemoPassword) || strings.Contains(stderr.String(), tok.AccessToken) {
		t.Error("the log shows a password or token")
	}
}
