package api

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	nameRE       = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	originNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
)

// Validate reports everything wrong with p, judged with its defaults
// filled in (WithDefaults): the one set of rules for a profile, whether a
// file or code made it. New refuses a profile with problems; the profile
// package adds what only a file can get wrong (unknown keys, types) and
// the line of each Field.
func (p Profile) Validate() []Problem {
	p = p.WithDefaults()
	c := &checker{origins: p.Origins, base: p.BaseURL}
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
	return c.probs
}

// baseURL judges base_url or a declared origin by CheckBaseURL's rules,
// in words that fit a profile's key.
func (c *checker) baseURL(f, raw string) {
	fault, u := baseURLFault(raw)
	switch fault {
	case urlOK:
	case urlEmpty:
		c.add(f, "required: the API's address, such as https://api.example.com")
	case urlScheme:
		if u.Scheme != "" {
			c.add(f, "scheme %q is not supported; use https", u.Scheme)
			break
		}
		fallthrough
	case urlUnparsable, urlNoHost:
		c.add(f, "must be an absolute http(s) URL such as https://api.example.com; got %q", raw)
	case urlUserinfo:
		c.add(f, "must not contain a user name or password; sign-in credentials go in the sign-in form")
	case urlQuery:
		c.add(f, "must not have a query or fragment; put them in the paths")
	case urlInsecure:
		c.add(f, "http is only allowed for loopback hosts (127.0.0.1, ::1, localhost); use https")
		c.probs[len(c.probs)-1].cause = ErrInsecureBaseURL
	default:
		c.add(f, "%v", CheckBaseURL(raw))
	}
}
