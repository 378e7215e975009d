package api

import (
	"errors"
	"strings"
	"unicode"
)

// maxPathLen bounds a JSON path; real ones are a few dozen characters.
const maxPathLen = 256

// checkJSONPath is a sanity check of gjson path syntax
// (https://github.com/tidwall/gjson/blob/master/SYNTAX.md). gjson itself
// accepts any string and simply finds nothing, so a typo such as
// "data..token" or an unclosed query would otherwise show up only as
// "the server's answer could not be understood" at sign-in time.
func checkJSONPath(p string) error {
	switch {
	case len(p) > maxPathLen:
		return errors.New("too long for a JSON path")
	case strings.TrimSpace(p) != p:
		return errors.New("has spaces around it; remove them")
	case strings.HasPrefix(p, "."):
		return errors.New(`must not start with "."; write "data.token", not ".data.token" (gjson syntax, not jq)`)
	case strings.HasPrefix(p, "$"):
		return errors.New(`gjson paths have no "$" root; write "data.token", not "$.data.token"`)
	}
	var stack []rune
	inString, escaped := false, false
	prev := rune(0)
	for _, r := range p {
		if unicode.IsControl(r) {
			return errors.New("contains a control character")
		}
		switch {
		case escaped:
			escaped = false
		case r == '\\':
			escaped = true
		case inString:
			if r == '"' {
				inString = false
			}
		case r == '"':
			inString = true
		case r == '(' || r == '[' || r == '{':
			stack = append(stack, r)
		case r == ')' || r == ']' || r == '}':
			open := map[rune]rune{')': '(', ']': '[', '}': '{'}[r]
			if len(stack) == 0 || stack[len(stack)-1] != open {
				return errors.New("has an unmatched " + string(r))
			}
			stack = stack[:len(stack)-1]
		case r == '.' && len(stack) == 0 && (prev == '.' || prev == '|'):
			return errors.New(`has an empty part ("..")`)
		}
		prev = r
		if escaped {
			// keep prev as the backslash so "\\." is not an empty part
			prev = '\\'
		}
	}
	switch {
	case escaped:
		return errors.New(`ends with a lone "\"`)
	case inString:
		return errors.New(`has an unclosed '"'`)
	case len(stack) > 0:
		return errors.New("has an unclosed " + string(stack[len(stack)-1]))
	case prev == '.' || prev == '|':
		return errors.New("ends with " + string(prev))
	}
	return nil
}
