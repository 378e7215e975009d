package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Version is the application version sent in the User-Agent header
// ("Signet/<version>"). main sets it before creating clients; a Client reads
// it once, in New.
var Version = "dev"

// Caps on how much of an answer is read. A token or user answer is a few
// hundred bytes; a megabyte is already absurd. Error bodies only feed the
// message shown to a person.
const (
	tokenBodyCap       = 1 << 20
	defaultListBodyCap = 64 << 20
	errorBodyCap       = 64 << 10
)

// vars are the values a RequestSpec template may name. {access_token} is
// offered too, for logout endpoints that want the access token.
type vars struct {
	username, password, refreshToken, accessToken string
	// bearerAccess sends the access token as the bearer (a refresh in
	// the RefreshWithAccessToken style) unless a header says otherwise.
	bearerAccess bool
}

func (v vars) replacer() *strings.Replacer {
	// One pass over the template: a password that happens to contain
	// "{refresh_token}" is sent as typed, never expanded.
	return strings.NewReplacer(
		"{username}", v.username,
		"{password}", v.password,
		"{refresh_token}", v.refreshToken,
		"{access_token}", v.accessToken,
	)
}

// secrets are the values a server message must never echo back.
func (v vars) secrets() []string {
	return []string{v.password, v.refreshToken, v.accessToken}
}

// response is an answer read in full (up to its cap) before the call's
// timeout ended.
type response struct {
	status int
	header http.Header
	body   []byte
	// at is the local time the answer's headers arrived: expires_in counts
	// from here, not from the server's clock (R8).
	at time.Time
}

func (r *response) ok() bool { return r.status >= 200 && r.status < 300 }

// buildRequest makes the request a RequestSpec describes.
func (c *Client) buildRequest(ctx context.Context, spec *RequestSpec, defaultMethod string, v vars) (*http.Request, error) {
	method := strings.ToUpper(spec.Method)
	if method == "" {
		method = defaultMethod
	}
	u, err := c.resolve(spec.Origin, spec.Path)
	if err != nil {
		return nil, err
	}
	rep := v.replacer()

	var body io.Reader
	var contentType string
	if len(spec.Body) > 0 {
		var b []byte
		if strings.EqualFold(spec.Encoding, "form") {
			b, err = formBody(spec.Body, rep)
			contentType = "application/x-www-form-urlencoded"
		} else {
			b, err = jsonBody(spec.Body, rep)
			contentType = "application/json"
		}
		if err != nil {
			return nil, err
		}
		// A bytes.Reader lets http.NewRequest set GetBody, so the request
		// can be replayed after a redirect or by a retrying transport.
		body = bytes.NewReader(b)
	}

	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, err
	}
	c.setCommonHeaders(req)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	// A Content-Type among the profile's headers replaces the default
	// (application/x-amz-json-1.1 for a JSON-RPC style API).
	for name, t := range spec.Headers {
		val := rep.Replace(t)
		if !validHeaderValue(val) {
			// Name the header, never its value: it may hold a secret.
			return nil, fmt.Errorf("api: header %s would carry a character a header cannot hold", name)
		}
		req.Header.Set(name, val)
	}
	if spec.BearerRefreshToken {
		if !validHeaderValue(v.refreshToken) {
			return nil, errors.New("api: the refresh token holds a character a header cannot carry")
		}
		req.Header.Set("Authorization", "Bearer "+v.refreshToken)
	}
	if v.bearerAccess && req.Header.Get("Authorization") == "" {
		if !validHeaderValue(v.accessToken) {
			return nil, errors.New("api: the access token holds a character a header cannot carry")
		}
		req.Header.Set("Authorization", "Bearer "+v.accessToken)
	}
	return req, nil
}

func (c *Client) setCommonHeaders(req *http.Request) {
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
}

// validHeaderValue reports whether s can be sent as a header value: no
// control characters, so a templated value cannot split the header block.
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < ' ' && b != '\t' || b == 0x7f {
			return false
		}
	}
	return true
}

// exchange sends the request build makes and reads the answer, the whole
// call bounded by the client's timeout and redirects kept on the API's
// origin, whoever made hc (design R12). A 2xx body over limit is
// KindMalformed; an error body is read up to errorBodyCap only, for its
// message. Every failure is an *Error.
func (c *Client) exchange(parent context.Context, op string, hc *http.Client, limit int64,
	build func(context.Context) (*http.Request, error)) (*response, error) {
	ctx, cancel := context.WithTimeout(parent, c.timeout)
	defer cancel()

	req, err := build(ctx)
	if err != nil {
		return nil, &Error{Op: op, Err: err}
	}
	resp, err := sameOriginRedirects(hc).Do(req)
	if err != nil {
		return nil, networkError(parent, op, err)
	}
	defer resp.Body.Close()
	r := &response{status: resp.StatusCode, header: resp.Header, at: c.now()}

	if !r.ok() {
		// The status decides the outcome; a body we cannot read in full
		// only costs the server's message.
		if b, err := readCapped(resp.Body, resp.ContentLength, errorBodyCap); err == nil {
			r.body = b
		}
		return r, nil
	}
	r.body, err = readCapped(resp.Body, resp.ContentLength, limit)
	if errors.Is(err, errTooLarge) {
		return nil, malformed(op, r.status, "the answer is larger than %s", byteSize(limit))
	}
	if err != nil {
		return nil, networkError(parent, op, err)
	}
	return r, nil
}

// networkError wraps a transport failure. The *url.Error layer is dropped
// because its text quotes the URL, query (a search) included. When the
// caller's own context ended, that is the cause, so errors.Is(err,
// context.Canceled) tells "the caller gave up" from "the server is gone".
func networkError(parent context.Context, op string, err error) *Error {
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err
	}
	// An authenticated transport may fail with a verdict of its own (the
	// refresh it made was refused): pass that on, it is not the network.
	var ae *Error
	if errors.As(cause, &ae) {
		return ae
	}
	var re *RedirectError
	if errors.As(cause, &re) {
		return &Error{Kind: KindServer, Op: op, Status: re.Status, Err: re}
	}
	if perr := parent.Err(); perr != nil {
		return &Error{Kind: KindNetwork, Op: op, Err: perr}
	}
	if ue != nil {
		cause = explainTLS(cause, ue.URL)
	}
	return &Error{Kind: KindNetwork, Op: op, Err: cause}
}

var errTooLarge = errors.New("api: answer too large")

// readCapped reads r to the end, holding at most limit+1 bytes: one byte past
// the cap is how an answer that is too large is told from one that just fits.
// A Content-Length over the cap fails before anything is read; one within it
// sizes the buffer so a large list is read without regrowing.
func readCapped(r io.Reader, contentLength, limit int64) ([]byte, error) {
	if contentLength > limit {
		return nil, errTooLarge
	}
	size := int64(4 << 10)
	if contentLength >= 0 {
		size = contentLength + 1 // +1: room to see EOF without growing
	}
	size = min(size, limit+1)
	buf := make([]byte, 0, size)
	lr := io.LimitReader(r, limit+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // let append pick the growth
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if int64(len(buf)) > limit {
		return nil, errTooLarge
	}
	return buf, nil
}

// byteSize renders a cap for a person ("1 MiB", "64 MiB", "512 bytes").
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
