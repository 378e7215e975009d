package profile

import (
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"signet/api"
)

// Limits for list paging.
const (
	MinPageSize = 1
	MaxPageSize = 1000
)

// ExpiryUnits are the units an expiry value may be given in (the api
// package's table), the default first.
var ExpiryUnits = api.ExpiryUnitNames()

// PagingStyles are the known list paging styles.
var PagingStyles = []string{api.PagingNone, api.PagingOffset, api.PagingSkip, api.PagingPage, api.PagingUnderscore}

// Encodings are the request body encodings.
var Encodings = []string{"json", "form"}

var (
	nameRE       = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	originNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	currencyRE   = regexp.MustCompile(`^[A-Z]{3}$`)
	tokenRE      = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$") // RFC 9110 token: header names, methods
	methods      = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}
)

// Validate checks a profile built in code (a preset, or one a caller
// changed) after applying the defaults, and returns the defaulted profile.
// Problems carry no line numbers, as there is no file.
func Validate(p api.Profile) (api.Profile, error) {
	p = withDefaults(p)
	if probs := validate(p, func(string) int { return 0 }); len(probs) > 0 {
		return api.Profile{}, &ValidationError{Source: p.Name, Problems: probs}
	}
	return p, nil
}

// WithBaseURL returns p pointed at another server (a preset on the
// person's own host, an example profile on a test server), validated.
func WithBaseURL(p api.Profile, baseURL string) (api.Profile, error) {
	p = p.Clone()
	p.BaseURL = baseURL
	return Validate(p)
}

// checker collects problems with their lines.
type checker struct {
	lineOf  func(field string) int
	probs   []Problem
	origins map[string]string // the profile's declared origins, by name
	base    string            // base_url
}

func (c *checker) add(field, format string, args ...any) {
	c.probs = append(c.probs, Problem{Field: field, Line: c.lineOf(field), Message: fmt.Sprintf(format, args...)})
}

// validate reports everything wrong with an already defaulted profile,
// ordered by line so the list reads like the file.
func validate(p api.Profile, lineOf func(string) int) []Problem {
	c := &checker{lineOf: lineOf, origins: p.Origins, base: p.BaseURL}
	if !nameRE.MatchString(p.Name) {
		c.add("name", "must be 1–64 letters, digits, '.', '_' or '-' (it keys the keychain entries); got %q", p.Name)
	}
	c.baseURL("base_url", p.BaseURL)
	for _, name := range sortedKeys(p.Origins) {
		if !originNameRE.MatchString(name) {
			c.add("origins."+name, "an origin's name is letters, digits, '_' or '-' (it is what calls and lists name in origin = \"…\")")
			continue
		}
		c.baseURL("origins."+name, p.Origins[name])
	}

	if p.PasswordSignIn() {
		c.login(p.Login)
	} else {
		c.tokens("login.tokens", p.Login.Tokens)
	}
	if p.OAuth != nil {
		c.oauth(p)
	}
	if p.Refresh != nil {
		c.refresh(*p.Refresh, p.Login.Tokens.RefreshToken != "", inherited(p))
	}
	if p.Logout != nil {
		use := c.request("logout", *p.Logout, []string{PlaceholderRefreshToken, PlaceholderAccessToken})
		if (use[PlaceholderRefreshToken] || p.Logout.BearerRefreshToken) && p.Login.Tokens.RefreshToken == "" {
			c.add("logout", "sends the refresh token, but login.tokens.refresh_token does not say where sign-in returns one")
		}
	}
	if p.Me != nil {
		c.me(*p.Me)
	}
	if p.Check != nil {
		c.request("check", *p.Check, nil)
		if p.Check.BearerRefreshToken {
			c.add("check.bearer_refresh_token", "the check is made with the auth token, not the refresh token")
		}
	}
	for i, s := range p.ExpiredStatuses {
		if s < 400 || s > 599 {
			c.add(fmt.Sprintf("expired_statuses[%d]", i), "%d is not an HTTP error status (400–599); usually 401, some servers 403", s)
		}
	}
	c.expiredWhen(p.ExpiredWhen)
	c.path("error_path", p.ErrorPath, false)
	c.path("error_code_path", p.ErrorCodePath, false)
	for _, code := range sortedKeys(p.ErrorCodes) {
		if strings.TrimSpace(code) == "" || strings.TrimSpace(p.ErrorCodes[code]) == "" {
			c.add("error_codes."+code, "needs a code and the sentence to show for it, such as INVALID_PASSWORD = \"Wrong password.\"")
		}
	}
	c.lists(p.Lists)

	if len(c.probs) == 0 {
		// The api client checks a profile too; what it would refuse must
		// show here, with the rest, rather than when the app connects.
		if _, err := api.New(api.Config{Profile: p}); err != nil {
			c.add("", "the client cannot use this profile: %v", err)
		}
	}
	sort.SliceStable(c.probs, func(i, j int) bool { return c.probs[i].Line < c.probs[j].Line })
	return c.probs
}

