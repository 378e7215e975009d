package backend

import (
	"signet/profile"
	"signet/session"
)

// A Choice is a backend as a person picks it: a preset or a profile file,
// and optionally another server than the one the preset or file names.
type Choice struct {
	// Preset is a preset's name; empty when File is set.
	Preset string
	// File is the path of a profile file (TOML).
	File string
	// BaseURL, when set, replaces the preset's or file's base URL.
	BaseURL string
}

// PresetInfo is one shipped preset as the Server screen lists it.
type PresetInfo struct {
	Name        string // what Choice.Preset holds
	Title       string
	Description string
	// Hint is shown under the sign-in form while this preset is in use
	// ("Demo account: demo / demo1234"); empty for none.
	Hint string
}

// ProfileEnv names a profile file to use when no flag chooses the backend.
const ProfileEnv = "SIGNET_PROFILE"

// Source is where the backend in use was chosen, strongest first.
type Source int

const (
	FromFlags   Source = iota // --profile, --preset, --server
	FromEnv                   // $SIGNET_PROFILE
	FromSaved                 // applied on the Server screen earlier
	FromDefault               // nothing chosen: the demo
)

func (s Source) String() string {
	return [...]string{"the command line", "$" + ProfileEnv, "the saved choice", "the default"}[s]
}

// Choose applies the precedence: the command line's choice, then the
// profile file named by $SIGNET_PROFILE (envFile), then the saved choice,
// then the demo preset. baseURL (--base-url) overrides the address of
// whichever wins. The command line and the environment are for one run
// only; only the Server screen saves a choice (Switch).
func Choose(cmdline Choice, baseURL, envFile string, saved Choice) (Choice, Source) {
	var c Choice
	var src Source
	switch {
	case cmdline != (Choice{}):
		c, src = cmdline, FromFlags
	case envFile != "":
		c, src = Choice{File: envFile}, FromEnv
	case saved != (Choice{}):
		c, src = saved, FromSaved
	default:
		c, src = Choice{Preset: profile.DefaultPresetName}, FromDefault
	}
	if baseURL != "" {
		c.BaseURL = baseURL
	}
	return c, src
}

// Preference keys of the saved choice (non-secret, design R1).
const (
	prefBackendPreset  = "backend.preset"
	prefBackendFile    = "backend.file"
	prefBackendBaseURL = "backend.base_url"
)

// LoadChoice is the choice last saved in p; zero when there is none.
func LoadChoice(p session.Preferences) Choice {
	return Choice{
		Preset:  p.String(prefBackendPreset),
		File:    p.String(prefBackendFile),
		BaseURL: p.String(prefBackendBaseURL),
	}
}

// saveChoice writes the three keys as one change (one atomic write in a
// session.StateFile), so a kill never leaves half of a choice (design R14).
func saveChoice(prefs session.Preferences, c Choice) {
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
