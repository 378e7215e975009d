package bothschemes

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// Request is one request that reached the plain-http side.
type Request struct {
	Method, Path string
	Header       http.Header
	Body         string
}

// Server is the https side (an httptest TLS server; TLS.Client() trusts its
// certificate) and a recording plain-http side on the same port.
type Server struct {
	TLS      *httptest.Server
	URL      string // https://127.0.0.1:P
	PlainURL string // http://127.0.0.1:P

	mu    sync.Mutex
	plain []Request
}

// New serves h over https and records every plain-http request (answering
// it 200 "{}"). Everything is closed when the test ends.
func New(t testing.TB, h http.Handler) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{}
	tlsLn, plainLn := newChanListener(ln.Addr()), newChanListener(ln.Addr())
	go route(ln, tlsLn, plainLn)

	s.TLS = httptest.NewUnstartedServer(h)
	s.TLS.Listener = tlsLn
	s.TLS.StartTLS()
	s.URL = s.TLS.URL
	s.PlainURL = "http://" + ln.Addr().String()
	plain := &http.Server{Handler: http.HandlerFunc(s.record), ReadHeaderTimeout: 5 * time.Second}
	go plain.Serve(plainLn)
	t.Cleanup(func() {
		ln.Close()
		s.TLS.Close()
		plain.Close()
	})
	return s
}

// Plain returns what reached the plain-http side so far.
func (s *Server) Plain() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.plain)
}

func (s *Server) record(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.plain = append(s.plain, Request{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: string(b)})
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, "{}")
}

// route hands each connection to the TLS side when its first byte opens a
// TLS handshake record (0x16), else to the plain side.
func route(ln net.Listener, tlsLn, plainLn *chanListener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			tlsLn.Close()
			plainLn.Close()
			return
		}
		go func() {
			first := make([]byte, 1)
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.ReadFull(c, first); err != nil {
				c.Close()
				return
			}
			_ = c.SetReadDeadline(time.Time{})
			pc := &peekedConn{Conn: c, first: first}
			if first[0] == 0x16 {
				tlsLn.give(pc)
			} else {
				plainLn.give(pc)
			}
		}()
	}
}

// peekedConn gives back the byte route read before the rest.
type peekedConn struct {
	net.Conn
	first []byte
}

func (c *peekedConn) Read(p []byte) (int, error) {
	if len(c.first) > 0 && len(p) > 0 {
		n := copy(p, c.first)
		c.first = c.first[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}

// chanListener is a net.Listener fed by route.
type chanListener struct {
	addr net.Addr
	ch   chan net.Conn
	once sync.Once
	done chan struct{}
}

func newChanListener(addr net.Addr) *chanListener {
	return &chanListener{addr: addr, ch: make(chan net.Conn), done: make(chan struct{})}
}

func (l *chanListener) give(c net.Conn) {
	select {
	case l.ch <- c:
	case <-l.done:
		c.Close()
	}
}

func (l *chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.ch:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *chanListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *chanListener) Addr() net.Addr { return l.addr }
