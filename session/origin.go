package session

import (
	"net/url"
	"strconv"
	"strings"

	"signet/api"
)

// isOrigin reports whether api.Origin(u) == origin without building
// api.Origin(u) (two allocations): the Transport asks for every request
// (design R12). It follows api.Origin step by step: lower-case scheme and
// host, a numeric port without leading zeros, the scheme's default port when
// none is given, an IPv6 host in brackets. A URL that is not plain ASCII
// takes api.Origin itself, whose lower-casing is then not byte by byte.
func isOrigin(u *url.URL, origin string) bool {
	if !isASCII(u.Scheme) || !isASCII(u.Host) {
		return api.Origin(u) == origin
	}
	rest, ok := cutLower(origin, u.Scheme)
	if !ok {
		return false
	}
	if rest, ok = strings.CutPrefix(rest, "://"); !ok {
		return false
	}
	host := u.Hostname()
	bracket := strings.IndexByte(host, ':') >= 0 // as net.JoinHostPort
	if bracket {
		if rest, ok = strings.CutPrefix(rest, "["); !ok {
			return false
		}
	}
	if rest, ok = cutLower(rest, host); !ok {
		return false
	}
	if bracket {
		if rest, ok = strings.CutPrefix(rest, "]"); !ok {
			return false
		}
	}
	if rest, ok = strings.CutPrefix(rest, ":"); !ok {
		return false
	}
	port := u.Port()
	if port == "" { // (Atoi's error would cost an allocation)
		switch {
		case strings.EqualFold(u.Scheme, "https"):
			port = "443"
		case strings.EqualFold(u.Scheme, "http"):
			port = "80"
		}
		return rest == port
	}
	if n, err := strconv.Atoi(port); err == nil {
		var buf [20]byte
		return rest == string(strconv.AppendInt(buf[:0], int64(n), 10))
	}
	return rest == port
}

// cutLower is strings.CutPrefix(s, strings.ToLower(prefix)) for an ASCII
// prefix.
func cutLower(s, prefix string) (string, bool) {
	if len(s) < len(prefix) {
		return s, false
	}
	for i := 0; i < len(prefix); i++ {
		c := prefix[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if s[i] != c {
			return s, false
		}
	}
	return s[len(prefix):], true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
