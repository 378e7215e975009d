package api

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
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
	fault, u := baseURLFault(raw)
	switch fault {
	case urlOK:
		return nil
	case urlInsecure:
		return fmt.Errorf("The server address %s must use https: plain http is only allowed for "+
			"this computer (localhost, 127.0.0.1, ::1). %w", u.Scheme+"://"+u.Host, ErrInsecureBaseURL)
	}
	return errors.New(urlSentences[fault])
}

// urlSentences tell a person each fault but urlInsecure. url.Parse's own
// message quotes the whole input, user info included: it is never shown.
var urlSentences = map[urlFault]string{
	urlEmpty:      "The server address is empty.",
	urlUnparsable: "The server address is not a valid URL.",
	urlScheme:     "The server address must start with https://.",
	urlNoHost:     "The server address has no host name.",
	urlUserinfo:   "The server address must not contain a user name or password.",
	urlQuery:      "The server address must not contain a query (?…) or fragment (#…).",
	urlNoPort:     "The server address has a colon but no port number after it.",
	urlBadPort:    "The server address has an impossible port number: ports go from 1 to 65535.",
}

// urlFault is the first rule a base URL breaks; CheckBaseURL and Validate
// word it each for their reader.
type urlFault int

const (
	urlOK urlFault = iota
	urlEmpty
	urlUnparsable
	urlScheme
	urlNoHost
	urlUserinfo
	urlQuery
	urlNoPort
	urlBadPort
	urlInsecure
)

// baseURLFault is the one set of base-URL rules, in the order they are
// told; u is nil when raw does not parse.
func baseURLFault(raw string) (urlFault, *url.URL) {
	if strings.TrimSpace(raw) == "" {
		return urlEmpty, nil
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return urlUnparsable, nil
	case u.Scheme != "https" && u.Scheme != "http":
		return urlScheme, u
	case u.Host == "" || u.Hostname() == "":
		return urlNoHost, u
	case u.User != nil:
		return urlUserinfo, u
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return urlQuery, u
	case u.Port() == "" && strings.HasSuffix(u.Host, ":"):
		return urlNoPort, u
	case u.Port() != "" && !validPort(u.Port()):
		return urlBadPort, u
	case u.Scheme == "http" && !IsLoopbackHost(u.Hostname()):
		return urlInsecure, u
	}
	return urlOK, u
}

// validPort: no server can listen on port 0 or above 65535.
func validPort(port string) bool {
	n, err := strconv.Atoi(port)
	return err == nil && n >= 1 && n <= 65535
}

// IsLoopbackHost reports whether host (no port, no brackets) never leaves
// this machine: the only hosts where plain http is allowed (design R12).
// Only the literal name "localhost" counts among names: other names are
// resolved by DNS, which an attacker on the network may answer.
func IsLoopbackHost(host string) bool {
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

// Origin is u's origin as rule R12 compares them: lowercased scheme and
// host and an explicit port ("https://api.example.com:443"), so that
// "https://API.example.com" and "https://api.example.com:443" are one
// origin and "http://host:8443" and "https://host:8443" are two. An IPv6
// host is bracketed ("http://[::1]:80").
func Origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if n, err := strconv.Atoi(port); err == nil {
		port = strconv.Itoa(n) // "0443" is 443
	}
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// RedirectError is why a call stopped at a redirect to another origin
// (design R12): a secret goes only to the API's own origin, and a protected
// answer that moved elsewhere is a misconfiguration the person should hear
// about rather than one Signet quietly follows.
type RedirectError struct {
	// Status is the redirect's status (302, 307, ...).
	Status int
	// To is the origin the server pointed at: no path, query or user info.
	To string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("The server sent Signet to another address (%s); Signet did not follow it.", e.To)
}

// maxRedirects matches net/http's own limit.
const maxRedirects = 10

// CheckRedirect is an http.Client CheckRedirect that follows a redirect
// only within the origin of the first request and refuses any other with a
// *RedirectError (design R12); after ten it stops and hands back the last
// answer. Every client that may carry a secret uses it.
func CheckRedirect(req *http.Request, via []*http.Request) error {
	if to := Origin(req.URL); to != Origin(via[0].URL) {
		status := 0
		if req.Response != nil {
			status = req.Response.StatusCode
		}
		return &RedirectError{Status: status, To: to}
	}
	if len(via) >= maxRedirects {
		return http.ErrUseLastResponse // the caller sees the 3xx as the server's trouble
	}
	return nil
}

// sameOriginRedirects wraps a client so that it follows redirects only on
// the API's own origin (CheckRedirect): sign-in and refresh bodies carry the
// password and the refresh token, a 307/308 would replay them to wherever
// Location points, and an authenticated client may add the bearer token to
// whatever request it is given. The caller's own policy still applies on
// top.
func sameOriginRedirects(hc *http.Client) *http.Client {
	c := *hc // a shallow copy shares the Transport (and its connection pool)
	next := hc.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if err := CheckRedirect(req, via); err != nil {
			return err
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
	return &c
}
