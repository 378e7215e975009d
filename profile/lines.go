package profile

import (
	"sort"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// fieldLines maps a field path as validation messages spell it
// ("login.tokens.access_token", "lists[1].paging.style") to the line that
// sets it, or that opens its table. TOML decoding keeps no positions, so the
// document is walked once more with the library's AST parser.
type fieldLines map[string]int

// lineOf is the line of field or, when the field is absent (a missing
// required key), of its nearest ancestor that is present: the table the
// person has to add the key to. 0 means unknown.
func (fl fieldLines) lineOf(field string) int {
	for f := field; f != ""; f = parentField(f) {
		if n, ok := fl[f]; ok {
			return n
		}
	}
	return 0
}

// parentField drops the last segment: "lists[1].name" → "lists[1]" →
// "lists"; "login.tokens" → "login".
func parentField(f string) string {
	if strings.HasSuffix(f, "]") {
		if i := strings.LastIndexByte(f, '['); i > 0 {
			return f[:i]
		}
	}
	if i := strings.LastIndexByte(f, '.'); i >= 0 {
		return f[:i]
	}
	return ""
}

// indexLines walks data (which must already have decoded without error)
// and records where every key and table is. It never fails: on a parse
// error it returns what it has, since decoding has reported that error
// already.
func indexLines(data []byte) fieldLines {
	fl := fieldLines{}
	nl := newlineOffsets(data)
	line := func(r unstable.Range) int {
		// Lines are 1-based: one more than the newlines before the offset.
		return sort.SearchInts(nl, int(r.Offset)) + 1
	}
	set := func(field string, n int) {
		if _, ok := fl[field]; !ok && field != "" {
			fl[field] = n
		}
	}
	// arrays counts the elements of each array of tables, keyed by the
	// indexed path of the array ("lists", "lists[0].extra").
	arrays := map[string]int{}
	// resolve turns header keys into an indexed path, stepping into the
	// latest element of every array of tables on the way, as TOML does.
	resolve := func(parts []string) string {
		path := ""
		for _, part := range parts {
			path = joinField(path, part)
			if n := arrays[path]; n > 0 {
				path += "[" + strconv.Itoa(n-1) + "]"
			}
		}
		return path
	}

	var p unstable.Parser
	p.Reset(data)
	table := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			parts, first := keyParts(e)
			n := line(first)
			if e.Kind == unstable.ArrayTable && len(parts) > 0 {
				parent := resolve(parts[:len(parts)-1])
				arr := joinField(parent, parts[len(parts)-1])
				set(arr, n)
				idx := arrays[arr]
				arrays[arr] = idx + 1
				table = arr + "[" + strconv.Itoa(idx) + "]"
			} else {
				table = resolve(parts)
			}
			for f := table; f != ""; f = parentField(f) {
				set(f, n)
			}
		case unstable.KeyValue:
			indexKeyValue(e, table, line, set)
		}
	}
	return fl
}

// indexKeyValue records a key = value line, and the keys inside inline
// tables and arrays of inline tables in its value.
func indexKeyValue(kv *unstable.Node, table string, line func(unstable.Range) int, set func(string, int)) {
	parts, first := keyParts(kv)
	n := line(first)
	path := table
	for _, part := range parts {
		path = joinField(path, part)
		set(path, n)
	}
	indexValue(kv.Value(), path, n, line, set)
}

func indexValue(v *unstable.Node, path string, n int, line func(unstable.Range) int, set func(string, int)) {
	if v == nil || !v.Valid() {
		return
	}
	switch v.Kind {
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			if kv := it.Node(); kv.Kind == unstable.KeyValue {
				indexKeyValue(kv, path, line, set)
			}
		}
	case unstable.Array:
		it := v.Children()
		for i := 0; it.Next(); i++ {
			el := it.Node()
			elPath := path + "[" + strconv.Itoa(i) + "]"
			elLine := n
			if el.Kind == unstable.InlineTable {
				// An element's line is where its first key is.
				if c := el.Child(); c != nil && c.Valid() && c.Kind == unstable.KeyValue {
					_, first := keyParts(c)
					elLine = line(first)
				}
			}
			set(elPath, elLine)
			indexValue(el, elPath, elLine, line, set)
		}
	}
}

// keyParts returns the parts of a node's (possibly dotted) key and the
// range of its first part.
func keyParts(n *unstable.Node) ([]string, unstable.Range) {
	var parts []string
	var first unstable.Range
	it := n.Key()
	for it.Next() {
		k := it.Node()
		if len(parts) == 0 {
			first = k.Raw
		}
		parts = append(parts, string(k.Data))
	}
	return parts, first
}

func joinField(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func newlineOffsets(data []byte) []int {
	var nl []int
	for i, b := range data {
		if b == '\n' {
			nl = append(nl, i)
		}
	}
	return nl
}
