package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// expandValue fills the placeholders in every text of a body value, at any
// depth; numbers and booleans are sent as they are written in the profile.
func expandValue(v any, rep *strings.Replacer) any {
	switch v := v.(type) {
	case string:
		return rep.Replace(v)
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = expandValue(e, rep)
		}
		return m
	case []any:
		a := make([]any, len(v))
		for i, e := range v {
			a[i] = expandValue(e, rep)
		}
		return a
	case []map[string]any:
		a := make([]any, len(v))
		for i, e := range v {
			a[i] = expandValue(e, rep)
		}
		return a
	}
	return v
}

// jsonBody encodes a body as one JSON object.
func jsonBody(body map[string]any, rep *strings.Replacer) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // a password with '<' or '&' is sent as typed
	if err := enc.Encode(expandValue(body, rep)); err != nil {
		return nil, fmt.Errorf("api: the body cannot be sent as JSON: %w", err)
	}
	return buf.Bytes(), nil
}

// formBody encodes a body as application/x-www-form-urlencoded: flat
// fields only, numbers and booleans as written.
func formBody(body map[string]any, rep *strings.Replacer) ([]byte, error) {
	vals := make(url.Values, len(body))
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		s, ok := FormValue(body[k])
		if !ok {
			return nil, fmt.Errorf("api: body field %s is a table or list, which a form cannot carry; use encoding = \"json\"", k)
		}
		vals.Set(k, rep.Replace(s))
	}
	return []byte(vals.Encode()), nil
}

// FormValue is a flat body value as a form sends it; false for tables,
// arrays and other values a form field cannot hold.
func FormValue(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case bool:
		return strconv.FormatBool(v), true
	case int64:
		return strconv.FormatInt(v, 10), true
	case int:
		return strconv.Itoa(v), true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	}
	return "", false
}
