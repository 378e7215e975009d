package keychain

import (
	"errors"
	"strings"
	"testing"
)

// testStoreContract checks what every Store in this package promises, so
// Memory can stand in for OS in other packages' tests.
func testStoreContract(t *testing.T, newStore func(t *testing.T) Store) {
	t.Run("GetOfMissingKeyIsBareErrNotFound", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Get("absent"); err != ErrNotFound {
			t.Fatalf("Get(absent) error = %v, want ErrNotFound itself", err)
		}
	})
	t.Run("SetThenGetRoundTrips", func(t *testing.T) {
		s := newStore(t)
		for _, v := range []string{"token-1", "", "ünïcødé 🔑 ключ 鍵", "line\nbreak\x00nul"} {
			mustSet(t, s, "k", v)
			if got := mustGet(t, s, "k"); got != v {
				t.Fatalf("Get = %q, want %q", got, v)
			}
		}
	})
	t.Run("SetReplacesValue", func(t *testing.T) {
		s := newStore(t)
		mustSet(t, s, "k", "old")
		mustSet(t, s, "k", "new")
		if got := mustGet(t, s, "k"); got != "new" {
			t.Fatalf("Get = %q, want new", got)
		}
	})
	t.Run("KeysAreIndependent", func(t *testing.T) {
		s := newStore(t)
		mustSet(t, s, "a", "1")
		mustSet(t, s, "b", "2")
		if got := mustGet(t, s, "a"); got != "1" {
			t.Fatalf("Get(a) = %q, want 1", got)
		}
	})
	t.Run("DeleteRemovesEntry", func(t *testing.T) {
		s := newStore(t)
		mustSet(t, s, "k", "v")
		if err := s.Delete("k"); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := s.Get("k"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get after Delete error = %v, want ErrNotFound", err)
		}
	})
	t.Run("DeleteOfMissingKeyIsErrNotFound", func(t *testing.T) {
		s := newStore(t)
		if err := s.Delete("absent"); err != ErrNotFound {
			t.Fatalf("Delete(absent) error = %v, want ErrNotFound", err)
		}
	})
	t.Run("RejectsKeysItCannotStore", func(t *testing.T) {
		s := newStore(t)
		for _, key := range []string{"", "a#1"} {
			err := s.Set(key, "secret-value")
			if err == nil || errors.Is(err, ErrUnavailable) {
				t.Fatalf("Set(%q) error = %v, want a plain error", key, err)
			}
			if strings.Contains(err.Error(), "secret-value") {
				t.Fatalf("error quotes the value: %v", err)
			}
		}
	})
}

func mustSet(t *testing.T, s Store, key, value string) {
	t.Helper()
	if err := s.Set(key, value); err != nil {
		t.Fatalf("Set(%q): %v", key, err)
	}
}

func mustGet(t *testing.T, s Store, key string) string {
	t.Helper()
	v, err := s.Get(key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}
	return v
}

func TestMemory_FollowsStoreContract(t *testing.T) {
	testStoreContract(t, func(*testing.T) Store { return NewMemory() })
}

func TestOS_FollowsStoreContract(t *testing.T) {
	testStoreContract(t, func(*testing.T) Store {
		s, _, _ := newTestOS(Options{})
		return s
	})
}

func TestCounting_FollowsStoreContract(t *testing.T) {
	testStoreContract(t, func(*testing.T) Store { return NewCounting(NewMemory()) })
}
