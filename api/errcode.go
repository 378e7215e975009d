package api

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/tidwall/gjson"
)

// codePaths are where error bodies commonly carry a machine code, after the
// message itself (Firebase puts "INVALID_PASSWORD" there).
var codePaths = []string{"error", "code", "__type", "error.code", "error.status", "error_code", "errors.0.code"}

// codeRE matches what reads as a code rather than a sentence:
// INVALID_PASSWORD, invalid_grant, NotAuthorizedException, auth/wrong-password.
var codeRE = regexp.MustCompile(`^(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{3,}[0-9]*|[a-z]+(?:[_/-][a-z0-9]+)+|[A-Z][A-Za-z]+(?:Exception|Error|Fault))$`)

// LooksLikeCode reports whether s is a bare error code, not a sentence.
func LooksLikeCode(s string) bool { return len(s) <= 80 && codeRE.MatchString(s) }

// splitCode takes "TOO_MANY_ATTEMPTS_TRY_LATER : Access to this account …"
// apart into the code and the sentence after it.
func splitCode(msg string) (code, rest string) {
	if LooksLikeCode(msg) {
		return msg, ""
	}
	if head, tail, ok := strings.Cut(msg, " : "); ok && LooksLikeCode(strings.TrimSpace(head)) {
		return strings.TrimSpace(head), strings.TrimSpace(tail)
	}
	return "", msg
}

// explain fills e's ServerMessage and Code from an error body: a code the
// profile maps becomes its sentence; a bare code without one is kept as
// Code, so Error() can say "The server refused the sign-in (CODE)."
func (c *Client) explain(e *Error, body []byte, secrets []string) {
	msg := c.serverMessage(body, secrets)
	code, rest := splitCode(msg)
	candidates := []string{code}
	if checkJSON(body) == nil {
		paths := codePaths
		if c.profile.ErrorCodePath != "" {
			paths = []string{c.profile.ErrorCodePath}
		}
		for _, p := range paths {
			if v := gjson.GetBytes(body, p); v.Type == gjson.String {
				candidates = append(candidates, strings.TrimSpace(v.Str))
			}
		}
	}
	for _, cand := range candidates {
		if s, ok := c.profile.ErrorCodes[cand]; ok && cand != "" {
			e.ServerMessage, e.Code = s, cand
			return
		}
	}
	switch {
	case code != "" && rest != "":
		e.ServerMessage, e.Code = rest, code
	case code != "":
		e.Code = cleanMessage(code, secrets)
	default:
		e.ServerMessage = msg
	}
}

// listProblem says what a list's failing status means, in words.
func listProblem(status int) string {
	switch {
	case status == http.StatusNotFound:
		return "the server has no such list"
	case status == http.StatusGone:
		return "the server no longer has this list"
	case status == http.StatusUnauthorized:
		return "the server did not accept your sign-in"
	case status == http.StatusForbidden:
		return "you are not allowed to see this list"
	case status == http.StatusMethodNotAllowed:
		return "the server does not let Signet read this list"
	case status == http.StatusRequestTimeout, status == http.StatusGatewayTimeout:
		return "the server took too long to answer"
	case status == http.StatusTooManyRequests:
		return "the server is getting too many requests; try again in a moment"
	case status >= 500:
		return "the server had a problem; try again in a moment"
	case status >= 400:
		return "the server did not accept the request"
	}
	return fmt.Sprintf("the server answered with status %d", status)
}

// isStatusText reports whether a server message is only its status's
// reason phrase ("Not Found"), which says less than listProblem does.
func isStatusText(msg string, status int) bool {
	t := http.StatusText(status)
	return t != "" && strings.EqualFold(strings.TrimRight(strings.TrimSpace(msg), "."), t)
}
