package session

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"signet/api"
)

// The request the Transport sends shares the caller's header values rather
// than copying them, capped: a Base that appends to them (which a
// RoundTripper must not do, but may) writes into arrays of its own, never
// into the spare room of the caller's. A caller's own Authorization is
// replaced, not joined.
func TestTransport_SentHeaderNeverWritesIntoTheCallers(t *testing.T) {
	var sent http.Header
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r.Header["Accept"] = append(r.Header["Accept"], "text/evil")
		r.Header["Authorization"] = append(r.Header["Authorization"], "Basic evil")
		sent = r.Header.Clone()
		return (answerAtOnce{}).RoundTrip(r)
	})
	req, _ := http.NewRequest(http.MethodGet, "http://api.example:8080/api/items", nil)
	accept := make([]string, 1, 4)
	accept[0] = "application/json"
	req.Header["Accept"] = accept
	req.Header.Set("Authorization", "Bearer the-callers")
	tr := &Transport{Source: StaticTokenSource(NewToken(api.Tokens{AccessToken: "the-sessions"}, time.Time{})),
		Base: base, Origins: []string{"http://api.example:8080"}}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if got := sent["Authorization"]; !slices.Equal(got, []string{"Bearer the-sessions", "Basic evil"}) {
		t.Errorf("sent Authorization %q, want only the session's (and what the Base added)", got)
	}
	if got := accept[:2]; got[1] != "" || !slices.Equal(req.Header["Accept"], []string{"application/json"}) {
		t.Errorf("the caller's Accept array became %q", got)
	}
	if got := req.Header["Authorization"]; !slices.Equal(got, []string{"Bearer the-callers"}) {
		t.Errorf("the caller's Authorization became %q", got)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// answerAtOnce is a Base that answers 200 without a network.
type answerAtOnce struct{}

func (answerAtOnce) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
}
