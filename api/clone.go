package api

import (
	"maps"
	"slices"
)

// Clone deep-copies p: a profile holds maps, slices and pointers, and
// neither the caller who built it, nor a preset, nor one who asks a Client
// for it back may change what another holder reads.
func (p Profile) Clone() Profile {
	p.Login.RequestSpec = p.Login.RequestSpec.Clone()
	p.Login.Tokens = p.Login.Tokens.Clone()
	if p.Refresh != nil {
		r := *p.Refresh
		r.RequestSpec = r.RequestSpec.Clone()
		if r.Tokens != nil {
			t := r.Tokens.Clone()
			r.Tokens = &t
		}
		p.Refresh = &r
	}
	if p.Logout != nil {
		l := p.Logout.Clone()
		p.Logout = &l
	}
	if p.Me != nil {
		m := *p.Me
		m.RequestSpec = m.RequestSpec.Clone()
		p.Me = &m
	}
	p.ExpiredStatuses = slices.Clone(p.ExpiredStatuses)
	p.Lists = slices.Clone(p.Lists)
	return p
}

// Clone deep-copies s.
func (s RequestSpec) Clone() RequestSpec {
	s.Body = maps.Clone(s.Body)
	s.Headers = maps.Clone(s.Headers)
	return s
}

// Clone deep-copies t.
func (t TokenPaths) Clone() TokenPaths {
	t.Expiry = slices.Clone(t.Expiry)
	return t
}
