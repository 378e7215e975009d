package profile

import (
	"fmt"
	"net/url"
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
	nameRE  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	tokenRE = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$") // RFC 9110 token: header names, methods
	methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}
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
	lineOf func(field string) int
	probs  []Problem
}

func (c *checker) add(field, format string, args ...any) {
	c.probs = append(c.probs, Problem{Field: field, Line: c.lineOf(field), Message: fmt.Sprintf(format, args...)})
}

// validate reports everything wrong with an already defaulted profile,
// ordered by line so the list reads like the file.
func validate(p api.Profile, lineOf func(string) int) []Problem {
	c := &checker{lineOf: lineOf}
	if !nameRE.MatchString(p.Name) {
		c.add("name", "must be 1–64 letters, digits, '.', '_' or '-' (it keys the keychain entries); got %q", p.Name)
	}
	c.baseURL(p.BaseURL)

	c.login(p.Login)
	if p.Refresh != nil {
		c.refresh(*p.Refresh, p.Login.Tokens.RefreshToken != "")
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
	for i, s := range p.ExpiredStatuses {
		if s < 400 || s > 599 {
			c.add(fmt.Sprintf("expired_statuses[%d]", i), "%d is not an HTTP error status (400–599); usually 401, some servers 403", s)
		}
	}
	c.path("error_path", p.ErrorPath, false)
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

func (c *checker) baseURL(raw string) {
	const f = "base_url"
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

func (c *checker) refresh(r api.RefreshSpec, loginHasRefreshToken bool) {
	use := c.request("refresh", r.RequestSpec, []string{PlaceholderRefreshToken})
	if !use[PlaceholderRefreshToken] && !r.BearerRefreshToken && r.Path != "" {
		c.add("refresh.body", "must send {refresh_token} (a body field or a header), or set bearer_refresh_token = true")
	}
	if !loginHasRefreshToken {
		c.add("refresh", "there is a refresh call, but login.tokens.refresh_token does not say where sign-in returns the refresh token; add it, or remove [refresh] if the API has none")
	}
	if r.Tokens != nil {
		c.tokens("refresh.tokens", *r.Tokens)
	}
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
	c.requestPath(f+".path", r.Path)
	if !slices.Contains(Encodings, r.Encoding) {
		c.add(f+".encoding", "%q is not supported; use \"json\" or \"form\"", r.Encoding)
	}
	for _, k := range sortedKeys(r.Body) {
		if k == "" {
			c.add(f+".body", "a field name is empty")
		}
	}
	for _, k := range sortedKeys(r.Headers) {
		switch {
		case !tokenRE.MatchString(k):
			c.add(f+".headers."+k, "%q is not a valid header name", k)
		case strings.ContainsAny(r.Headers[k], "\r\n"):
			c.add(f+".headers."+k, "a header value cannot contain a line break")
		}
	}
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
	case u.IsAbs() || u.Host != "" || strings.HasPrefix(p, "//"):
		c.add(f, "must be a path on the API's host (such as \"/auth/login\"), not a full URL: tokens never go to another host")
	case !strings.HasPrefix(p, "/"):
		c.add(f, "must start with \"/\"; got %q", p)
	case u.Fragment != "":
		c.add(f, "must not have a #fragment")
	case placeholderRE.MatchString(p):
		c.add(f, "placeholders are not filled in in paths; put %s in the body or a header", placeholderRE.FindString(p))
	}
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

func (c *checker) lists(lists []api.ListSpec) {
	if len(lists) == 0 {
		c.add("lists", "required: at least one [[lists]] with name, path and title_field")
		return
	}
	seen := map[string]int{}
	for i, l := range lists {
		f := "lists[" + strconv.Itoa(i) + "]"
		name := strings.TrimSpace(l.Name)
		switch {
		case name == "":
			c.add(f+".name", "required: the list's title, such as \"Products\"")
		case name != l.Name || len(name) > 64:
			c.add(f+".name", "must be a short title without spaces around it")
		default:
			key := strings.ToLower(name)
			if j, dup := seen[key]; dup {
				c.add(f+".name", "%q is already the name of lists[%d]; list names must be unique", l.Name, j)
			} else {
				seen[key] = i
			}
		}
		c.requestPath(f+".path", l.Path)
		c.path(f+".items_path", l.ItemsPath, false)
		c.path(f+".id_field", l.IDField, false)
		c.path(f+".title_field", l.TitleField, true)
		c.path(f+".subtitle_field", l.SubtitleField, false)
		if l.SearchParam != "" && !tokenRE.MatchString(l.SearchParam) {
			c.add(f+".search_param", "%q is not a usable query parameter name", l.SearchParam)
		}
		c.paging(f+".paging", l.Paging)
	}
}

func (c *checker) paging(f string, pg api.Paging) {
	if !slices.Contains(PagingStyles, pg.Style) {
		c.add(f+".style", "%q is not a known paging style; use one of %s", pg.Style, strings.Join(PagingStyles, ", "))
	}
	if pg.PageSize < MinPageSize || pg.PageSize > MaxPageSize {
		c.add(f+".page_size", "%d is out of range; use %d to %d", pg.PageSize, MinPageSize, MaxPageSize)
	}
	c.path(f+".total_path", pg.TotalPath, false)
	if pg.TotalHeader != "" && !tokenRE.MatchString(pg.TotalHeader) {
		c.add(f+".total_header", "%q is not a valid header name", pg.TotalHeader)
	}
}
