package session

import (
	"log/slog"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"signet/api"
	"signet/session/keychain"
)

// storage keeps a session on its own, given a lock and a hook: a keychain
// that refuses a write makes it memory only (told once, with the notice), a
// sign-in's retry saves it again (told with no notice), an equal pair is not
// written twice, and a wipe deletes the entry before the preferences,
// keeping only the username.
func TestStorage_OnItsOwn_MemoryOnlyRetryDedupeAndWipe(t *testing.T) {
	var mu sync.Mutex
	var told []string
	kc := keychain.NewMemory()
	counted := keychain.NewCounting(kc)
	prefs := NewMemoryPreferences()
	cfg := Config{Keychain: counted, Prefs: prefs, SignInKeychainTimeout: time.Second}
	st := newStorage(cfg, "b", slog.New(slog.DiscardHandler), &mu, func(notice string) {
		if mu.TryLock() {
			mu.Unlock()
			t.Error("modeChangedLocked called without the session's lock")
		}
		told = append(told, notice)
	})
	save := func(store keychain.Store, retry bool) {
		st.persistMu.Lock()
		defer st.persistMu.Unlock()
		st.saveTokens(store, api.Tokens{AccessToken: "access-1", RefreshToken: "refresh-1"}, sessionPrefs{username: "ann"}, retry)
	}

	kc.Fail(keychain.OpSet, keychain.ErrUnavailable)
	save(st.keychainStore(), false)
	if !slices.Equal(told, []string{noticeCantSave}) || st.keychainStore() != nil {
		t.Fatalf("after a refused write: told %q, store %v; want memory only, told once", told, st.keychainStore())
	}
	if sp := st.readPrefs(); sp.saved || sp.username != "ann" {
		t.Fatalf("after a refused write: prefs %+v, want not saved, username kept", sp)
	}

	kc.Fail(keychain.OpSet, nil)
	save(st.signInStore(), true)
	if !slices.Equal(told, []string{noticeCantSave, ""}) || st.keychainStore() == nil {
		t.Fatalf("after the retry: told %q; want saved again, told with no notice", told)
	}
	if _, ok := kc.Snapshot()["b/tokens"]; !ok || !st.readPrefs().saved {
		t.Fatalf("after the retry: keychain %v, saved %v", slices.Sorted(maps.Keys(kc.Snapshot())), st.readPrefs().saved)
	}

	counted.Reset()
	save(st.keychainStore(), false)
	if n := counted.Counts(); n.Set != 0 {
		t.Errorf("an unchanged pair was written again (%d writes)", n.Set)
	}

	st.persistMu.Lock()
	st.wipe()
	st.persistMu.Unlock()
	if len(kc.Snapshot()) != 0 {
		t.Errorf("keychain after wipe: %v", slices.Sorted(maps.Keys(kc.Snapshot())))
	}
	if got := prefs.All(); len(got) != 1 || got[st.keys.username] != "ann" {
		t.Errorf("preferences after wipe: %v, want only the username", got)
	}
}
