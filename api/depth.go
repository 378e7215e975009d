package api

import (
	"fmt"

	"github.com/tidwall/gjson"
)

// maxDepth bounds how deeply a server's JSON may nest. Real answers nest a
// handful of levels; the JSON validators are recursive, and a hostile body
// of a few million '[' would exhaust the stack and kill the process, which
// no recover() can catch.
const maxDepth = 1000

// checkDepth reports, without recursion, whether body nests arrays and
// objects deeper than limit. Brackets inside strings don't count; a
// backslash in a string escapes the next byte. It judges nesting only: the
// validator that runs next judges the rest.
func checkDepth(body []byte, limit int) error {
	depth := 0
	inString, escaped := false, false
	for _, b := range body {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case b == '\\':
				escaped = true
			case b == '"':
				inString = false
			}
		case b == '"':
			inString = true
		case b == '[' || b == '{':
			depth++
			if depth > limit {
				return &detailError{fmt.Sprintf("it nests more than %d levels deep", limit)}
			}
		case b == ']' || b == '}':
			depth--
		}
	}
	return nil
}

// checkJSON is every check a server's body gets before a parser sees it:
// not empty, not nested too deep, valid JSON.
func checkJSON(body []byte) error {
	if len(body) == 0 {
		return &detailError{"the answer is empty"}
	}
	if err := checkDepth(body, maxDepth); err != nil {
		return err
	}
	if !gjson.ValidBytes(body) {
		return &detailError{"the answer is not JSON"}
	}
	return nil
}
