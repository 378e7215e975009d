package api

import (
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// methods are the HTTP methods a profile's call may use.
var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

// isToken reports whether s is an RFC 9110 token (method and header names).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			continue
		}
		if !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(c)) {
			return false
		}
	}
	return true
}

// encodings are the request body encodings, the default first.
var encodings = []string{DefaultEncoding, "form"}

func (c *checker) login(l LoginSpec) {
	use := c.request("login", l.RequestSpec, []string{PlaceholderUsername, PlaceholderPassword})
	for _, ph := range []string{PlaceholderUsername, PlaceholderPassword} {
		if !use[ph] && l.Path != "" {
			c.add("login.body", "must send %s somewhere (a body field or a header), or the sign-in form's value goes nowhere", ph)
		}
	}
	if l.BearerRefreshToken {
		c.add("login.bearer_refresh_token", "only refresh and logout can send the refresh token; sign-in has none yet")
	}
	c.tokens("login.tokens", l.Tokens)
	c.user("login.user", l.User)
	if strings.TrimSpace(l.UsernameLabel) == "" || len(l.UsernameLabel) > 40 {
		c.add("login.username_label", "must be a short label such as \"Username\" or \"Email\"")
	}
}

func (c *checker) refresh(r RefreshSpec, loginHasRefreshToken, tokensInherited bool) {
	switch r.Style {
	case RefreshWithAccessToken:
		// The current access token goes as the bearer (and wherever
		// {access_token} is written): no refresh token is involved.
		c.request("refresh", r.RequestSpec, []string{PlaceholderAccessToken, PlaceholderRefreshToken})
		if r.BearerRefreshToken {
			c.add("refresh.bearer_refresh_token", "style = \"access_token\" sends the access token as the bearer; remove bearer_refresh_token")
		}
	case RefreshWithRefreshToken:
		use := c.request("refresh", r.RequestSpec, []string{PlaceholderRefreshToken})
		if !use[PlaceholderRefreshToken] && !r.BearerRefreshToken && r.Path != "" {
			c.add("refresh.body", "must send {refresh_token} (a body field or a header), or set bearer_refresh_token = true; "+
				"if the API renews with the current access token instead, set style = \"access_token\"")
		}
		if !loginHasRefreshToken {
			c.add("refresh", "there is a refresh call, but login.tokens.refresh_token does not say where sign-in returns the refresh token; add it, set style = \"access_token\" if the API renews with the current access token, or remove [refresh] if the API has none")
		}
	default:
		c.add("refresh.style", "%q is not a refresh style; use %q (the default) or %q (send the current access token)",
			r.Style, RefreshWithRefreshToken, RefreshWithAccessToken)
	}
	if r.Tokens != nil && !tokensInherited {
		c.tokens("refresh.tokens", *r.Tokens)
	}
}

// inherited reports whether refresh.tokens is the copy of login.tokens the
// defaults made: its problems are login.tokens', reported once, there.
func inherited(p Profile) bool {
	return p.Refresh != nil && p.Refresh.Tokens != nil && reflect.DeepEqual(*p.Refresh.Tokens, p.Login.Tokens)
}

func (c *checker) expiredWhen(rules []ExpiredRule) {
	for i, r := range rules {
		f := "expired_when[" + strconv.Itoa(i) + "]"
		if r.Status < 400 || r.Status > 599 {
			c.add(f+".status", "%d is not an HTTP error status (400–599)", r.Status)
		}
		c.path(f+".path", r.Path, false)
		if r.Path != "" && r.Contains == "" {
			c.add(f+".contains", "required with path: the words that mark a dead token, such as \"invalid_token\"")
		}
	}
}

// origin checks that a call or list names a declared origin.
func (c *checker) origin(f, name string) {
	if name == "" {
		return
	}
	if _, ok := c.origins[name]; !ok {
		c.add(f, "%q is not a declared origin; declare it under [origins] (%s)", name, c.originNames())
	}
}

func (c *checker) originNames() string {
	if len(c.origins) == 0 {
		return "there are none yet"
	}
	return "declared: " + strings.Join(sortedKeys(c.origins), ", ")
}

func (c *checker) me(m MeSpec) {
	c.request("me", m.RequestSpec, nil)
	if m.BearerRefreshToken {
		c.add("me.bearer_refresh_token", "the current-user call is made with the auth token, not the refresh token")
	}
	if m.User == (UserPaths{}) {
		c.add("me.user", "required: at least one of id, name, email (where the answer names the person)")
	}
	c.user("me.user", m.User)
}

