package api

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// validateProfile rejects a profile the client could only fail with later,
// naming the field (profile files are written by hand).
func validateProfile(p *Profile) error {
	origins, err := parseOrigins(p)
	if err != nil {
		return err
	}
	if err := checkPaths(p, origins); err != nil {
		return err
	}
	if err := checkRequestSpec("login", &p.Login.RequestSpec); err != nil {
		return err
	}
	if err := checkTokenPaths("login.tokens", &p.Login.Tokens); err != nil {
		return err
	}
	if p.Refresh != nil {
		if err := checkRequestSpec("refresh", &p.Refresh.RequestSpec); err != nil {
			return err
		}
		switch p.Refresh.Style {
		case "", RefreshWithRefreshToken, RefreshWithAccessToken:
		default:
			return fmt.Errorf("profile: refresh: unknown style %q (%s or %s)", p.Refresh.Style, RefreshWithRefreshToken, RefreshWithAccessToken)
		}
		if p.Refresh.Tokens != nil {
			if err := checkTokenPaths("refresh.tokens", p.Refresh.Tokens); err != nil {
				return err
			}
		}
	}
	if p.Logout != nil {
		if err := checkRequestSpec("logout", p.Logout); err != nil {
			return err
		}
	}
	if p.Me != nil {
		if err := checkRequestSpec("me", &p.Me.RequestSpec); err != nil {
			return err
		}
	}
	if p.Check != nil {
		if err := checkRequestSpec("check", p.Check); err != nil {
			return err
		}
	}
	for _, s := range p.ExpiredStatuses {
		if s < 100 || s > 599 {
			return fmt.Errorf("profile: expired_statuses holds %d, which is not an HTTP status", s)
		}
	}
	for _, r := range p.ExpiredWhen {
		if r.Status < 100 || r.Status > 599 {
			return fmt.Errorf("profile: expired_when holds status %d, which is not an HTTP status", r.Status)
		}
	}
	seen := map[string]bool{}
	for i := range p.Lists {
		l := &p.Lists[i]
		if l.Name == "" {
			return fmt.Errorf("profile: lists[%d] has no name", i)
		}
		if seen[l.Name] {
			return fmt.Errorf("profile: two lists are named %q", l.Name)
		}
		seen[l.Name] = true
		for _, f := range l.Fields {
			if f.Format != "" && !slices.Contains(FieldFormats(), f.Format) {
				return fmt.Errorf("profile: list %q: unknown format %q", l.Name, f.Format)
			}
		}
		switch l.ConfirmEmpty {
		case "", ConfirmEmptyAfterRows, ConfirmEmptyAlways, ConfirmEmptyNever:
		default:
			return fmt.Errorf("profile: list %q: unknown confirm_empty %q", l.Name, l.ConfirmEmpty)
		}
		for name, v := range l.Headers {
			if !isToken(name) || !validHeaderValue(v) {
				return fmt.Errorf("profile: list %q: header %q cannot be sent", l.Name, name)
			}
		}
		pagings := []*Paging{&l.Paging}
		if l.Search != nil && l.Search.Paging != nil {
			pagings = append(pagings, l.Search.Paging)
		}
		for _, pg := range pagings {
			switch pg.Style {
			case "", PagingNone, PagingOffset, PagingSkip, PagingPage, PagingUnderscore:
			default:
				return fmt.Errorf("profile: list %q: unknown paging style %q", l.Name, pg.Style)
			}
			if pg.PageSize < 0 {
				return fmt.Errorf("profile: list %q: page_size is negative", l.Name)
			}
		}
	}
	return nil
}

func checkRequestSpec(where string, s *RequestSpec) error {
	switch strings.ToLower(s.Encoding) {
	case "", "json", "form":
	default:
		return fmt.Errorf("profile: %s: unknown encoding %q (json or form)", where, s.Encoding)
	}
	if s.Method != "" && !isToken(s.Method) {
		return fmt.Errorf("profile: %s: %q is not an HTTP method", where, s.Method)
	}
	for name := range s.Headers {
		if !isToken(name) {
			return fmt.Errorf("profile: %s: %q is not a valid header name", where, name)
		}
	}
	for name, v := range s.Body {
		if !validBodyValue(v) {
			return fmt.Errorf("profile: %s: body.%s holds a value a request body cannot carry", where, name)
		}
		if _, flat := FormValue(v); !flat && strings.EqualFold(s.Encoding, "form") {
			return fmt.Errorf("profile: %s: body.%s is a table or list, which a form cannot carry", where, name)
		}
	}
	return nil
}

// validBodyValue accepts what TOML decodes to, minus dates: text, numbers,
// booleans, and tables and arrays of those.
func validBodyValue(v any) bool {
	switch v := v.(type) {
	case string, bool, int64, int, float64:
		return true
	case map[string]any:
		for _, e := range v {
			if !validBodyValue(e) {
				return false
			}
		}
		return true
	case []any:
		for _, e := range v {
			if !validBodyValue(e) {
				return false
			}
		}
		return true
	case []map[string]any:
		for _, e := range v {
			if !validBodyValue(e) {
				return false
			}
		}
		return true
	}
	return false
}

// checkPaths resolves every call's and list's URL: each names a declared
// origin, and a full URL is on one (design R12).
func checkPaths(p *Profile, origins map[string]*url.URL) error {
	check := func(where, origin, path string) error {
		if _, err := resolveURL(origins, origin, path); err != nil {
			return fmt.Errorf("profile: %s: %w", where, err)
		}
		return nil
	}
	specs := map[string]*RequestSpec{"login": &p.Login.RequestSpec}
	if p.Refresh != nil {
		specs["refresh"] = &p.Refresh.RequestSpec
	}
	if p.Logout != nil {
		specs["logout"] = p.Logout
	}
	if p.Me != nil {
		specs["me"] = &p.Me.RequestSpec
	}
	if p.Check != nil {
		specs["check"] = p.Check
	}
	for _, where := range sortedNames(specs) {
		if err := check(where, specs[where].Origin, specs[where].Path); err != nil {
			return err
		}
	}
	for i := range p.Lists {
		l := &p.Lists[i]
		if err := check("list "+l.Name, l.Origin, l.Path); err != nil {
			return err
		}
		if l.Search != nil {
			if err := check("list "+l.Name+" search", searchOrigin(l), l.Search.Path); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkTokenPaths(where string, t *TokenPaths) error {
	if t.AccessToken == "" {
		return fmt.Errorf("profile: %s.access_token is empty: say where the access token is in the answer", where)
	}
	for _, e := range t.Expiry {
		if e.Path == "" {
			return fmt.Errorf("profile: %s.expiry has an entry without a path", where)
		}
		if _, ok := expiryUnit(e.Unit); !ok {
			return fmt.Errorf("profile: %s.expiry: unknown unit %q (%s)", where, e.Unit, strings.Join(ExpiryUnitNames(), ", "))
		}
	}
	return nil
}

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
