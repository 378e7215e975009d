package main

import (
	"errors"
	"fmt"
	"io"

	"signet/profile"
	"signet/session"
	"signet/ui"
)

// profileEnv names a profile file to use when no flag chooses the backend.
const profileEnv = "SIGNET_PROFILE"

// Where the backend in use was chosen, strongest first.
type choiceSource int

const (
	fromFlags   choiceSource = iota // --profile, --preset, --server
	fromEnv                         // $SIGNET_PROFILE
	fromSaved                       // applied on the Server screen earlier
	fromDefault                     // nothing chosen: the demo
)

func (s choiceSource) String() string {
	return [...]string{"the command line", "$" + profileEnv, "the saved choice", "the default"}[s]
}

// chooseBackend applies the precedence: flags, then the environment, then
// the saved choice, then the demo preset. --base-url overrides the address
// of whichever wins. Flags and the environment are for this run only; only
// the Server screen saves a choice.
func chooseBackend(o options, getenv func(string) string, saved ui.Choice) (ui.Choice, choiceSource) {
	var c ui.Choice
	var src choiceSource
	switch {
	case o.server != "":
		c, src = ui.Choice{Preset: profile.DefaultPresetName, BaseURL: o.server}, fromFlags
	case o.profile != "":
		c, src = ui.Choice{File: o.profile}, fromFlags
	case o.preset != "":
		c, src = ui.Choice{Preset: o.preset}, fromFlags
	case getenv(profileEnv) != "":
		c, src = ui.Choice{File: getenv(profileEnv)}, fromEnv
	case saved != (ui.Choice{}):
		c, src = saved, fromSaved
	default:
		c, src = ui.Choice{Preset: profile.DefaultPresetName}, fromDefault
	}
	if o.baseURL != "" {
		c.BaseURL = o.baseURL
	}
	return c, src
}

// Preference keys of the saved choice (non-secret, rule R1).
const (
	prefBackendPreset  = "backend.preset"
	prefBackendFile    = "backend.file"
	prefBackendBaseURL = "backend.base_url"
)

func loadChoice(p session.Preferences) ui.Choice {
	return ui.Choice{
		Preset:  p.String(prefBackendPreset),
		File:    p.String(prefBackendFile),
		BaseURL: p.String(prefBackendBaseURL),
	}
}

// saveChoice writes the three keys as one change (one atomic write in a
// session.StateFile), so a kill never leaves half of a choice.
func saveChoice(prefs session.Preferences, c ui.Choice) {
	session.Update(prefs, func(p session.Preferences) {
		for key, v := range map[string]string{
			prefBackendPreset: c.Preset, prefBackendFile: c.File, prefBackendBaseURL: c.BaseURL,
		} {
			if v == "" {
				p.RemoveValue(key)
			} else {
				p.SetString(key, v)
			}
		}
	})
}

// reportBackendError explains on stderr why the chosen backend can't be
// used, every problem of a profile on its own line, and returns the exit
// code: 2 when the choice itself is wrong, 1 when Signet failed to run it.
func reportBackendError(stderr io.Writer, c ui.Choice, src choiceSource, err error) int {
	what := c.File
	if what == "" {
		what = "preset " + c.Preset
	}
	if c.BaseURL != "" {
		what += " at " + c.BaseURL
	}
	fmt.Fprintf(stderr, "signet: can't use the backend from %s (%s):\n", src, what)
	lines := []string{err.Error()}
	var v *profile.ValidationError
	if errors.As(err, &v) {
		lines = v.Lines()
	}
	for _, l := range lines {
		fmt.Fprintf(stderr, "  %s\n", l)
	}
	if c.Preset != "" && c.BaseURL == "" && v != nil {
		fmt.Fprintln(stderr, "Give the preset your server's address with --base-url URL.")
	}
	var bad *badChoiceError
	if errors.As(err, &bad) {
		return 2
	}
	return 1
}
