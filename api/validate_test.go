package api

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

// Validate reports every problem, each under its key, not the first only;
// New's error names the first three and counts the rest.
func TestValidate_ReportsEveryProblemUnderItsKey(t *testing.T) {
	p := DemoProfile("http://api.example.com")
	p.Login.Tokens.Expiry[0].Unit = "hours"
	p.Login.Encoding = "xml"
	p.Lists[0].Paging.PageSize = 5000
	p.ExpiredStatuses = []int{200}
	var fields []string
	for _, pr := range p.Validate() {
		fields = append(fields, pr.Field)
	}
	want := []string{"base_url", "login.encoding", "login.tokens.expiry[0].unit", "expired_statuses[0]", "lists[0].paging.page_size"}
	if !slices.Equal(fields, want) {
		t.Fatalf("fields %v, want %v", fields, want)
	}
	_, err := New(Config{Profile: p})
	var pe *ProfileError
	if !errors.As(err, &pe) || len(pe.Problems) != len(want) {
		t.Fatalf("New = %v, want a *ProfileError with %d problems", err, len(want))
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "api: invalid profile: base_url: ") || !strings.HasSuffix(msg, "(and 2 more)") ||
		strings.Contains(msg, "page_size") {
		t.Errorf("New's error %q: want the first three problems and a count of the rest", msg)
	}
	if !errors.Is(err, ErrInsecureBaseURL) {
		t.Errorf("New's error %q does not wrap ErrInsecureBaseURL", msg)
	}
	if DemoProfile("https://api.example.com").Validate() != nil {
		t.Error("the demo profile has problems")
	}
}

// One set of base-URL rules: what CheckBaseURL refuses, Validate reports
// under base_url and under an origin, and the reverse.
func TestValidate_BaseURLRulesAreCheckBaseURLs(t *testing.T) {
	for _, raw := range []string{
		"https://api.example.com", "http://localhost.:8080", "http://[::1%25lo]:8080", "http://127.0.0.2",
		"http://api.example.com", "http://localhost.evil.example", "ftp://localhost", "api.example.com", "https://",
		"https://u:p@api.example.com", "https://api.example.com/?x=1", "https://api.example.com/#f",
		"https://api.example.com:0", "https://api.example.com:", "https://api.example.com/%zz", "",
	} {
		p := DemoProfile(raw)
		p.Origins = map[string]string{"api": raw}
		var on []string
		for _, pr := range p.Validate() {
			on = append(on, pr.Field)
		}
		refused := CheckBaseURL(raw) != nil
		if slices.Contains(on, "base_url") != refused || slices.Contains(on, "origins.api") != refused {
			t.Errorf("%q: CheckBaseURL refuses: %v; Validate's problems are on %v", raw, refused, on)
		}
	}
}

// A header value with a control character cannot be sent: the client
// refused it in a list's headers before, and now in every call's too.
func TestValidate_HeaderValuesWithControlCharacters(t *testing.T) {
	p := DemoProfile("https://api.example.com")
	p.Lists[0].Headers = map[string]string{"X-Key": "a\x01b"}
	p.Login.Headers = map[string]string{"X-Trace": "a\x7fb", "X-Ok": "a\tb"}
	var fields []string
	for _, pr := range p.Validate() {
		fields = append(fields, pr.Field)
	}
	if want := []string{"login.headers.X-Trace", "lists[0].headers.X-Key"}; !slices.Equal(fields, want) {
		t.Errorf("problems on %v, want %v", fields, want)
	}
}
