package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"signet/backend"
	"signet/internal/demotest"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" { // runChild: be Signet
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	demotest.Main(m)
}

func TestDisplayMissing_OnlyWhereX11OrWaylandHasNone(t *testing.T) {
	for _, tc := range []struct {
		goos, display, wayland string
		want                   bool
	}{
		{"linux", "", "", true},
		{"freebsd", "", "", true},
		{"linux", ":0", "", false},
		{"linux", "", "wayland-0", false},
		{"darwin", "", "", false},
		{"windows", "", "", false},
	} {
		env := map[string]string{"DISPLAY": tc.display, "WAYLAND_DISPLAY": tc.wayland}
		if got := displayMissing(tc.goos, func(k string) string { return env[k] }); got != tc.want {
			t.Errorf("%s DISPLAY=%q WAYLAND_DISPLAY=%q: %v, want %v", tc.goos, tc.display, tc.wayland, got, tc.want)
		}
	}
}

// childEnv is set in a child started by runChild: TestMain runs run with
// the child's arguments instead of the tests.
const childEnv = "SIGNET_TEST_RUN_MAIN"

// runChild runs exe (this test binary when empty) as Signet would be run,
// with env added to a clean environment: no display, no locale, a home
// folder of its own, no D-Bus (so no keychain), and a deadline.
func runChild(t *testing.T, exe string, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runChildStdin(t, exe, nil, env, args...)
}

// runChildStdin is runChild with stdin as the child's standard input.
func runChildStdin(t *testing.T, exe string, stdin io.Reader, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	if exe == "" {
		exe = os.Args[0]
		env = append(env, childEnv+"=1")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, args...)
	home := t.TempDir()
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); {
		case k == "DISPLAY", k == "WAYLAND_DISPLAY", k == "HOME", k == "LANGUAGE", k == "DBUS_SESSION_BUS_ADDRESS",
			k == "LANG", strings.HasPrefix(k, "LC_"), strings.HasPrefix(k, "XDG_"), k == backend.ProfileEnv:
		default:
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, "config"),
		"XDG_DATA_HOME="+filepath.Join(home, "data"), "DBUS_SESSION_BUS_ADDRESS=disabled:")
	cmd.Env = append(cmd.Env, env...)
	var out, errOut bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("%s %q did not end within the deadline; stderr:\n%s", filepath.Base(exe), args, errOut.String())
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func TestRun_WithoutADisplaySaysSoInOneLineAndExits1(t *testing.T) {
	if !displayMissing(runtime.GOOS, func(string) string { return "" }) {
		t.Skip("this system always has a display")
	}
	stdout, stderr, code := runChild(t, "", []string{"LANG=C.UTF-8"})
	if code != 1 || stdout != "" || stderr != noDisplayMessage("")+"\n" {
		t.Errorf("exit code %d, stdout %q, stderr:\n%s\nwant 1 and only the line %q", code, stdout, stderr, noDisplayMessage(""))
	}
}

// Fyne reads the locale while its packages initialise, before main runs; in
// the C locale's other spellings it used to log three lines every start.
func TestRun_TheCLocaleInAnySpellingPrintsNothingExtra(t *testing.T) {
	for _, env := range [][]string{
		{"LANG=C"}, {"LANG=C.UTF-8"}, {"LC_ALL=C.UTF-8", "LANG=en_GB.UTF-8"}, {"LANG=POSIX.utf8"}, {"LANG=C.utf8", "LANGUAGE=de"},
	} {
		for _, args := range [][]string{{"-version"}, {"-help"}} {
			stdout, stderr, code := runChild(t, "", env, args...)
			if code != 0 || strings.Contains(stdout+stderr, "locale") || (args[0] == "-version" && stderr != "") {
				t.Errorf("%q %q: exit code %d, stdout %q, stderr:\n%s\nwant nothing about the locale", env, args, code, stdout, stderr)
			}
		}
	}
}

// signetBinary builds the real binary, with Fyne's desktop driver (GLFW)
// that the ci-tagged test binary lacks, once per test binary. It needs cgo and
// a C compiler; without one the test is skipped.
var signetBinary = sync.OnceValues(func() (string, error) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("skip: no go tool: %w", err)
	}
	cc, err := exec.Command(goTool, "env", "CC").Output()
	if err != nil {
		return "", err
	}
	if _, err := exec.LookPath(strings.TrimSpace(string(cc))); err != nil {
		return "", fmt.Errorf("skip: no C compiler for cgo: %w", err)
	}
	// Beside the test binary: go test removes its work folder afterwards.
	bin := filepath.Join(filepath.Dir(os.Args[0]), "signet-desktop")
	build := exec.Command(goTool, "build", "-o", bin, ".")
	// GOFLAGS could carry -tags=ci, which swaps the desktop driver out.
	build.Env = append(os.Environ(), "CGO_ENABLED=1", "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

func TestBinary_ADisplayThatCantBeOpenedIsOneLineNotAPanic(t *testing.T) {
	if testing.Short() || !displayMissing(runtime.GOOS, func(string) string { return "" }) {
		t.Skip("builds the real binary; X11 and Wayland only")
	}
	bin, err := signetBinary()
	if err != nil && strings.HasPrefix(err.Error(), "skip: ") {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	display := ""
	for n := 4242; n < 4300 && display == ""; n++ {
		if _, err := os.Stat(fmt.Sprintf("/tmp/.X11-unix/X%d", n)); errors.Is(err, os.ErrNotExist) {
			display = fmt.Sprintf(":%d", n)
		}
	}
	for _, tc := range []struct{ display, want string }{
		{"", noDisplayMessage("")},
		{display, noDisplayMessage(display)},
	} {
		stdout, stderr, code := runChild(t, bin, []string{"DISPLAY=" + tc.display, "LANG=C.UTF-8"})
		if code != 1 || stdout != "" || stderr != tc.want+"\n" {
			t.Errorf("DISPLAY=%q: exit code %d, stdout %q, stderr:\n%s\nwant 1 and only the line %q", tc.display, code, stdout, stderr, tc.want)
		}
	}
}
