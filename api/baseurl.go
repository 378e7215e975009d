package api

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// ErrInsecureBaseURL is wrapped by the error CheckBaseURL returns when a
// non-loopback server would be spoken to over plain http (rule R12).
var ErrInsecureBaseURL = errors.New("api: plain http is only allowed for this computer")

// CheckBaseURL reports, in words a person can act on, why raw cannot be a
// profile's BaseURL: it must be an absolute http(s) URL without user info,
// query or fragment, and plain http is refused unless the host is loopback
// (localhost, 127.0.0.0/8, ::1), where nothing crosses the network (R12).
func CheckBaseURL(raw string) error {
	if strings.TrimSpace(raw) == "" {
		return errors.New("The server address is empty.")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse's message quotes the whole input; keep it out.
		return errors.New("The server address is not a valid URL.")
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return errors.New("The server address must start with https://.")
	}
	if u.Host == "" || u.Hostname() == "" {
		return errors.New("The server address has no host name.")
	}
	if u.User != nil {
		return errors.New("The server address must not contain a user name or password.")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return errors.New("The server address must not contain a query (?…) or fragment (#…).")
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		return fmt.Errorf("The server address %s must use https: plain http is only allowed for "+
			"this computer (localhost, 127.0.0.1, ::1). %w", u.Scheme+"://"+u.Host, ErrInsecureBaseURL)
	}
	return nil
}

// isLoopbackHost reports whether host (no port, no brackets) never leaves
// this machine. Only the literal name "localhost" counts among names: other
// names are resolved by DNS, which an attacker on the network may answer.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	// A zone ("::1%lo") does not change where the address points.
	if i := strings.IndexByte(host, '%'); i >= 0 {
		host = host[:i]
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// joinURL appends a profile path (which may carry a query string) to the
// base URL. Leading slashes of path are dropped so that "//evil.example/x"
// stays a path on the API's host instead of becoming a new authority.
func joinURL(base *url.URL, path string) (*url.URL, error) {
	b := strings.TrimRight(base.String(), "/")
	p := strings.TrimLeft(path, "/")
	joined := b
	switch {
	case p == "":
	case p[0] == '?' && strings.Trim(base.Path, "/") != "":
		joined = b + p // "https://host/token" + "?grant_type=password"
	default:
		joined = b + "/" + p
	}
	u, err := url.Parse(joined)
	if err != nil {
		return nil, err
	}
	// Defence in depth for R12: whatever the path held, the request goes to
	// the API's own scheme and host.
	if u.Scheme != base.Scheme || u.Host != base.Host {
		return nil, errors.New("api: path leaves the API's host")
	}
	return u, nil
}

// sameOriginRedirects wraps a client so that it follows a redirect only to
// the API's own host and only over a scheme CheckBaseURL accepts: sign-in and
// refresh bodies carry the password and the refresh token, and a 307/308
// would replay them to wherever Location points. A refused redirect is
// returned to the caller as the 3xx answer itself.
func sameOriginRedirects(hc *http.Client) *http.Client {
	c := *hc // a shallow copy shares the Transport (and its connection pool)
	next := hc.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		first := via[0].URL
		if req.URL.Host != first.Host || CheckBaseURL(req.URL.Scheme+"://"+req.URL.Host) != nil {
			return http.ErrUseLastResponse
		}
		if req.URL.Scheme != first.Scheme && req.URL.Scheme != "https" {
			return http.ErrUseLastResponse // no downgrade to http
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return http.ErrUseLastResponse
		}
		return nil
	}
	return &c
}
