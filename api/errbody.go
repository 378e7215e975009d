package api

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// maxMessageRunes caps a server message: it is shown in a dialog, and a
// longer one is a stack trace or a page, not a sentence.
const maxMessageRunes = 200

// messagePaths are the common error-body shapes, best first. For OAuth2,
// error_description is the sentence and error the code, so it comes first.
var messagePaths = []string{
	"error_description",
	"message",
	"error.message",
	"error.error_description",
	"errors.0.message",
	"errors.0.detail", // JSON:API
	"errors.0.title",
	"errors.0",
	"msg",
	"detail",       // RFC 9457 problem details, Django REST framework
	"detail.0.msg", // FastAPI validation errors
	"title",
}

// serverMessage finds the server's own words in an error body, cleaned for a
// dialog, or "" when there are none fit to show. secrets are the values sent
// with the request: a message that echoes one is dropped whole.
func (c *Client) serverMessage(body []byte, secrets []string) string {
	return extractMessage(body, c.profile.ErrorPath, secrets)
}

func extractMessage(body []byte, errorPath string, secrets []string) string {
	if checkJSON(body) != nil {
		return "" // an HTML 502 page, a proxy's plain text: nothing to show
	}
	root := gjson.ParseBytes(body)
	if errorPath != "" {
		return cleanMessage(scalarText(root.Get(errorPath)), secrets)
	}
	if root.Type == gjson.String {
		return cleanMessage(root.Str, secrets)
	}
	if !root.IsObject() {
		return ""
	}
	for _, p := range messagePaths {
		if m := cleanMessage(scalarText(root.Get(p)), secrets); m != "" {
			return m
		}
	}
	// A bare "error" is often a code ("invalid_grant", "Unauthorized"):
	// shown only when it reads as a sentence, else the kind's own text
	// says it better.
	if e := root.Get("error"); e.Type == gjson.String && strings.ContainsRune(strings.TrimSpace(e.Str), ' ') {
		return cleanMessage(e.Str, secrets)
	}
	return ""
}

// scalarText is r as text when it is a string or number, else "".
func scalarText(r gjson.Result) string {
	switch r.Type {
	case gjson.String:
		return r.Str
	case gjson.Number:
		return r.Raw
	}
	return ""
}

// cleanMessage makes s fit for a dialog: valid UTF-8, no control or
// formatting characters (no bidi tricks, no terminal escapes), whitespace
// collapsed, at most maxMessageRunes. It returns "" when s echoes a secret or
// looks like it carries a token.
func cleanMessage(s string, secrets []string) string {
	if s == "" || containsSecret(s, secrets) {
		return ""
	}
	var b strings.Builder
	b.Grow(min(len(s), 4*maxMessageRunes))
	pendingSpace := false
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			pendingSpace = b.Len() > 0
			continue
		}
		if pendingSpace {
			b.WriteByte(' ')
			pendingSpace = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	// Checked before truncation: a secret cut in half by the cap would no
	// longer match, yet half a token is still a leak.
	if out == "" || containsSecret(out, secrets) || looksLikeToken(out) {
		return ""
	}
	if utf8.RuneCountInString(out) > maxMessageRunes {
		n := 0
		for i := range out {
			if n == maxMessageRunes-1 {
				out = strings.TrimRight(out[:i], " ") + "…"
				break
			}
			n++
		}
	}
	return out
}

func containsSecret(s string, secrets []string) bool {
	for _, sec := range secrets {
		if sec != "" && strings.Contains(s, sec) {
			return true
		}
	}
	return false
}

// looksLikeToken spots credentials this client did not send itself (a
// server echoing some other token): a JWT ("eyJ…" in three dotted parts) or
// a long run of base64url characters mixing letters and digits. Forty lets
// UUIDs (36) in "request id …" messages through; '/' ends a run so URLs in a
// message survive.
func looksLikeToken(s string) bool {
	for rest := s; ; {
		i := strings.Index(rest, "eyJ")
		if i < 0 {
			break
		}
		rest = rest[i+3:]
		if isJWTShaped(rest) {
			return true
		}
	}
	run, letters, digits := 0, false, false
	for i := 0; i <= len(s); i++ {
		c := byte(' ')
		if i < len(s) {
			c = s[i]
		}
		switch {
		case isAlpha(c):
			run++
			letters = true
		case c >= '0' && c <= '9':
			run++
			digits = true
		case c == '-' || c == '_' || c == '.' || c == '+' || c == '=' || c == '~':
			run++
		default:
			if run >= 40 && letters && digits {
				return true
			}
			run, letters, digits = 0, false, false
		}
	}
	return false
}

// isJWTShaped reports whether s (what follows "eyJ") continues as
// "<b64url>.<b64url>.": the rest of a header, a payload, a signature.
func isJWTShaped(s string) bool {
	dots, seg := 0, 0
	for i := 0; i < len(s) && dots < 2; i++ {
		switch c := s[i]; {
		case isAlpha(c) || c >= '0' && c <= '9' || c == '-' || c == '_':
			seg++
		case c == '.' && seg > 0:
			dots++
			seg = 0
		default:
			return false
		}
	}
	return dots == 2
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
