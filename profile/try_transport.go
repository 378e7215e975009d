package profile

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"sync"

	"signet/api"
)

// recordingTransport remembers the last request's method and URL and the
// first megabyte of its answer, for the transcript.
type recordingTransport struct {
	next http.RoundTripper

	mu     sync.Mutex
	method string
	url    *url.URL
	body   []byte
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	var body []byte
	if err == nil && resp.Body != nil {
		body, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(body), resp.Body), resp.Body}
	}
	r.mu.Lock()
	r.method, r.url, r.body = req.Method, req.URL, body
	r.mu.Unlock()
	return resp, err
}

func (r *recordingTransport) last() (string, *url.URL) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.method, r.url
}

func (r *recordingTransport) lastBody() (*url.URL, []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.url, r.body
}

// bearerTransport adds the current token on the profile's bearer origins
// only (design R12).
type bearerTransport struct {
	c     *api.Client
	next  http.RoundTripper
	token func() string
}

func (b *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !b.c.IsBearerOrigin(req.URL) {
		return b.next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	req.Header.Set("Authorization", "Bearer "+b.token())
	return b.next.RoundTrip(req)
}