func (c *checker) baseURL(f, raw string) {
	if raw == "" {
		c.add(f, "required: the API's address, such as https://api.example.com")
		return
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "" || u.Hostname() == "":
		c.add(f, "must be an absolute http(s) URL such as https://api.example.com; got %q", raw)
	case u.Scheme != "https" && u.Scheme != "http":
		c.add(f, "scheme %q is not supported; use https", u.Scheme)
	case u.User != nil:
		c.add(f, "must not contain a user name or password; sign-in credentials go in the sign-in form")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		c.add(f, "must not have a query or fragment; put them in the paths")
	case u.Scheme == "http" && !api.IsLoopbackHost(u.Hostname()):
		c.add(f, "http is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https")
	default:
		// The client's own check has the last word (impossible ports, ...),
		// reported here with the field and line.
		if err := api.CheckBaseURL(raw); err != nil {
			c.add(f, "%v", err)
		}
	}
}

func (c *checker) login(l api.LoginSpec) {
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

func (c *checker) refresh(r api.RefreshSpec, loginHasRefreshToken, tokensInherited bool) {
	switch r.Style {
	case api.RefreshWithAccessToken:
		// The current access token goes as the bearer (and wherever
		// {access_token} is written): no refresh token is involved.
		c.request("refresh", r.RequestSpec, []string{PlaceholderAccessToken, PlaceholderRefreshToken})
		if r.BearerRefreshToken {
			c.add("refresh.bearer_refresh_token", "style = \"access_token\" sends the access token as the bearer; remove bearer_refresh_token")
		}
	case api.RefreshWithRefreshToken:
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
			r.Style, api.RefreshWithRefreshToken, api.RefreshWithAccessToken)
	}
	if r.Tokens != nil && !tokensInherited {
		c.tokens("refresh.tokens", *r.Tokens)
	}
}

// inherited reports whether refresh.tokens is the copy of login.tokens the
// defaults made: its problems are login.tokens', reported once, there.
func inherited(p api.Profile) bool {
	return p.Refresh != nil && p.Refresh.Tokens != nil && reflect.DeepEqual(*p.Refresh.Tokens, p.Login.Tokens)
}

func (c *checker) expiredWhen(rules []api.ExpiredRule) {
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

func (c *checker) me(m api.MeSpec) {
	c.request("me", m.RequestSpec, nil)
	if m.BearerRefreshToken {
		c.add("me.bearer_refresh_token", "the current-user call is made with the auth token, not the refresh token")
	}
	if m.User == (api.UserPaths{}) {
		c.add("me.user", "required: at least one of id, name, email (where the answer names the person)")
	}
	c.user("me.user", m.User)
}

// request checks one call's method, path, encoding and templates.
func (c *checker) request(f string, r api.RequestSpec, allowed []string) templateUse {
	if !slices.Contains(methods, r.Method) {
		c.add(f+".method", "%q is not supported; use one of %s", r.Method, strings.Join(methods, ", "))
	} else if len(r.Body) > 0 && (r.Method == "GET" || r.Method == "DELETE") {
		c.add(f+".body", "a %s request carries no body; use POST, or put constant fields in the path's query string", r.Method)
	}
	c.origin(f+".origin", r.Origin)
	c.requestPath(f+".path", r.Path)
	if !slices.Contains(Encodings, r.Encoding) {
		c.add(f+".encoding", "%q is not supported; use \"json\" or \"form\"", r.Encoding)
	}
	for _, k := range sortedKeys(r.Body) {
		if k == "" {
			c.add(f+".body", "a field name is empty")
			continue
		}
		if _, flat := api.FormValue(r.Body[k]); !flat && r.Encoding == "form" {
			c.add(f+".body."+k, "a form carries only text, numbers and true/false; for a nested table or list use encoding = \"json\"")
		}
	}
	walkBody("body", r.Body, func(field string, v any) {
		if _, ok := api.FormValue(v); !ok {
			c.add(f+"."+field, "must be text, a number, true/false, a table or a list, not %s", tomlKind(v))
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
			c.add(f, "%s is not on a declared origin (base_url or [origins]): tokens never go anywhere else; declare it under [origins] and name it with origin = \"…\"", api.Origin(u))
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
		if o, err := url.Parse(raw); err == nil && o.Host != "" && api.Origin(o) == api.Origin(u) {
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

func (c *checker) tokens(f string, t api.TokenPaths) {
	c.path(f+".access_token", t.AccessToken, true)
	c.path(f+".refresh_token", t.RefreshToken, false)
	c.path(f+".token_type", t.TokenType, false)
	for i, e := range t.Expiry {
		ef := f + ".expiry[" + strconv.Itoa(i) + "]"
		c.path(ef+".path", e.Path, true)
		if !slices.Contains(ExpiryUnits, e.Unit) {
			c.add(ef+".unit", "%q is not a known unit; use one of %s", e.Unit, strings.Join(ExpiryUnits, ", "))
		}
	}
}

func (c *checker) user(f string, u api.UserPaths) {
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

// tomlKind names a decoded TOML value's type for a person.
func tomlKind(v any) string {
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
		case !tokenRE.MatchString(k):
			c.add(f+"."+k, "%q is not a valid header name", k)
		case strings.ContainsAny(h[k], "\r\n"):
			c.add(f+"."+k, "a header value cannot contain a line break")
		}
	}
}
