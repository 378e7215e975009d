package api

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// The seed corpora below run in every plain `go test`; `go test -fuzz` grows
// them. Each target checks properties that hold for any input, not just
// "does not panic".

func FuzzMapTokens(f *testing.F) {
	seeds := []string{
		`{"access_token":"a","refresh_token":"r","expires_in":3600,"token_type":"Bearer"}`,
		`{"access_token":"a","expires_in":"0"}`,
		`{"access_token":"a","expires_in":-1,"expires_at":"2030-01-02T03:04:05Z"}`,
		`{"access_token":"a","expires_in":1e308}`,
		`{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE5MDAwMDAwMDB9.x"}`,
		`{"access_token":12,"refresh_token":null}`,
		`{"access_token":"a","refresh_token":{"x":1}}`,
		`{"data":{"access_token":"a"}}`, `[]`, `"str"`, `{`, ``,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	paths := &TokenPaths{AccessToken: "access_token", RefreshToken: "refresh_token", TokenType: "token_type",
		Expiry: []ExpirySpec{{Path: "expires_in"}, {Path: "expires_at", Unit: "rfc3339"}, {Path: "exp_ms", Unit: "unix_ms"}}}
	f.Fuzz(func(t *testing.T, body []byte) {
		root, err := parseJSON(body)
		if err == nil {
			var tok Tokens
			tok, err = mapTokens(root, paths, testNow, "")
			if err == nil {
				if strings.TrimSpace(tok.AccessToken) == "" || !validHeaderValue(tok.AccessToken) || !validHeaderValue(tok.RefreshToken) {
					t.Fatalf("unusable tokens accepted")
				}
				if !tok.Expiry.IsZero() && (tok.Expiry.Before(earliestExpiry) || tok.Expiry.After(testNow.Add(maxLifetime))) {
					t.Fatalf("expiry %v outside the sane window", tok.Expiry)
				}
				return
			}
		}
		// Failure text is ours: it never quotes the answer.
		e := &Error{Kind: KindMalformed, Op: "sign in", Err: err}
		if v := gjson.GetBytes(body, "access_token"); v.Type == gjson.String && len(v.Str) > 3 && strings.Contains(e.Error(), v.Str) {
			t.Fatalf("error text %q quotes the token", e.Error())
		}
	})
}

func FuzzJWTExpiry(f *testing.F) {
	f.Add(makeJWT(f, map[string]any{"exp": 1900000000}))
	f.Add(makeJWT(f, map[string]any{"exp": "1900000000"}))
	f.Add(makeJWT(f, map[string]any{"exp": 1e300}))
	f.Add("eyJhbGciOiJub25lIn0.eyJleHAiOi0xfQ.")
	f.Add("a.b.c")
	f.Add("..")
	f.Add("opaque")
	f.Fuzz(func(t *testing.T, token string) {
		exp, ok := jwtExpiry(token, arrival{at: testNow})
		if ok != !exp.IsZero() {
			t.Fatalf("ok = %v with expiry %v", ok, exp)
		}
		if ok && (exp.Before(earliestExpiry) || exp.After(testNow.Add(maxLifetime))) {
			t.Fatalf("expiry %v outside the sane window", exp)
		}
	})
}

func FuzzExtractMessage(f *testing.F) {
	seeds := []string{
		`{"message":"Invalid credentials"}`, `{"error":"invalid_grant","error_description":"Bad"}`,
		`{"errors":[{"message":"x y"}]}`, `{"msg":"m"}`, `"bare string"`, `<html>502</html>`,
		`{"error":{"message":"nested"}}`, `{"detail":[{"msg":"field required"}]}`,
		"{\"message\":\"tab\\tnew\\nline\\u0000nul\\u202e\"}", `{"message":"` + strings.Repeat("é", 300) + `"}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s), "hunter2")
	}
	f.Fuzz(func(t *testing.T, body []byte, secret string) {
		got := extractMessage(body, "", []string{secret})
		if got == "" {
			return
		}
		if secret != "" && strings.Contains(got, secret) {
			t.Fatalf("message %q echoes the secret %q", got, secret)
		}
		if !utf8.ValidString(got) || utf8.RuneCountInString(got) > maxMessageRunes {
			t.Fatalf("message not valid UTF-8 or too long: %q", got)
		}
		if got != strings.TrimSpace(got) || strings.Contains(got, "  ") {
			t.Fatalf("message not trimmed/collapsed: %q", got)
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("message keeps control character %U: %q", r, got)
			}
		}
		if looksLikeToken(got) {
			t.Fatalf("message looks like a token: %q", got)
		}
	})
}

func FuzzDecodePage(f *testing.F) {
	seeds := []string{
		`[{"id":1,"title":"a"},{"id":"x","title":null,"sub":"s"}]`, `[]`, `[1,"two",true,null,[3]]`,
		`[{"id":"\u00e9\n","title":"t\"q"}]`, `{"items":[]}`, `[{"id":1.50e2}]`, `[`, `null`, ` [ {} ] `,
	}
	for _, s := range seeds {
		f.Add([]byte(s), 0)
	}
	f.Add([]byte(`[{"id":1},{"id":2},{"id":3}]`), 2)
	spec := &ListSpec{IDField: "id", TitleField: "title", SubtitleField: "sub"}
	f.Fuzz(func(t *testing.T, body []byte, skip int) {
		skip = max(0, skip%8)
		page, count, err := decodePage(body, spec, skip, 0)
		// Differential check against encoding/json for the shape of the
		// answer: same validity, same number of items.
		var arr []json.RawMessage
		jerr := json.Unmarshal(body, &arr)
		if err != nil {
			if jerr == nil && json.Valid(body) {
				t.Fatalf("decodePage refused a JSON array encoding/json reads: %v", err)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("decodePage accepted invalid JSON")
		}
		if jerr != nil {
			t.Fatalf("decodePage accepted a non-array root: %v", jerr)
		}
		if count != len(arr) || len(page.Items) != max(0, len(arr)-skip) {
			t.Fatalf("count %d items %d; encoding/json saw %d (skip %d)", count, len(page.Items), len(arr), skip)
		}
		for i, it := range page.Items {
			if !json.Valid(it.Raw) || string(it.Raw) != strings.TrimSpace(string(arr[i+skip])) {
				t.Fatalf("item %d raw %q, want %q", i, it.Raw, arr[i+skip])
			}
			if it.ID != "" && it.Title == "" {
				t.Fatalf("item %d has an id but no title", i)
			}
			if len(it.Raw) != cap(it.Raw) {
				t.Fatalf("item %d raw can be appended into the next item", i)
			}
		}
		// Writing to Raw must not change any string handed out.
		for i := range page.Items {
			before := page.Items[i].ID + page.Items[i].Title
			for j := range page.Items[i].Raw {
				page.Items[i].Raw[j] = 'X'
			}
			if page.Items[i].ID+page.Items[i].Title != before {
				t.Fatalf("item strings alias Raw")
			}
		}
	})
}
