package api

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// parseJSON returns the root of body, or an error a person can read when
// body is not one JSON value (an HTML page from a proxy, a truncated answer).
func parseJSON(body []byte) (gjson.Result, error) {
	if err := checkJSON(body); err != nil {
		return gjson.Result{}, err
	}
	// ParseBytes copies: the strings handed out never alias the body.
	return gjson.ParseBytes(body), nil
}

// mapTokens reads a sign-in or refresh answer as p describes it. at is the
// local time the answer arrived and date its Date header, if any, which
// tells how far the two clocks differ (R8). Errors name the field and path
// that were missing or wrong, never a value.
func mapTokens(root gjson.Result, p *TokenPaths, at time.Time, date string) (Tokens, error) {
	access := root.Get(p.AccessToken)
	switch {
	case !access.Exists() || access.Type == gjson.Null:
		return Tokens{}, &detailError{fmt.Sprintf("there is no access token at %q", p.AccessToken)}
	case access.Type != gjson.String:
		return Tokens{}, &detailError{fmt.Sprintf("the access token at %q is not a string", p.AccessToken)}
	case strings.TrimSpace(access.Str) == "":
		return Tokens{}, &detailError{fmt.Sprintf("the access token at %q is empty", p.AccessToken)}
	case !exactText(access):
		return Tokens{}, errUnstorableToken
	case !validHeaderValue(access.Str):
		// It goes into an Authorization header on every call.
		return Tokens{}, &detailError{fmt.Sprintf("the access token at %q holds characters a header cannot carry", p.AccessToken)}
	}
	t := Tokens{AccessToken: access.Str, TokenType: "Bearer"}

	if p.RefreshToken != "" {
		r := root.Get(p.RefreshToken)
		switch r.Type {
		case gjson.Null: // absent or null: the API gives none this time
		case gjson.String:
			if !exactText(r) {
				return Tokens{}, errUnstorableToken
			}
			if !validHeaderValue(r.Str) {
				return Tokens{}, &detailError{fmt.Sprintf("the refresh token at %q holds characters a header cannot carry", p.RefreshToken)}
			}
			t.RefreshToken = strings.TrimSpace(r.Str)
		default:
			return Tokens{}, &detailError{fmt.Sprintf("the refresh token at %q is not a string", p.RefreshToken)}
		}
	}
	if p.TokenType != "" {
		if tt := root.Get(p.TokenType); tt.Type == gjson.String && isToken(strings.TrimSpace(tt.Str)) {
			t.TokenType = strings.TrimSpace(tt.Str)
		}
	}

	arr := arrival{at: at, skew: clockSkew(at, date, t.AccessToken)}
	if exp, ok := expiryFromBody(root, p.Expiry, arr); ok {
		t.Expiry = exp
	} else if exp, ok := jwtExpiry(t.AccessToken, arr); ok {
		t.Expiry = exp
	}
	return t, nil
}

// errUnstorableToken: a token that is not valid UTF-8 (raw bytes, or an
// escaped lone surrogate) can't go through the JSON of the keychain entry
// unchanged, so the session would come back after a restart with a
// different token. Refused at once, without quoting it.
var errUnstorableToken = &sentenceError{msg: "The server sent a token Signet can't store (it is not valid text)."}

// exactText reports whether a JSON string's value is the text the server
// wrote: valid UTF-8, and no U+FFFD that decoding put in place of an
// escaped lone surrogate ("\ud800").
func exactText(r gjson.Result) bool {
	if !utf8.ValidString(r.Str) {
		return false
	}
	decoded := strings.Count(r.Str, "\uFFFD")
	if decoded == 0 {
		return true
	}
	written := strings.Count(r.Raw, "\uFFFD") + strings.Count(strings.ToLower(r.Raw), `\ufffd`)
	return decoded <= written
}

// mapUser reads who is signed in; a field that is absent or not a string or
// number stays empty.
func mapUser(root gjson.Result, p UserPaths) User {
	get := func(path string) string {
		if path == "" {
			return ""
		}
		return strings.TrimSpace(scalarText(root.Get(path)))
	}
	return User{ID: get(p.ID), Name: get(p.Name), Email: get(p.Email)}
}
