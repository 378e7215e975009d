package api

import (
	"maps"
	"slices"
)

// Clone deep-copies p: a profile holds maps, slices and pointers, and
// neither the caller who built it, nor a preset, nor one who asks a Client
// for it back may change what another holder reads.
func (p Profile) Clone() Profile {
	p.Origins = maps.Clone(p.Origins)
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
	if p.Check != nil {
		c := p.Check.Clone()
		p.Check = &c
	}
	if p.Me != nil {
		m := *p.Me
		m.RequestSpec = m.RequestSpec.Clone()
		p.Me = &m
	}
	p.OAuth = p.OAuth.Clone()
	p.ExpiredStatuses = slices.Clone(p.ExpiredStatuses)
	p.ExpiredWhen = slices.Clone(p.ExpiredWhen)
	p.ErrorCodes = maps.Clone(p.ErrorCodes)
	p.Lists = slices.Clone(p.Lists)
	for i := range p.Lists {
		p.Lists[i].Headers = maps.Clone(p.Lists[i].Headers)
		p.Lists[i].Fields = slices.Clone(p.Lists[i].Fields)
		if s := p.Lists[i].Search; s != nil {
			c := *s
			if c.Paging != nil {
				pg := *c.Paging
				c.Paging = &pg
			}
			p.Lists[i].Search = &c
		}
	}
	return p
}

// Clone deep-copies s, nested body values included.
func (s RequestSpec) Clone() RequestSpec {
	if s.Body != nil {
		s.Body = cloneValue(s.Body).(map[string]any)
	}
	s.Headers = maps.Clone(s.Headers)
	return s
}

// cloneValue deep-copies a decoded TOML value: tables and arrays are new,
// scalars are values already.
func cloneValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = cloneValue(e)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, e := range v {
			a[i] = cloneValue(e)
		}
		return a
	case []map[string]any:
		a := make([]any, len(v))
		for i, e := range v {
			a[i] = cloneValue(e)
		}
		return a
	}
	return v
}

// Clone deep-copies t.
func (t TokenPaths) Clone() TokenPaths {
	t.Expiry = slices.Clone(t.Expiry)
	return t
}
