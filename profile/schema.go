package profile

import (
	"maps"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"signet/api"
)

// checkShape walks a decoded TOML document against the profile's shape
// (api.Profile's toml tags) and reports every unknown key and every value
// of the wrong type, each with its full key path ("lists[0].subtitle_field"),
// removing them from doc so what remains decodes. A strict decoder stops at
// the first problem; a person fixing a profile wants them all at once.
func checkShape(doc map[string]any, report func(field, msg string)) {
	walkTable(doc, reflect.TypeFor[api.Profile](), "", report)
}

func walkTable(m map[string]any, t reflect.Type, path string, report func(field, msg string)) {
	fields := tomlFields(t)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		f := joinField(path, k)
		ft, ok := fields[k]
		if !ok {
			report(f, unknownKeyMessage(k, fields))
			delete(m, k)
			continue
		}
		if !walkValue(m[k], ft, f, report) {
			delete(m, k)
		}
	}
}

// walkValue reports whether v fits t (after reporting and removing what
// does not fit inside it).
func walkValue(v any, t reflect.Type, f string, report func(field, msg string)) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	wrong := func() bool {
		report(f, "must be "+expectedKind(t)+", not "+api.DescribeValue(v))
		return false
	}
	switch t.Kind() {
	case reflect.String:
		if _, ok := v.(string); !ok {
			return wrong()
		}
	case reflect.Int, reflect.Int64:
		if _, ok := v.(int64); !ok {
			return wrong()
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			return wrong()
		}
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return wrong()
		}
		walkTable(m, t, f, report)
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			return wrong()
		}
		if t.Elem().Kind() == reflect.Interface {
			return true // a body: any value, checked by the validator
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if !walkValue(m[k], t.Elem(), f+"."+k, report) {
				delete(m, k)
			}
		}
	case reflect.Slice:
		a, ok := v.([]any)
		if !ok {
			return wrong()
		}
		bad := false
		for i, e := range a {
			if !walkValue(e, t.Elem(), f+"["+strconv.Itoa(i)+"]", report) {
				bad = true
			}
		}
		// A list with a bad element is dropped whole: its indexes must
		// keep matching the file's.
		return !bad
	}
	return true
}

// tomlFields maps the toml keys of struct t, embedded structs' promoted.
func tomlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if sf.Anonymous && sf.Tag.Get("toml") == "" {
			for k, ft := range tomlFields(sf.Type) {
				out[k] = ft
			}
			continue
		}
		if name, _, _ := strings.Cut(sf.Tag.Get("toml"), ","); name != "" && name != "-" {
			out[name] = sf.Type
		}
	}
	return out
}

func expectedKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct {
			return "a list of tables"
		}
		return "a list of " + strings.TrimPrefix(strings.TrimPrefix(expectedKind(t.Elem()), "a "), "whole ") + "s"
	}
	return "a table"
}

// unknownKeyMessage suggests the nearest known key for a typo.
func unknownKeyMessage(key string, fields map[string]reflect.Type) string {
	best, bestD := "", len(key)/3+2
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if d := editDistance(strings.ToLower(key), k); d < bestD {
			best, bestD = k, d
		}
	}
	if best != "" {
		return "unknown key; did you mean " + strconv.Quote(best) + "?"
	}
	return "unknown key (check the spelling; docs/profiles.md lists every key)"
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
