package profile

import (
	"regexp"
	"slices"
	"sort"
	"strings"
)

// The placeholders the api client fills in.
const (
	PlaceholderUsername     = "{username}"
	PlaceholderPassword     = "{password}"
	PlaceholderRefreshToken = "{refresh_token}"
	// PlaceholderAccessToken is for logout endpoints that want the auth
	// token in the body.
	PlaceholderAccessToken = "{access_token}"
)

// placeholderRE finds {name} in a template. Anything else with braces
// (a JSON snippet, a lone "{") is constant text.
var placeholderRE = regexp.MustCompile(`\{[A-Za-z_][A-Za-z0-9_]*\}`)

// templateUse is which placeholders a request's body and headers use.
type templateUse map[string]bool

// checkTemplates checks every body and header value of one request against
// the placeholders allowed in that call, and reports which are used.
// report is called with the field ("body.password") and a message.
func checkTemplates(body, headers map[string]string, allowed []string, report func(field, msg string)) templateUse {
	use := templateUse{}
	check := func(kind string, m map[string]string) {
		for _, k := range sortedKeys(m) {
			for _, ph := range placeholderRE.FindAllString(m[k], -1) {
				if slices.Contains(allowed, ph) {
					use[ph] = true
					continue
				}
				report(kind+"."+k, unknownPlaceholder(ph, allowed))
			}
		}
	}
	check("body", body)
	check("headers", headers)
	return use
}

func unknownPlaceholder(ph string, allowed []string) string {
	known := []string{PlaceholderUsername, PlaceholderPassword, PlaceholderRefreshToken, PlaceholderAccessToken}
	if slices.Contains(known, ph) {
		if len(allowed) == 0 {
			return ph + " is not available in this call (it takes no placeholders)"
		}
		return ph + " is not available in this call; use " + strings.Join(allowed, ", ")
	}
	if len(allowed) == 0 {
		return "unknown placeholder " + ph + " (this call takes no placeholders)"
	}
	return "unknown placeholder " + ph + "; this call knows " + strings.Join(allowed, ", ")
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
