package profile

import (
	"maps"
	"slices"
	"strings"

	"signet/api"
)

// Defaults the file format promises (docs/profiles.md).
const (
	DefaultMethod        = "POST"
	DefaultMeMethod      = "GET"
	DefaultEncoding      = "json"
	DefaultExpiryUnit    = "seconds"
	DefaultUsernameLabel = "Username"
	DefaultPageSize      = 100
)

// DefaultExpiredStatuses are the statuses that mean "token expired" when a
// profile names none.
var DefaultExpiredStatuses = []int{401}

// withDefaults returns a deep copy of p with every default filled in, so
// the api client and the UI never have to guess. It never changes p.
func withDefaults(p api.Profile) api.Profile {
	p = clone(p)
	p.Name = strings.TrimSpace(p.Name)
	// One spelling of the base URL, so "https://x/" + "/login" cannot
	// become "https://x//login".
	p.BaseURL = strings.TrimRight(strings.TrimSpace(p.BaseURL), "/")

	requestDefaults(&p.Login.RequestSpec, DefaultMethod)
	expiryDefaults(&p.Login.Tokens)
	if p.Login.UsernameLabel == "" {
		p.Login.UsernameLabel = DefaultUsernameLabel
	}
	if p.Refresh != nil {
		requestDefaults(&p.Refresh.RequestSpec, DefaultMethod)
		if p.Refresh.Tokens == nil {
			t := cloneTokens(p.Login.Tokens)
			p.Refresh.Tokens = &t
		}
		expiryDefaults(p.Refresh.Tokens)
	}
	if p.Logout != nil {
		requestDefaults(p.Logout, DefaultMethod)
	}
	if p.Me != nil {
		requestDefaults(&p.Me.RequestSpec, DefaultMeMethod)
	}
	if len(p.ExpiredStatuses) == 0 {
		p.ExpiredStatuses = slices.Clone(DefaultExpiredStatuses)
	}
	for i := range p.Lists {
		l := &p.Lists[i]
		if l.Paging.Style == "" {
			l.Paging.Style = api.PagingNone
		}
		if l.Paging.PageSize == 0 {
			l.Paging.PageSize = DefaultPageSize
		}
	}
	return p
}

func requestDefaults(r *api.RequestSpec, method string) {
	if r.Method == "" {
		r.Method = method
	}
	r.Method = strings.ToUpper(r.Method)
	if r.Encoding == "" {
		r.Encoding = DefaultEncoding
	}
}

func expiryDefaults(t *api.TokenPaths) {
	for i := range t.Expiry {
		if t.Expiry[i].Unit == "" {
			t.Expiry[i].Unit = DefaultExpiryUnit
		}
	}
}

// clone deep-copies p: profiles hold maps, slices and pointers, and a
// preset or a caller's value must never change behind its owner's back.
func clone(p api.Profile) api.Profile {
	p.Login.RequestSpec = cloneRequest(p.Login.RequestSpec)
	p.Login.Tokens = cloneTokens(p.Login.Tokens)
	if p.Refresh != nil {
		r := *p.Refresh
		r.RequestSpec = cloneRequest(r.RequestSpec)
		if r.Tokens != nil {
			t := cloneTokens(*r.Tokens)
			r.Tokens = &t
		}
		p.Refresh = &r
	}
	if p.Logout != nil {
		l := cloneRequest(*p.Logout)
		p.Logout = &l
	}
	if p.Me != nil {
		m := *p.Me
		m.RequestSpec = cloneRequest(m.RequestSpec)
		p.Me = &m
	}
	p.ExpiredStatuses = slices.Clone(p.ExpiredStatuses)
	p.Lists = slices.Clone(p.Lists)
	return p
}

func cloneRequest(r api.RequestSpec) api.RequestSpec {
	r.Body = maps.Clone(r.Body)
	r.Headers = maps.Clone(r.Headers)
	return r
}

func cloneTokens(t api.TokenPaths) api.TokenPaths {
	t.Expiry = slices.Clone(t.Expiry)
	return t
}
