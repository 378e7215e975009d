package main

import (
	"cmp"
	"fmt"
	"net/url"
	"strings"

	"signet/api"
)

// profileSummary says in one paragraph what a valid profile does: where
// and how it signs in, where the expiry comes from, how it renews, how it
// signs out, its lists, and where the bearer token may go.
func profileSummary(p api.Profile) string {
	var s []string
	add := func(format string, args ...any) { s = append(s, fmt.Sprintf(format, args...)) }

	add("Profile %q signs in with %s.", p.Name, callText(p, p.Login.RequestSpec))
	add("The token's expiry comes from %s.", expirySummary(p.Login.Tokens.Expiry))
	switch r := p.Refresh; {
	case r == nil:
		add("There is no refresh: when the token runs out, the person signs in again.")
	case r.Style == api.RefreshWithAccessToken:
		add("It renews by sending the current, still valid access token to %s (a dead token can't be renewed).",
			callText(p, r.RequestSpec))
	case r.BearerRefreshToken:
		add("It refreshes by sending the refresh token as a bearer header to %s.", callText(p, r.RequestSpec))
	default:
		add("It refreshes by trading the refresh token at %s.", callText(p, r.RequestSpec))
	}
	if p.Logout != nil {
		add("It signs out with %s.", callText(p, *p.Logout))
	} else {
		add("It has no sign-out call: the tokens are simply forgotten.")
	}
	lists := make([]string, len(p.Lists))
	for i, l := range p.Lists {
		lists[i] = fmt.Sprintf("%q (%s)", l.Name, endpointText(p, l.Origin, l.Path))
	}
	switch len(lists) {
	case 0:
		add("It has no lists.")
	case 1:
		add("List: %s.", lists[0])
	default:
		add("Lists: %s.", strings.Join(lists, ", "))
	}
	if c, err := api.New(api.Config{Profile: p}); err == nil {
		add("The bearer token goes to %s only.", strings.Join(c.BearerOrigins(), ", "))
	}
	return strings.Join(s, " ")
}

// callText is "POST https://host/auth/login (JSON)".
func callText(p api.Profile, r api.RequestSpec) string {
	enc := "JSON"
	if r.Encoding == "form" {
		enc = "form-encoded"
	}
	return fmt.Sprintf("%s %s (%s)", r.Method, endpointText(p, r.Origin, r.Path), enc)
}

// endpointText is where a call or list goes, its query values hidden: they
// may hold an API key.
func endpointText(p api.Profile, origin, path string) string {
	base := p.BaseURL
	if origin != "" {
		base = p.Origins[origin]
	}
	raw := path
	if u, err := url.Parse(path); err != nil || !u.IsAbs() {
		raw = strings.TrimRight(base, "/") + "/" + strings.TrimLeft(path, "/")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return raw // validated profiles always parse
	}
	if u.RawQuery == "" {
		return u.String()
	}
	var keys []string
	for _, kv := range strings.Split(u.RawQuery, "&") {
		k, _, _ := strings.Cut(kv, "=")
		keys = append(keys, k+"=…")
	}
	u.RawQuery = ""
	return u.String() + "?" + strings.Join(keys, "&")
}

// expirySummary names the expiry paths in the order the client tries them
// (design R8).
func expirySummary(specs []api.ExpirySpec) string {
	parts := make([]string, 0, len(specs)+2)
	for _, e := range specs {
		label := e.Unit
		for _, u := range api.ExpiryUnits() {
			if u.Name == cmp.Or(e.Unit, api.DefaultExpiryUnit) {
				label = u.Label
			}
		}
		parts = append(parts, fmt.Sprintf("%q (%s)", e.Path, label))
	}
	parts = append(parts, "the access token's JWT exp claim",
		"nowhere: then only an expired status tells that the token is dead")
	return strings.Join(parts, ", else ")
}

// wrap breaks text into lines of at most width characters, at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(text) {
		if i > 0 && n+1+len([]rune(w)) > width {
			b.WriteByte('\n')
			n = 0
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len([]rune(w))
	}
	return b.String()
}
