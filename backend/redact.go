package backend

import "strings"

// Redact returns raw with any user name and password taken out of its
// authority. It works on text that does not parse as a URL too, since that
// is what error messages quote.
func Redact(raw string) string {
	s, _ := withoutUserinfo(raw)
	return s
}

// HasUserinfo reports whether raw carries a user name or password, whether
// or not it parses as a URL.
func HasUserinfo(raw string) bool {
	_, has := withoutUserinfo(raw)
	return has
}

func withoutUserinfo(raw string) (string, bool) {
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + len("://")
	}
	end := len(raw)
	if i := strings.IndexAny(raw[start:], "/?#"); i >= 0 {
		end = start + i
	}
	at := strings.LastIndexByte(raw[start:end], '@')
	if at < 0 {
		return raw, false
	}
	return raw[:start] + raw[start+at+1:], true
}
