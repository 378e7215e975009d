package ui

import (
	"fmt"
	"net/url"
	"strings"

	"signet/api"
)

// signInOrigin is where the password goes: the sign-in call's origin ("" when
// the profile does not say one that parses).
func signInOrigin(p api.Profile) string {
	l := p.Login.RequestSpec
	raw := p.BaseURL
	switch {
	case strings.HasPrefix(l.Path, "https://") || strings.HasPrefix(l.Path, "http://"):
		raw = l.Path
	case l.Origin != "":
		raw = p.Origins[l.Origin]
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return ""
	}
	return displayOrigin(api.Origin(u))
}

// bearerOriginsText names the origins the access token is sent to, and no
// other (design R12).
func bearerOriginsText(p api.Profile) string {
	c, err := api.New(api.Config{Profile: p})
	if err != nil {
		return ""
	}
	out := c.BearerOrigins()
	for i, o := range out {
		out[i] = displayOrigin(o)
	}
	return strings.Join(out, "\n")
}

// displayOrigin drops a scheme's default port, as people write addresses.
func displayOrigin(origin string) string {
	if o, ok := strings.CutSuffix(origin, ":443"); ok && strings.HasPrefix(o, "https://") {
		return o
	}
	if o, ok := strings.CutSuffix(origin, ":80"); ok && strings.HasPrefix(o, "http://") {
		return o
	}
	return origin
}

// requestText is "POST /auth/login (JSON)".
func requestText(r api.RequestSpec) string {
	enc := strings.ToUpper(r.Encoding)
	if r.Encoding == "form" {
		enc = "form-encoded"
	}
	return fmt.Sprintf("%s %s (%s)", r.Method, r.Path, enc)
}

func refreshText(r *api.RefreshSpec) string {
	if r == nil {
		return "No: when the token runs out, you sign in again"
	}
	text := "Yes: " + requestText(r.RequestSpec)
	if r.BearerRefreshToken {
		text += ", refresh token as a bearer header"
	}
	return text
}

var expiryUnitText = map[string]string{
	"seconds":      "seconds from now",
	"milliseconds": "milliseconds from now",
	"unix":         "Unix time",
	"unix_ms":      "Unix time in milliseconds",
	"rfc3339":      "RFC 3339 time",
}

// expiryText says where the token's expiry comes from, in the order the
// client tries (api.TokenPaths.Expiry).
func expiryText(specs []api.ExpirySpec) string {
	parts := make([]string, 0, len(specs)+2)
	for _, e := range specs {
		unit := expiryUnitText[e.Unit]
		if unit == "" {
			unit = e.Unit
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", e.Path, unit))
	}
	parts = append(parts, "the token's JWT exp claim", "unknown")
	return strings.Join(parts, ", else ")
}

// listsText is "Items (/api/items), Notes (/notes)".
func listsText(lists []api.ListSpec) string {
	parts := make([]string, len(lists))
	for i, l := range lists {
		parts[i] = fmt.Sprintf("%s (%s)", l.Name, l.Path)
	}
	return strings.Join(parts, ", ")
}

// presetHint is the sign-in hint of c's preset, if c is one.
func presetHint(c Choice, presets []PresetInfo) string {
	if c.File != "" {
		return ""
	}
	for _, p := range presets {
		if p.Name == c.Preset {
			return p.Hint
		}
	}
	return ""
}

// choiceName names c in a sentence: the file, or the preset's title.
func choiceName(c Choice, presets []PresetInfo) string {
	name := c.File
	if name == "" {
		name = c.Preset
		for _, p := range presets {
			if p.Name == c.Preset {
				name = p.Title
			}
		}
	}
	if c.BaseURL != "" {
		name += " at " + c.BaseURL
	}
	return name
}
