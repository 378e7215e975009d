package oauth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// callback is what came back to the redirect URI: a code, or the
// provider's error.
type callback struct {
	code string
	err  error
}

// loopback is the one-shot HTTP server behind the redirect URI (RFC 8252
// 7.3). It listens on loopback addresses only, so nothing on the network can
// reach it, and it answers one request that carries the right state on the
// right path; anything else is turned away and the wait goes on.
type loopback struct {
	redirectURI string
	path        string
	host        string // host:port the browser is sent to, checked against Host
	state       string
	srv         *http.Server
	result      chan callback // buffered 1; written once
	once        sync.Once
}

// listen binds the redirect's port on 127.0.0.1 (and [::1] when asked or
// when the redirect names [::1] or localhost; [::1] is required only when
// named). Fixed ports are tried in order.
func listen(r Redirect) ([]net.Listener, int, error) {
	ports := r.Ports
	if len(ports) == 0 {
		ports = []int{0}
	}
	var lastErr error
	for _, p := range ports {
		lns, port, err := listenPort(r, p)
		if err == nil {
			return lns, port, nil
		}
		lastErr = err
	}
	if len(r.Ports) > 0 {
		// On a loopback address a fixed port fails for being taken (the
		// errno differs between systems, so it is not compared).
		return nil, 0, &PortBusyError{Ports: r.Ports, Err: lastErr}
	}
	return nil, 0, fmt.Errorf("oauth: cannot listen for the browser's return: %w", lastErr)
}

func listenPort(r Redirect, port int) ([]net.Listener, int, error) {
	wantV4 := r.Host != "[::1]"
	wantV6 := r.IPv6 || r.Host == "[::1]" || r.Host == "localhost"
	needV6 := r.IPv6 || r.Host == "[::1]"
	// A random port is picked by the first bind and reused by the second;
	// it may be taken on the other family, so try a few times.
	for try := 0; try < 5; try++ {
		var lns []net.Listener
		p := port
		fail := func(err error) ([]net.Listener, int, error) {
			for _, l := range lns {
				_ = l.Close()
			}
			return nil, 0, err
		}
		if wantV4 {
			l, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
			if err != nil {
				return fail(err)
			}
			lns = append(lns, l)
			p = l.Addr().(*net.TCPAddr).Port
		}
		if wantV6 {
			l, err := net.Listen("tcp6", net.JoinHostPort("::1", strconv.Itoa(p)))
			switch {
			case err == nil:
				lns = append(lns, l)
				p = l.Addr().(*net.TCPAddr).Port
			case port == 0 && wantV4 && errors.Is(err, syscall.EADDRINUSE):
				// The random port is another program's on [::1], where
				// the browser may go for localhost: pick another.
				_, _, _ = fail(err)
				continue
			case needV6:
				return fail(err)
			}
			// Otherwise this machine has no IPv6 loopback; 127.0.0.1 serves.
		}
		return lns, p, nil
	}
	return nil, 0, fmt.Errorf("oauth: no port free on both 127.0.0.1 and [::1]: %w", syscall.EADDRINUSE)
}

func newLoopback(r Redirect, state string) (*loopback, error) {
	lns, port, err := listen(r)
	if err != nil {
		return nil, err
	}
	lb := &loopback{
		path:   r.Path,
		host:   net.JoinHostPort(trimBrackets(r.Host), strconv.Itoa(port)),
		state:  state,
		result: make(chan callback, 1),
	}
	lb.redirectURI = "http://" + lb.host + r.Path
	lb.srv = &http.Server{
		Handler:           lb,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		MaxHeaderBytes:    32 << 10,
	}
	for _, l := range lns {
		go func() { _ = lb.srv.Serve(l) }()
	}
	return lb, nil
}

func trimBrackets(h string) string {
	if len(h) > 1 && h[0] == '[' && h[len(h)-1] == ']' {
		return h[1 : len(h)-1]
	}
	return h
}

// ServeHTTP answers the browser. Only a GET on the redirect path, sent to
// the host name of the redirect URI (a page elsewhere that rebinds a DNS
// name to 127.0.0.1 sends its own name), with the state of this attempt is
// taken; the first such request decides the attempt.
func (lb *loopback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	// The code is in this page's URL: no Referer may carry it elsewhere.
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	switch {
	case r.URL.Path != lb.path || r.Host != lb.host:
		http.NotFound(w, r)
		return
	case r.Method != http.MethodGet:
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "Method not allowed.", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(lb.state)) != 1 {
		// Not the answer to this attempt: a stale tab, an older attempt or
		// a forged request. Signet keeps waiting for the real one.
		writePage(w, http.StatusBadRequest, pageStale)
		return
	}
	var cb callback
	switch {
	case q.Get("error") != "":
		cb.err = &ProviderError{Code: cleanText(q.Get("error")), Description: cleanText(q.Get("error_description")),
			URI: q.Get("error_uri")}
	case q.Get("code") == "":
		cb.err = &ProviderError{Code: "invalid_request", Description: "The provider returned neither a code nor an error."}
	default:
		cb.code = q.Get("code")
	}
	taken := false
	lb.once.Do(func() { lb.result <- cb; taken = true })
	switch {
	case !taken:
		writePage(w, http.StatusConflict, pageDone)
	case cb.err != nil:
		writePage(w, http.StatusOK, page{Title: "Sign-in failed", Text: cb.err.Error() + " You can close this tab and try again in Signet."})
	default:
		writePage(w, http.StatusOK, pageSignedIn)
	}
	if taken {
		// Close once this answer is out; the handler must return first.
		go lb.close()
	}
}

// close stops listening; it waits briefly for the page being written.
func (lb *loopback) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if lb.srv.Shutdown(ctx) != nil {
		_ = lb.srv.Close()
	}
}

type page struct{ Title, Text string }

var (
	pageSignedIn = page{Title: "Signed in", Text: "Signed in to Signet — you can close this tab."}
	pageStale    = page{Title: "Not this sign-in", Text: "This page does not belong to the sign-in Signet is waiting for. " +
		"Close it and use the newest sign-in tab."}
	pageDone = page{Title: "Already done", Text: "Signet has already received this sign-in. You can close this tab."}
)

var pageTmpl = template.Must(template.New("p").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.Title}} · Signet</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;line-height:1.5}</style>
</head><body><h1>{{.Title}}</h1><p>{{.Text}}</p></body></html>
`))

func writePage(w http.ResponseWriter, status int, p page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = pageTmpl.Execute(w, p)
}
