package keychain

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// Tests against the real Secret Service. scripts/with-keyring.sh runs them
// in a private D-Bus session with a fresh gnome-keyring and sets
// SIGNET_REQUIRE_KEYCHAIN=1, which makes a missing keychain a failure
// instead of a skip, so CI cannot pass them without running them.

const requireKeychainEnv = "SIGNET_REQUIRE_KEYCHAIN"

// realOS returns an OS store on the real keychain under a service name of
// its own, removing everything stored under it when the test ends.
func realOS(t *testing.T) (*OS, string) {
	t.Helper()
	service := fmt.Sprintf("signet-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	s := NewOS(service, Options{})
	if err := s.Available(); err != nil {
		if os.Getenv(requireKeychainEnv) == "1" {
			t.Fatalf("%s=1 but the Secret Service cannot be used: %v", requireKeychainEnv, err)
		}
		t.Skipf("no usable Secret Service (%v); run under scripts/with-keyring.sh to test against one", err)
	}
	t.Cleanup(func() {
		if err := keyring.DeleteAll(service); err != nil {
			t.Errorf("cleaning up service %s: %v", service, err)
		}
	})
	return s, service
}

func TestReal_FollowsStoreContract(t *testing.T) {
	testStoreContract(t, func(t *testing.T) Store { s, _ := realOS(t); return s })
}

func TestReal_LongValueIsChunkedAndReassembled(t *testing.T) {
	s, service := realOS(t)
	value := strings.Repeat("0123456789", 1000) // 10 000 bytes: 5 chunks of 2000

	mustSet(t, s, "tokens", value)

	head, err := keyring.Get(service, "tokens")
	if err != nil || head != header(5, value) {
		t.Fatalf("entry holds %q, %v; want the header for 5 chunks", head, err)
	}
	for i := 1; i <= 5; i++ {
		part, err := keyring.Get(service, chunkKey("tokens", i))
		if err != nil || len(part) != 2000 {
			t.Fatalf("chunk %d: %d bytes, %v; want 2000 bytes", i, len(part), err)
		}
	}
	if got := mustGet(t, s, "tokens"); got != value {
		t.Fatalf("Get returned %d bytes, want the 10 000 stored", len(got))
	}
}

func TestReal_ShortValueRemovesStaleChunks(t *testing.T) {
	s, service := realOS(t)
	mustSet(t, s, "tokens", strings.Repeat("x", 10000))

	mustSet(t, s, "tokens", "short")

	for i := 1; i <= 5; i++ {
		if _, err := keyring.Get(service, chunkKey("tokens", i)); !errors.Is(err, keyring.ErrNotFound) {
			t.Fatalf("chunk %d still there (err %v) after a short value replaced the long one", i, err)
		}
	}
	if got := mustGet(t, s, "tokens"); got != "short" {
		t.Fatalf("Get = %q, want short", got)
	}
}

func TestReal_LongValueReplacesShortOne(t *testing.T) {
	s, _ := realOS(t)
	mustSet(t, s, "tokens", "short")
	value := strings.Repeat("y", 4001)

	mustSet(t, s, "tokens", value)

	if got := mustGet(t, s, "tokens"); got != value {
		t.Fatalf("Get returned %d bytes, want the 4001 stored", len(got))
	}
}

func TestReal_DeleteRemovesHeaderAndChunks(t *testing.T) {
	s, service := realOS(t)
	mustSet(t, s, "tokens", strings.Repeat("z", 5000))

	if err := s.Delete("tokens"); err != nil {
		t.Fatalf("Delete: %v", err)
	}

	for _, key := range []string{"tokens", "tokens#1", "tokens#2", "tokens#3"} {
		if _, err := keyring.Get(service, key); !errors.Is(err, keyring.ErrNotFound) {
			t.Fatalf("%s still there (err %v) after Delete", key, err)
		}
	}
}

func TestReal_UnicodeRoundTripsWholeAndChunked(t *testing.T) {
	s, _ := realOS(t)
	for _, value := range []string{
		"pässwörd-ключ-鍵-🔑",
		strings.Repeat("ключ🔑鍵", 300), // 3 300 bytes, cut between runes
	} {
		mustSet(t, s, "unicode", value)
		if got := mustGet(t, s, "unicode"); got != value {
			t.Fatalf("Get returned %d bytes, want the %d stored", len(got), len(value))
		}
	}
}

// The keyring scripts/with-keyring.sh starts is the only one a test may
// lock: it says so by handing over its password, to unlock it again.
const keyringPasswordEnv = "SIGNET_TEST_KEYRING_PASSWORD"

// keyringAloneEnv=1 says no other test uses the keyring meanwhile: while
// it is locked, every other test's keychain call is refused, so locking it
// under `go test ./...` (packages run side by side) fails the others now
// and then. scripts/test.sh runs this test on its own keyring.
const keyringAloneEnv = "SIGNET_TEST_KEYRING_ALONE"

func TestReal_LockedKeychainIsUnavailable(t *testing.T) {
	s, _ := realOS(t)
	password := os.Getenv(keyringPasswordEnv)
	if password == "" {
		t.Skipf("%s is not set: not locking a keyring this test did not create", keyringPasswordEnv)
	}
	if os.Getenv(keyringAloneEnv) != "1" {
		t.Skipf("%s is not 1: other tests may be using this keyring (scripts/test.sh runs this test on its own one)", keyringAloneEnv)
	}
	mustSet(t, s, "tokens", "stored-before-lock")
	lockLoginCollection(t, password)

	// go-keyring asks for an unlock prompt; with no display to show it on
	// the prompt fails at once. On a desktop it would wait for the user,
	// and the timeout would end the call instead: unavailable either way.
	_, getErr := s.WithTimeout(10 * time.Second).Get("tokens")
	setErr := s.WithTimeout(10*time.Second).Set("tokens", "secret-value")
	for op, err := range map[string]error{"get": getErr, "set": setErr} {
		if !errors.Is(err, ErrUnavailable) {
			t.Errorf("%s on a locked keychain: %v, want ErrUnavailable", op, err)
		}
		if err != nil && strings.Contains(err.Error(), "secret-value") {
			t.Errorf("%s error quotes the value: %v", op, err)
		}
	}
}

const loginCollection = dbus.ObjectPath("/org/freedesktop/secrets/collection/login")

// lockLoginCollection locks gnome-keyring's login collection and unlocks it
// again with password when the test ends, through gnome-keyring's own
// interface for that (the standard one would need a prompt).
func lockLoginCollection(t *testing.T, password string) {
	t.Helper()
	conn, err := dbus.SessionBus()
	if err != nil {
		t.Fatalf("session bus: %v", err)
	}
	svc := conn.Object("org.freedesktop.secrets", "/org/freedesktop/secrets")
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.Lock", 0, []dbus.ObjectPath{loginCollection}).
		Store(&locked, &prompt); err != nil || len(locked) != 1 {
		t.Fatalf("locking the login collection: %v (locked %v, prompt %v)", err, locked, prompt)
	}
	t.Cleanup(func() {
		var ignored dbus.Variant
		var session dbus.ObjectPath
		if err := svc.Call("org.freedesktop.Secret.Service.OpenSession", 0, "plain", dbus.MakeVariant("")).
			Store(&ignored, &session); err != nil {
			t.Fatalf("opening a session to unlock the keyring: %v", err)
		}
		type secret struct {
			Session     dbus.ObjectPath
			Parameters  []byte
			Value       []byte
			ContentType string
		}
		err := svc.Call("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface.UnlockWithMasterPassword", 0,
			loginCollection, secret{session, []byte{}, []byte(password), "text/plain"}).Err
		if err != nil {
			t.Fatalf("unlocking the keyring again: %v", err)
		}
	})
}
