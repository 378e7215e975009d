package faultproxy

import (
	"context"
	"net"
	"net/http"
	"time"
)

// wait sleeps d unless the client leaves or the proxy stops first; it
// reports whether the whole delay passed.
func wait(ctx context.Context, stop <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-stop:
	}
	return false
}

// drop closes the connection with a TCP reset, no response at all.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // HTTP/2 or similar: abort the stream
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// writeLarge writes a JSON string of exactly size bytes, in pieces, without
// a Content-Length: the client has to stop reading by itself.
func writeLarge(w http.ResponseWriter, size int64) {
	if size < 2 {
		_, _ = w.Write([]byte(`""`)[:size])
		return
	}
	chunk := make([]byte, 32<<10)
	for i := range chunk {
		chunk[i] = 'a'
	}
	if _, err := w.Write([]byte{'"'}); err != nil {
		return
	}
	for left := size - 2; left > 0; {
		n := min(left, int64(len(chunk)))
		if _, err := w.Write(chunk[:n]); err != nil {
			return // the client stopped reading, as it should
		}
		left -= n
	}
	_, _ = w.Write([]byte{'"'})
}

// SetClock makes the answers the proxy makes itself carry a Date header from
// now, the clock of the server it stands in for: a client that corrects
// expiries by the server's clock (design R8) must see one clock, whether the
// upstream or the proxy answered.
func (p *Proxy) SetClock(now func() time.Time) {
	p.mu.Lock()
	p.now = now
	p.mu.Unlock()
}

func (p *Proxy) stampDate(w http.ResponseWriter) {
	p.mu.Lock()
	now := p.now
	p.mu.Unlock()
	if now != nil {
		w.Header().Set("Date", now().UTC().Format(http.TimeFormat))
	}
}
