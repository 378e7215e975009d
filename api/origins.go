package api

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// parseOrigins parses the base URL and every declared origin of a valid
// profile; the base URL is the one named "".
func parseOrigins(p *Profile) (map[string]*url.URL, error) {
	out := make(map[string]*url.URL, len(p.Origins)+1)
	base, err := url.Parse(strings.TrimRight(strings.TrimSpace(p.BaseURL), "/"))
	if err != nil {
		return nil, err
	}
	out[""] = base
	for name, raw := range p.Origins {
		u, err := url.Parse(strings.TrimRight(strings.TrimSpace(raw), "/"))
		if err != nil {
			return nil, err
		}
		out[name] = u
	}
	return out, nil
}

// resolve is the URL a call or list goes to: path on the named origin, or,
// when path is a full URL, that URL provided it is on a declared origin
// (design R12: a secret never goes anywhere else).
func (c *Client) resolve(origin, path string) (*url.URL, error) {
	return resolveURL(c.origins, origin, path)
}

func resolveURL(origins map[string]*url.URL, origin, path string) (*url.URL, error) {
	base, ok := origins[origin]
	if !ok {
		return nil, fmt.Errorf("api: no origin is named %q", origin)
	}
	if u, err := url.Parse(path); err == nil && u.IsAbs() {
		for _, o := range origins {
			if Origin(o) == Origin(u) {
				return u, nil
			}
		}
		return nil, errors.New("api: path leaves the declared origins")
	}
	return joinURL(base, path)
}

// BearerOrigins are the origins (as Origin spells them) the authenticated
// transport may send the bearer token to: those of the current-user and
// check calls and of every list and search, and no other (design R12). A profile with
// a single base_url has exactly its origin.
func (c *Client) BearerOrigins() []string {
	var out []string
	add := func(origin, path string) {
		if u, err := c.resolve(origin, path); err == nil && !slices.Contains(out, Origin(u)) {
			out = append(out, Origin(u))
		}
	}
	if m := c.profile.Me; m != nil {
		add(m.Origin, m.Path)
	}
	if k := c.profile.Check; k != nil {
		add(k.Origin, k.Path)
	}
	for i := range c.profile.Lists {
		l := &c.profile.Lists[i]
		add(l.Origin, l.Path)
		if s := l.Search; s != nil {
			add(searchOrigin(l), s.Path)
		}
	}
	sort.Strings(out)
	return out
}

// IsBearerOrigin reports whether the bearer token may go to u (design R12).
func (c *Client) IsBearerOrigin(u *url.URL) bool {
	return slices.Contains(c.bearerOrigins, Origin(u))
}

// SecretOrigins are every origin a secret of this profile goes to: the
// bearer's, and those of sign-in, refresh and sign-out.
func (c *Client) SecretOrigins() []string {
	out := slices.Clone(c.bearerOrigins)
	add := func(s *RequestSpec) {
		if u, err := c.resolve(s.Origin, s.Path); err == nil && !slices.Contains(out, Origin(u)) {
			out = append(out, Origin(u))
		}
	}
	add(&c.profile.Login.RequestSpec)
	if r := c.profile.Refresh; r != nil {
		add(&r.RequestSpec)
	}
	if l := c.profile.Logout; l != nil {
		add(l)
	}
	sort.Strings(out)
	return out
}

func searchOrigin(l *ListSpec) string {
	if l.Search != nil && l.Search.Origin != "" {
		return l.Search.Origin
	}
	return l.Origin
}
