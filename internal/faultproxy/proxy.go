package faultproxy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"time"

	"signet/internal/statusrec"
)

// AnyPath is the rule key that matches every path without a rule of its own.
const AnyPath = "*"

// Proxy is a fault-injecting reverse proxy. Its methods are safe for
// concurrent use, also while requests are being served.
type Proxy struct {
	upstream *url.URL
	rp       *httputil.ReverseProxy
	upTr     *http.Transport
	addr     string // the listening address; kept across Refuse/Restart

	mu     sync.Mutex
	rules  map[string]*Rule
	srv    *http.Server
	ln     net.Listener
	stop   chan struct{} // closed by Refuse and Close: ends delays and hangs
	served chan struct{} // closed when the current Serve has returned
	closed bool
	now    func() time.Time // stamps Date on answers the proxy makes itself; nil: net/http's
	seq    uint64           // event counter for Request.Arrived/Done
	log    []*Request
}

// Request is what the proxy saw of one request.
type Request struct {
	Method string
	Path   string
	// Authorization is the header's value ("" when none was sent). It is a
	// secret of the client under test: never print it.
	Authorization string
	// Action is what the proxy did with it.
	Action Action
	// Status is the status sent to the client (the upstream's on Pass),
	// 0 when none was (Hang, Drop, a client that gave up).
	Status int
	// Arrived and Done order the request against every other one: each is
	// a tick of one counter shared by all arrivals and answers, so
	// a.Done < b.Arrived means a was answered before b reached the proxy.
	Arrived, Done uint64
}

// New starts a proxy for upstream (a base URL such as
// "http://127.0.0.1:41234") on 127.0.0.1 with a free port. It panics if it
// cannot listen, like httptest.NewServer: it is meant for tests.
func New(upstream string) *Proxy {
	u, err := url.Parse(upstream)
	if err != nil || u.Host == "" {
		panic(fmt.Sprintf("faultproxy: bad upstream URL %q", upstream))
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	// Tests fire hundreds of concurrent calls; let them reuse connections.
	tr.MaxIdleConnsPerHost = 1024
	p := &Proxy{upstream: u, upTr: tr, rules: map[string]*Rule{}}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(u)
		},
		Transport: tr,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			// The upstream is down or the client left: a plain 502, like
			// a real gateway, without echoing the request.
			w.WriteHeader(http.StatusBadGateway)
		},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("faultproxy: cannot listen: %v", err))
	}
	p.addr = ln.Addr().String()
	p.serveLocked(ln)
	return p
}

// URL is the proxy's base URL, e.g. "http://127.0.0.1:40123". It stays the
// same across Refuse and Restart.
func (p *Proxy) URL() string { return "http://" + p.addr }

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.addr }

// serveLocked serves on ln. Callers hold mu (or own p exclusively).
func (p *Proxy) serveLocked(ln net.Listener) {
	srv := &http.Server{
		Handler:           http.HandlerFunc(p.serveHTTP),
		ReadHeaderTimeout: 10 * time.Second,
		// Clients failing is the point of the exercise: don't log it.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	p.srv, p.ln = srv, ln
	p.stop = make(chan struct{})
	served := make(chan struct{})
	p.served = served
	go func() { _ = srv.Serve(ln); close(served) }()
}

// Set makes requests for path (the URL path, no query; or AnyPath) follow r
// from now on.
func (p *Proxy) Set(path string, r Rule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rules[path] = &r
}

// Clear makes path pass through again.
func (p *Proxy) Clear(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.rules, path)
}

// Reset removes every rule and forgets every request seen.
func (p *Proxy) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.rules)
	p.log = nil
}

// ruleFor returns the rule for path and spends one of its Times.
func (p *Proxy) ruleFor(path string) Rule {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := path
	r, ok := p.rules[key]
	if !ok {
		key = AnyPath
		if r, ok = p.rules[key]; !ok {
			return Rule{}
		}
	}
	out := *r
	if r.Times > 0 {
		if r.Times--; r.Times == 0 {
			delete(p.rules, key)
		}
	}
	return out
}

// Hits is how many requests for path the proxy has seen.
func (p *Proxy) Hits(path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, r := range p.log {
		if r.Path == path {
			n++
		}
	}
	return n
}

// Authorizations returns the Authorization values sent with requests for
// path, in arrival order ("" for none). They are secrets: compare them,
// never print them.
func (p *Proxy) Authorizations(path string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, r := range p.log {
		if r.Path == path {
			out = append(out, r.Authorization)
		}
	}
	return out
}

// Requests returns a copy of every request seen, in arrival order. A
// request still being served has Done == 0.
func (p *Proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Request, len(p.log))
	for i, r := range p.log {
		out[i] = *r
	}
	return out
}

// Refuse stops accepting connections and closes the open ones: clients get
// "connection refused" until Restart. Delays and hangs in progress end.
func (p *Proxy) Refuse() {
	p.mu.Lock()
	srv, stop, served := p.srv, p.stop, p.served
	p.srv, p.ln = nil, nil
	p.mu.Unlock()
	if srv == nil {
		return
	}
	close(stop)
	_ = srv.Close()
	// The socket is really closed only once the pending Accept has
	// returned; until then a dial would be queued and then reset instead
	// of refused.
	<-served
	p.upTr.CloseIdleConnections()
}

// Restart listens again on the same address after Refuse. The port is
// normally free at once (Go listens with SO_REUSEADDR); Restart retries
// for a moment in case it is not.
func (p *Proxy) Restart() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.closed:
		return errors.New("faultproxy: closed")
	case p.srv != nil:
		return nil
	}
	var ln net.Listener
	var err error
	for range 50 {
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("faultproxy: cannot listen on %s again: %w", p.addr, err)
	}
	p.serveLocked(ln)
	return nil
}

// Close stops the proxy for good.
func (p *Proxy) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.Refuse()
}

// record notes a request's arrival and returns its entry and the channel
// that ends delays and hangs.
func (p *Proxy) record(r *http.Request, action Action) (*Request, <-chan struct{}) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	e := &Request{
		Method: r.Method, Path: r.URL.Path, Authorization: r.Header.Get("Authorization"),
		Action: action, Arrived: p.seq,
	}
	p.log = append(p.log, e)
	stop := p.stop
	if stop == nil { // refused between accept and here
		c := make(chan struct{})
		close(c)
		stop = c
	}
	return e, stop
}

func (p *Proxy) finish(e *Request, status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	e.Status, e.Done = status, p.seq
}

func (p *Proxy) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rule := p.ruleFor(r.URL.Path)
	e, stop := p.record(r, rule.Action)
	// Read the request body first (and keep it for the upstream): the
	// server notices a client that gives up only once the body is read,
	// and a delay or hang must end when the client leaves.
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	status := 0
	defer func() { p.finish(e, status) }()

	if rule.Delay > 0 && !wait(r.Context(), stop, rule.Delay) {
		return
	}
	if rule.Action != Pass {
		p.stampDate(w)
	}
	switch rule.Action {
	case Pass:
		sw := &statusrec.Writer{ResponseWriter: w}
		p.rp.ServeHTTP(sw, r)
		status = sw.Status
	case Respond:
		status = rule.Status
		if status == 0 {
			status = http.StatusOK
		}
		for k, vs := range rule.Header {
			w.Header()[k] = append([]string(nil), vs...)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(rule.Body))
	case Hang:
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	case Drop:
		drop(w)
	case Malformed:
		status = http.StatusOK
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"access_token": "half-an-answer", "expires_in": 3`))
	case Large:
		status = http.StatusOK
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		writeLarge(w, rule.Size)
	}
}
