package api

import (
	"net/http"
	"slices"
	"strings"
)

// Defaults the profile format promises (docs/profiles.md); DefaultExpiryUnit,
// DefaultPageSize and DefaultSearchParam are next to what they default.
const (
	DefaultMethod        = "POST"
	DefaultMeMethod      = "GET"
	DefaultEncoding      = "json"
	DefaultUsernameLabel = "Username"
)

// defaultExpiredStatuses are the statuses that mean "token expired" when a
// profile names none.
var defaultExpiredStatuses = []int{http.StatusUnauthorized}

// WithDefaults returns a deep copy of p with every default filled in, so
// the client and the UI never have to guess. It never changes p, and a
// defaulted profile is its own WithDefaults.
func (p Profile) WithDefaults() Profile {
	p = p.Clone()
	p.Name = strings.TrimSpace(p.Name)
	// One spelling of the base URL, so "https://x/" + "/login" cannot
	// become "https://x//login".
	p.BaseURL = strings.TrimRight(strings.TrimSpace(p.BaseURL), "/")
	oauthDefaults(&p)

	requestDefaults(&p.Login.RequestSpec, DefaultMethod)
	expiryDefaults(&p.Login.Tokens)
	if p.Login.UsernameLabel == "" {
		p.Login.UsernameLabel = DefaultUsernameLabel
	}
	for k, v := range p.Origins {
		p.Origins[k] = strings.TrimRight(strings.TrimSpace(v), "/")
	}
	if p.Refresh != nil {
		requestDefaults(&p.Refresh.RequestSpec, DefaultMethod)
		if p.Refresh.Style == "" {
			p.Refresh.Style = RefreshWithRefreshToken
		}
		if p.Refresh.Tokens == nil {
			t := p.Login.Tokens.Clone()
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
	if p.Check != nil {
		requestDefaults(p.Check, DefaultMeMethod)
	}
	if len(p.ExpiredStatuses) == 0 {
		p.ExpiredStatuses = slices.Clone(defaultExpiredStatuses)
	}
	for i := range p.Lists {
		l := &p.Lists[i]
		pagingDefaults(&l.Paging)
		for j := range l.Fields {
			if l.Fields[j].Format == "" {
				l.Fields[j].Format = FormatText
			}
		}
		if l.ConfirmEmpty == "" {
			l.ConfirmEmpty = ConfirmEmptyAfterRows
		}
		if s := l.Search; s != nil {
			if s.Param == "" {
				s.Param = DefaultSearchParam
			}
			if s.Paging != nil {
				pagingDefaults(s.Paging)
			}
		}
	}
	return p
}

func requestDefaults(r *RequestSpec, method string) {
	if r.Method == "" {
		r.Method = method
	}
	r.Method = strings.ToUpper(r.Method)
	if r.Encoding == "" {
		r.Encoding = DefaultEncoding
	}
}

func expiryDefaults(t *TokenPaths) {
	for i := range t.Expiry {
		if t.Expiry[i].Unit == "" {
			t.Expiry[i].Unit = DefaultExpiryUnit
		}
	}
}

func pagingDefaults(pg *Paging) {
	if pg.Style == "" {
		pg.Style = PagingNone
	}
	if pg.PageSize == 0 {
		pg.PageSize = DefaultPageSize
	}
}
