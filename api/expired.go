package api

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// IsExpiredStatus reports whether a protected call's status alone means
// "the auth token is dead" for this backend: a status in ExpiredStatuses
// (defaultExpiredStatuses when empty), or an ExpiredWhen rule that asks for
// no words. Rules that need the body are IsExpired's.
func (c *Client) IsExpiredStatus(status int) bool {
	statuses := c.profile.ExpiredStatuses
	if len(statuses) == 0 {
		statuses = defaultExpiredStatuses
	}
	if slices.Contains(statuses, status) {
		return true
	}
	for _, r := range c.profile.ExpiredWhen {
		if r.Status == status && r.Contains == "" {
			return true
		}
	}
	return false
}

// needsBody reports whether some rule for status looks into the body.
func (c *Client) needsBody(status int) bool {
	for _, r := range c.profile.ExpiredWhen {
		if r.Status == status && r.Contains != "" {
			return true
		}
	}
	return false
}

// IsExpired reports whether a protected call's answer means "the auth token
// is dead": its status (IsExpiredStatus), or its status together with the
// words an ExpiredWhen rule asks for in the body. To look, it reads at most
// 64 KiB of the body and puts them back: the caller still reads the whole
// body, and closing it closes the original.
func (c *Client) IsExpired(resp *http.Response) bool {
	if c.IsExpiredStatus(resp.StatusCode) {
		return true
	}
	if !c.needsBody(resp.StatusCode) || resp.Body == nil || resp.Body == http.NoBody {
		return false
	}
	prefix, err := io.ReadAll(io.LimitReader(resp.Body, errorBodyCap))
	resp.Body = &rereadBody{Reader: io.MultiReader(bytes.NewReader(prefix), &errReader{resp.Body, err}), closer: resp.Body}
	return c.isExpiredAnswer(resp.StatusCode, prefix)
}

// isExpiredAnswer is IsExpired for an answer already read.
func (c *Client) isExpiredAnswer(status int, body []byte) bool {
	if c.IsExpiredStatus(status) {
		return true
	}
	for _, r := range c.profile.ExpiredWhen {
		if r.Status == status && r.Contains != "" && bodyMentions(body, r.Path, r.Contains) {
			return true
		}
	}
	return false
}

// bodyMentions reports whether words (any case) are in the text at path,
// or anywhere in the body when path is empty.
func bodyMentions(body []byte, path, words string) bool {
	text := string(body)
	if path != "" {
		if checkJSON(body) != nil {
			return false
		}
		v := gjson.GetBytes(body, path)
		if v.Type == gjson.String {
			text = v.Str
		} else {
			text = v.Raw
		}
	}
	return strings.Contains(strings.ToLower(text), strings.ToLower(words))
}

// rereadBody is a body whose first bytes were read and put back.
type rereadBody struct {
	io.Reader
	closer io.Closer
}

func (b *rereadBody) Close() error { return b.closer.Close() }

// errReader hands on the rest of r, or the error that stopped the first
// read, so a failure while peeking still reaches the caller.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return e.r.Read(p)
}
