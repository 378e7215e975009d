package api

import (
	"fmt"
	"strings"
)

// validateProfile rejects a profile the client could only fail with later,
// naming the field (profile files are written by hand).
func validateProfile(p *Profile) error {
	if err := CheckBaseURL(p.BaseURL); err != nil {
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
	for _, s := range p.ExpiredStatuses {
		if s < 100 || s > 599 {
			return fmt.Errorf("profile: expired_statuses holds %d, which is not an HTTP status", s)
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
		switch l.Paging.Style {
		case "", PagingNone, PagingOffset, PagingSkip, PagingPage, PagingUnderscore:
		default:
			return fmt.Errorf("profile: list %q: unknown paging style %q", l.Name, l.Paging.Style)
		}
		if l.Paging.PageSize < 0 {
			return fmt.Errorf("profile: list %q: page_size is negative", l.Name)
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
