package api

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
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
func checkTemplates(body map[string]any, headers map[string]string, allowed []string, report func(field, msg string)) templateUse {
	use := templateUse{}
	text := func(field, s string) {
		for _, ph := range placeholderRE.FindAllString(s, -1) {
			if slices.Contains(allowed, ph) {
				use[ph] = true
				continue
			}
			report(field, unknownPlaceholder(ph, allowed))
		}
	}
	walkBody("body", body, func(field string, v any) {
		if s, ok := v.(string); ok {
			text(field, s)
		}
	})
	for _, k := range sortedKeys(headers) {
		text("headers."+k, headers[k])
	}
	return use
}

// walkBody calls visit for every scalar in a body value, at any depth,
// with its key path ("body.AuthParameters.USERNAME", "body.scopes[1]").
func walkBody(field string, v any, visit func(field string, v any)) {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range sortedKeys(v) {
			walkBody(field+"."+k, v[k], visit)
		}
	case []any:
		for i, e := range v {
			walkBody(field+"["+strconv.Itoa(i)+"]", e, visit)
		}
	case []map[string]any:
		for i, e := range v {
			walkBody(field+"["+strconv.Itoa(i)+"]", e, visit)
		}
	default:
		visit(field, v)
	}
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

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
