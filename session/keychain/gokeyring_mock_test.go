package keychain

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

// These tests run OS over go-keyring's own mock (keyring.MockInit), through
// the same adapter NewOS uses. MockInit replaces go-keyring's process-wide
// provider and nothing puts the real one back, so the tests run in a child
// process: in this one, the real-keychain tests must still reach the real
// Secret Service.
const mockChildEnv = "SIGNET_KEYCHAIN_MOCK_CHILD"

func TestGoKeyringMock(t *testing.T) {
	if os.Getenv(mockChildEnv) != "1" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestGoKeyringMock$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), mockChildEnv+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestGoKeyringMock/") {
			t.Fatalf("child process: %v\n%s", err, out)
		}
		if testing.Verbose() {
			t.Logf("child process:\n%s", out)
		}
		return
	}

	const service = "signet-mock"
	mockOS := func() *OS { return newOS(service, Options{ChunkSize: 100}, goKeyring{}, noBusCheck, realTimer) }

	t.Run("ChunksGoUnderTheirOwnKeysAndStaleOnesAreRemoved", func(t *testing.T) {
		keyring.MockInit()
		s := mockOS()
		value := strings.Repeat("ключ-", 50) // 450 bytes
		mustSet(t, s, "k", value)

		head, err := keyring.Get(service, "k")
		if err != nil || !strings.HasPrefix(head, headerV1) {
			t.Fatalf("keyring.Get(k) = %q, %v; want a chunk header", head, err)
		}
		if _, err := keyring.Get(service, "k#5"); err != nil {
			t.Fatalf("keyring.Get(k#5): %v, want the fifth chunk", err)
		}
		if got := mustGet(t, s, "k"); got != value {
			t.Fatal("Get did not reassemble the value")
		}

		mustSet(t, s, "k", "short")
		for _, ck := range []string{"k#1", "k#5"} {
			if _, err := keyring.Get(service, ck); !errors.Is(err, keyring.ErrNotFound) {
				t.Fatalf("keyring.Get(%s) error = %v, want the stale chunk gone", ck, err)
			}
		}
	})

	t.Run("DeleteLeavesNothingBehind", func(t *testing.T) {
		keyring.MockInit()
		s := mockOS()
		mustSet(t, s, "k", strings.Repeat("x", 250))
		if err := s.Delete("k"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		for _, key := range []string{"k", "k#1", "k#2", "k#3"} {
			if _, err := keyring.Get(service, key); !errors.Is(err, keyring.ErrNotFound) {
				t.Fatalf("keyring.Get(%s) error = %v, want it gone", key, err)
			}
		}
	})

	t.Run("NoSecretServiceIsUnavailable", func(t *testing.T) {
		keyring.MockInitWithError(dbus.Error{
			Name: "org.freedesktop.DBus.Error.ServiceUnknown",
			Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"},
		})
		s := mockOS()
		if err := s.Available(); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("Available = %v, want ErrUnavailable", err)
		}
		if err := s.Set("k", "secret-value"); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("Set error = %v, want ErrUnavailable", err)
		}
	})

	t.Run("NotFoundIsErrNotFound", func(t *testing.T) {
		keyring.MockInitWithError(keyring.ErrNotFound)
		s := mockOS()
		if _, err := s.Get("k"); err != ErrNotFound {
			t.Fatalf("Get error = %v, want ErrNotFound", err)
		}
		if err := s.Available(); err != nil {
			t.Fatalf("Available = %v, want nil: not found means the keychain answered", err)
		}
	})

	t.Run("OtherErrorsAreWrappedNotUnavailable", func(t *testing.T) {
		boom := errors.New("boom")
		keyring.MockInitWithError(boom)
		_, err := mockOS().Get("k")
		if !errors.Is(err, boom) || errors.Is(err, ErrUnavailable) || errors.Is(err, ErrNotFound) {
			t.Fatalf("Get error = %v, want it to wrap boom and nothing else", err)
		}
	})
}
