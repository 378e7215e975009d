package main

import "strings"

// withoutUserinfo returns raw with any user name and password taken out of
// its authority, and whether there was one. It works on text that does not
// parse as a URL too, since that is what error messages quote.
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