// request checks one call's method, path, encoding and templates.
func (c *checker) request(f string, r RequestSpec, allowed []string) templateUse {
	if !slices.Contains(methods, r.Method) {
		c.add(f+".method", "%q is not supported; use one of %s", r.Method, strings.Join(methods, ", "))
	} else if len(r.Body) > 0 && (r.Method == "GET" || r.Method == "DELETE") {
		c.add(f+".body", "a %s request carries no body; use POST, or put constant fields in the path's query string", r.Method)
	}
	c.origin(f+".origin", r.Origin)
	c.requestPath(f+".path", r.Path)
	if !slices.Contains(encodings, r.Encoding) {
		c.add(f+".encoding", "%q is not supported; use \"json\" or \"form\"", r.Encoding)
	}
	for _, k := range sortedKeys(r.Body) {
		if k == "" {
			c.add(f+".body", "a field name is empty")
			continue
		}
		if _, flat := FormValue(r.Body[k]); !flat && r.Encoding == "form" {
			c.add(f+".body."+k, "a form carries only text, numbers and true/false; for a nested table or list use encoding = \"json\"")
		}
	}
	walkBody("body", r.Body, func(field string, v any) {
		if _, ok := FormValue(v); !ok {
			c.add(f+"."+field, "must be text, a number, true/false, a table or a list, not %s", DescribeValue(v))
		}
	})
	c.headers(f+".headers", r.Headers)
	return checkTemplates(r.Body, r.Headers, allowed, func(field, msg string) { c.add(f+"."+field, "%s", msg) })
}

// requestPath checks a path that is appended to base_url. It must stay on
// the API's host: the bearer token never goes anywhere else (rule R12).
func (c *checker) requestPath(f, p string) {
	if p == "" {
		c.add(f, "required: the path after base_url, such as \"/auth/login\"")
		return
	}
	u, err := url.Parse(p)
	switch {
	case err != nil:
		c.add(f, "is not a valid URL path: %q", p)
	case u.IsAbs() && u.Host != "":
		if !c.declared(u) {
			c.add(f, "%s is not on a declared origin (base_url or [origins]): tokens never go anywhere else; declare it under [origins] and name it with origin = \"…\"", Origin(u))
		}
	case u.IsAbs() || u.Host != "" || strings.HasPrefix(p, "//"):
		c.add(f, "must be a path (such as \"/auth/login\") or a full URL on a declared origin: tokens never go to another host")
	case !strings.HasPrefix(p, "/"):
		c.add(f, "must start with \"/\"; got %q", p)
	case u.Fragment != "":
		c.add(f, "must not have a #fragment")
	case placeholderRE.MatchString(p):
		c.add(f, "placeholders are not filled in in paths; put %s in the body or a header", placeholderRE.FindString(p))
	}
}

// declared reports whether u is on base_url's origin or a declared one.
func (c *checker) declared(u *url.URL) bool {
	for _, raw := range append([]string{c.base}, mapValues(c.origins)...) {
		if o, err := url.Parse(raw); err == nil && o.Host != "" && Origin(o) == Origin(u) {
			return true
		}
	}
	return false
}

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}

func (c *checker) tokens(f string, t TokenPaths) {
	c.path(f+".access_token", t.AccessToken, true)
	c.path(f+".refresh_token", t.RefreshToken, false)
	c.path(f+".token_type", t.TokenType, false)
	for i, e := range t.Expiry {
		ef := f + ".expiry[" + strconv.Itoa(i) + "]"
		c.path(ef+".path", e.Path, true)
		if _, ok := expiryUnit(e.Unit); !ok {
			c.add(ef+".unit", "%q is not a known unit; use one of %s", e.Unit, strings.Join(ExpiryUnitNames(), ", "))
		}
	}
}

func (c *checker) user(f string, u UserPaths) {
	c.path(f+".id", u.ID, false)
	c.path(f+".name", u.Name, false)
	c.path(f+".email", u.Email, false)
}

// path checks a gjson path; empty is fine unless required.
func (c *checker) path(f, p string, required bool) {
	if p == "" {
		if required {
			c.add(f, "required")
		}
		return
	}
	if err := checkJSONPath(p); err != nil {
		c.add(f, "%q %v", p, err)
	}
}

// DescribeValue names a profile value's type for a person ("text", "a
// table"), as a profile file would write it.
func DescribeValue(v any) string {
	switch v.(type) {
	case string:
		return "text"
	case int64, float64, int:
		return "a number"
	case bool:
		return "true or false"
	case map[string]any:
		return "a table"
	case []any, []map[string]any:
		return "a list"
	}
	return "a date or time"
}

func (c *checker) headers(f string, h map[string]string) {
	for _, k := range sortedKeys(h) {
		switch {
		case !isToken(k):
			c.add(f+"."+k, "%q is not a valid header name", k)
		case strings.ContainsAny(h[k], "\r\n"):
			c.add(f+"."+k, "a header value cannot contain a line break")
		case !validHeaderValue(h[k]):
			c.add(f+"."+k, "a header value cannot contain a control character")
		}
	}
}
