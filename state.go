package main

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"

	"fyne.io/fyne/v2"

	"signet/session"
)

// stateFileName holds what decides whether the person is signed in (the
// sessions' saved markers and usernames) and which backend they chose,
// replaced atomically on every change (design R14). Fyne's preferences,
// which Fyne rewrites in place (a kill can leave them empty), keep only
// what the window can lose: its size, the last list, the opt-ins.
const stateFileName = "state.json"

// Key prefixes that live in the state file (session.* from the session
// package, backend.* from choice.go).
var statePrefixes = []string{"session.", "backend."}

// openState opens the state file in the app's storage folder. On the first
// start with it, the session and backend keys move over from Fyne's
// preferences, where earlier versions kept them.
func openState(storage string, fynePrefs fyne.Preferences, log *slog.Logger) (*session.StateFile, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st, err := session.OpenStateFile(filepath.Join(storage, stateFileName), log)
	if err != nil {
		return nil, fmt.Errorf("can't open the session state: %w", err)
	}
	if st.Created() {
		if n := st.Import(fynePrefs, preferenceKeys(fynePrefs), statePrefixes...); n > 0 {
			log.Info("session state moved out of the preferences", "keys", n)
		}
	}
	return st, nil
}

// preferenceKeys lists the keys of Fyne's preferences (they have no Keys
// method; their in-memory store, embedded in every implementation, can
// list its values).
func preferenceKeys(p fyne.Preferences) []string {
	var keys []string
	if r, ok := p.(interface{ ReadValues(func(map[string]any)) }); ok {
		r.ReadValues(func(m map[string]any) {
			for k, v := range m {
				if _, isString := v.(string); isString {
					keys = append(keys, k)
				}
			}
		})
	}
	slices.Sort(keys)
	return keys
}
