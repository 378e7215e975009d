//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package keychain

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// The build constraint above is go-keyring's own for its Secret Service
// backend: everywhere it talks D-Bus, Signet checks for a bus first.

// errNoSessionBus is the cause inside ErrUnavailable when there is no D-Bus
// session bus to talk to.
var errNoSessionBus = errors.New("no D-Bus session bus")

// sessionBusCheck reports whether go-keyring could reach a D-Bus session bus
// without starting one. Without this check the library (through godbus)
// runs dbus-launch, which leaves a stray dbus-daemon behind for every process
// that asks, and a keychain in it that nothing unlocks.
func sessionBusCheck() error {
	return checkSessionBus(os.Getenv, fileExists, os.ReadFile, os.Getuid())
}

// checkSessionBus mirrors godbus's search for the session bus address
// (getSessionBusAddress in godbus/dbus v5): the environment variable, then
// /run/user/<uid>/bus, then /run/user/<uid>/dbus-session, then dbus-launch.
// It answers "unavailable" exactly where godbus would fall through to
// dbus-launch, and also for libdbus's "disabled:" address, which godbus
// does not know but which users set precisely to say "no session bus".
func checkSessionBus(getenv func(string) string, exists func(string) bool, readFile func(string) ([]byte, error), uid int) error {
	addr := getenv("DBUS_SESSION_BUS_ADDRESS")
	if strings.HasPrefix(addr, "disabled:") {
		return fmt.Errorf("%w (DBUS_SESSION_BUS_ADDRESS is %q)", errNoSessionBus, addr)
	}
	if addr != "" && addr != "autolaunch:" {
		return nil
	}
	// godbus looks under /run/user/<uid>, not $XDG_RUNTIME_DIR.
	runDir := fmt.Sprintf("/run/user/%d", uid)
	if exists(runDir + "/bus") {
		return nil
	}
	// godbus uses this file only when it holds an address.
	if b, err := readFile(runDir + "/dbus-session"); err == nil && strings.HasPrefix(string(b), "DBUS_SESSION_BUS_ADDRESS=") {
		return nil
	}
	return fmt.Errorf("%w (DBUS_SESSION_BUS_ADDRESS is unset and %s/bus does not exist)", errNoSessionBus, runDir)
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
