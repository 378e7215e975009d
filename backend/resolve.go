package backend

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path"
	"path/filepath"
	"strings"

	"signet/api"
	"signet/profile"
)

// BadChoiceError: the chosen backend itself is wrong (no such preset, a
// profile file that is missing or has problems), as opposed to the app
// failing to run it.
type BadChoiceError struct{ Err error }

func (e *BadChoiceError) Error() string { return e.Err.Error() }
func (e *BadChoiceError) Unwrap() error { return e.Err }

// errUserinfo: a server address with a user name or password, which Signet
// refuses rather than sends or shows.
var errUserinfo = errors.New("base_url: must not contain a user name or password; sign-in credentials go in the sign-in form")

// Check loads and validates c as Start would, without starting anything:
// for a choice made on the command line, whose mistakes are reported before
// any window opens.
func Check(c Choice) error {
	_, _, err := resolve(absChoice(c))
	return err
}

// PresetNames lists the shipped presets' names.
func PresetNames() []string {
	var names []string
	for _, p := range profile.Presets() {
		names = append(names, p.Name)
	}
	return names
}

// resolve builds c's profile, validated. embedded reports that c is the
// demo preset at its own address, i.e. the embedded demo backend, whose
// address is only known once it runs (the returned profile's is a
// stand-in).
func resolve(c Choice) (p api.Profile, embedded bool, err error) {
	// Checked before the profile's own validation, whose messages may
	// quote an address they can't parse.
	if HasUserinfo(c.BaseURL) {
		return api.Profile{}, false, &BadChoiceError{errUserinfo}
	}
	switch {
	case c.File != "":
		p, err = profile.Load(c.File)
		if err == nil && c.BaseURL != "" {
			p, err = profile.WithBaseURL(p, c.BaseURL)
		}
	case c.Preset != "":
		pr, ok := profile.FindPreset(c.Preset)
		if !ok {
			return api.Profile{}, false, &BadChoiceError{fmt.Errorf("there is no preset %q; the presets are %s",
				c.Preset, strings.Join(PresetNames(), ", "))}
		}
		embedded = pr.Name == profile.DefaultPresetName && c.BaseURL == ""
		base := c.BaseURL
		if embedded {
			base = "http://127.0.0.1" // stand-in until the demo runs
		}
		p, err = pr.Profile(base)
	default:
		err = errors.New("no backend chosen: pick a preset or a profile file")
	}
	if err != nil {
		return api.Profile{}, false, &BadChoiceError{err}
	}
	return p, embedded, nil
}

// absChoice makes a profile path absolute, so a saved choice still names
// the same file when Signet is next started from another folder.
func absChoice(c Choice) Choice {
	if c.File != "" {
		if abs, err := filepath.Abs(c.File); err == nil {
			c.File = abs
		}
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return c
}

// storageKey keys a backend's keychain entry and session preferences: the
// profile's name and the API's normalised address (lowercased host, explicit
// port, cleaned path), so one profile used against two servers, or two
// tenants under two paths of one server, keeps two sessions. The scheme is
// left out, as it always was: a port speaks one of http and https, and
// adding it would orphan every saved session. So an address without a path
// keeps the key it had. The embedded demo's port changes every launch, but
// it is always the same backend: "demo".
func storageKey(p api.Profile, embedded bool) string {
	if embedded {
		return p.Name
	}
	u, err := url.Parse(p.BaseURL)
	if err != nil {
		return p.Name // validated profiles always parse
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	key := p.Name + "@" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
	if clean := path.Clean("/" + u.EscapedPath()); clean != "/" {
		key += clean
	}
	return key
}
