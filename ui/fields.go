package ui

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/tidwall/gjson"
)

// field is one label/value pair of an item's detail pane.
type field struct {
	Label string
	Value string
}

// pathSep joins the labels of nested fields: "Shipping › Weight".
const pathSep = " › "

// noValue stands for null and for empty arrays and objects.
const noValue = "—"

// itemFields lists every field of an item as the server sent it, in the
// server's order. Nested objects become path labels ("Shipping › Weight"),
// arrays of plain values are joined with commas, and arrays of objects are
// numbered from 1 ("Variants 2 › Colour"), so nothing is hidden however deep
// the item is. A body that is not an object is one field, "Value".
func itemFields(raw json.RawMessage) []field {
	root := gjson.ParseBytes(raw)
	if !root.IsObject() {
		if len(bytes.TrimSpace(raw)) == 0 {
			return nil
		}
		return []field{{Label: "Value", Value: valueText(root)}}
	}
	var out []field
	appendFields(&out, "", root)
	return out
}

func appendFields(out *[]field, prefix string, obj gjson.Result) {
	empty := true
	obj.ForEach(func(key, value gjson.Result) bool {
		empty = false
		appendValue(out, joinLabel(prefix, humanizeKey(key.String())), value)
		return true
	})
	if empty && prefix != "" {
		*out = append(*out, field{Label: prefix, Value: noValue})
	}
}

func appendValue(out *[]field, label string, value gjson.Result) {
	switch {
	case value.IsObject():
		appendFields(out, label, value)
	case value.IsArray():
		elems := value.Array()
		if len(elems) == 0 {
			*out = append(*out, field{Label: label, Value: noValue})
			return
		}
		if !hasComposite(elems) {
			parts := make([]string, len(elems))
			for i, e := range elems {
				parts[i] = valueText(e)
			}
			*out = append(*out, field{Label: label, Value: strings.Join(parts, ", ")})
			return
		}
		for i, e := range elems {
			appendValue(out, label+" "+strconv.Itoa(i+1), e)
		}
	default:
		*out = append(*out, field{Label: label, Value: valueText(value)})
	}
}

func hasComposite(elems []gjson.Result) bool {
	for _, e := range elems {
		if e.IsObject() || e.IsArray() {
			return true
		}
	}
	return false
}

func joinLabel(prefix, label string) string {
	if prefix == "" {
		return label
	}
	return prefix + pathSep + label
}

// valueText writes a plain JSON value for people: strings without quotes,
// timestamps in local time, booleans as Yes/No, null as a dash. Numbers keep
// the server's own digits (no float rounding).
func valueText(v gjson.Result) string {
	switch v.Type {
	case gjson.Null:
		return noValue
	case gjson.True:
		return "Yes"
	case gjson.False:
		return "No"
	case gjson.Number:
		return v.Raw
	case gjson.String:
		if t, err := time.Parse(time.RFC3339Nano, v.Str); err == nil {
			return t.Local().Format(detailTimeLayout)
		}
		return v.Str
	}
	return v.Raw
}

// detailTimeLayout reads the same in every locale.
const detailTimeLayout = "Mon 2 Jan 2006, 15:04"

// acronyms are written in capitals when a key is one of them.
var acronyms = map[string]string{"id": "ID", "url": "URL", "uri": "URI", "api": "API", "isbn": "ISBN", "sku": "SKU", "ip": "IP", "uuid": "UUID"}

// humanizeKey turns a JSON key into a label: "updated_at" and "updatedAt"
// become "Updated at", "id" becomes "ID".
func humanizeKey(key string) string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) == 0 {
			return
		}
		w := string(cur)
		if len(cur) > 1 && strings.ToUpper(w) == w && strings.ToLower(w) != w {
			words = append(words, w) // already an acronym: "HTTP"
		} else {
			words = append(words, strings.ToLower(w))
		}
		cur = cur[:0]
	}
	runes := []rune(key)
	for i, r := range runes {
		switch {
		case r == '_' || r == '-' || r == ' ' || r == '.':
			flush()
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(runes[i-1]) ||
			(i+1 < len(runes) && unicode.IsLower(runes[i+1]) && unicode.IsUpper(runes[i-1]))):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	if len(words) == 0 {
		return key
	}
	for i, w := range words {
		if a, ok := acronyms[w]; ok {
			words[i] = a
		} else if i == 0 {
			rs := []rune(w)
			rs[0] = unicode.ToUpper(rs[0])
			words[i] = string(rs)
		}
	}
	return strings.Join(words, " ")
}

// prettyJSON is the item as the server sent it, indented for reading. A body
// that is not valid JSON is returned as it came.
func prettyJSON(raw json.RawMessage) string {
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return string(raw)
	}
	return buf.String()
}
