package browsertest

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// Browser keeps cookies across pages, like a real one.
type Browser struct {
	t  testing.TB
	hc *http.Client
}

// Page is where the browser ended up after following redirects.
type Page struct {
	URL    *url.URL
	Status int
	Body   string
	// Location is the redirect the browser did not follow (StopAt).
	Location string
}

// StopAt makes the browser stop before following a redirect to a URL
// starting with prefix, so a test can read the redirect itself.
func (b *Browser) StopAt(prefix string) *Browser {
	b.hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if strings.HasPrefix(req.URL.String(), prefix) {
			return http.ErrUseLastResponse
		}
		if len(via) >= 10 {
			return errors.New("too many redirects")
		}
		return nil
	}
	return b
}

// New returns a browser with an empty cookie jar.
func New(t testing.TB) *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{t: t, hc: &http.Client{Jar: jar, Timeout: 20 * time.Second}}
}

// Open loads u, following redirects.
func (b *Browser) Open(u string) Page {
	b.t.Helper()
	resp, err := b.hc.Get(u)
	if err != nil {
		b.t.Fatalf("browser: GET %s: %v", u, err)
	}
	return read(b.t, resp)
}

// Submit fills the page's form with fields (hidden inputs keep their
// values), presses the submit button whose value or text is button (""
// presses the first), and follows redirects.
func (b *Browser) Submit(p Page, fields map[string]string, button string) Page {
	b.t.Helper()
	f, err := findForm(p.Body, button)
	if err != nil {
		b.t.Fatalf("browser: %v in page %s:\n%s", err, p.URL, p.Body)
	}
	for k, v := range fields {
		f.values.Set(k, v)
	}
	action, err := p.URL.Parse(f.action)
	if err != nil {
		b.t.Fatalf("browser: form action %q: %v", f.action, err)
	}
	var resp *http.Response
	if strings.EqualFold(f.method, "get") {
		action.RawQuery = f.values.Encode()
		resp, err = b.hc.Get(action.String())
	} else {
		resp, err = b.hc.PostForm(action.String(), f.values)
	}
	if err != nil {
		b.t.Fatalf("browser: submitting to %s: %v", action, err)
	}
	return read(b.t, resp)
}

func read(t testing.TB, resp *http.Response) Page {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("browser: reading %s: %v", resp.Request.URL, err)
	}
	return Page{URL: resp.Request.URL, Status: resp.StatusCode, Body: string(body), Location: resp.Header.Get("Location")}
}

type form struct {
	action, method string
	values         url.Values
}

// findForm parses the first form of the page with its inputs and the named
// submit button.
func findForm(body, button string) (*form, error) {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	var f *form
	pressed := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			a := attrs(n)
			switch {
			case n.Data == "form" && f == nil:
				f = &form{action: a["action"], method: a["method"], values: url.Values{}}
			case f != nil && n.Data == "input" && a["type"] != "submit" && a["name"] != "":
				f.values.Set(a["name"], a["value"])
			case f != nil && (n.Data == "button" || n.Data == "input" && a["type"] == "submit"):
				text := a["value"]
				if n.FirstChild != nil && n.FirstChild.Type == html.TextNode {
					text = strings.TrimSpace(n.FirstChild.Data)
				}
				if !pressed && (button == "" || text == button || a["value"] == button) {
					pressed = true
					if a["name"] != "" {
						f.values.Set(a["name"], a["value"])
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	switch {
	case f == nil:
		return nil, fmt.Errorf("no form")
	case !pressed:
		return nil, fmt.Errorf("no button %q", button)
	}
	return f, nil
}

func attrs(n *html.Node) map[string]string {
	m := map[string]string{}
	for _, a := range n.Attr {
		m[a.Key] = a.Val
	}
	return m
}
