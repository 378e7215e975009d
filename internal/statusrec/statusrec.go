// Package statusrec remembers the status an http.Handler wrote, for servers
// that log or record it after the handler returns (the demo backend's log
// line, the fault proxy's request log).
package statusrec

import "net/http"

// Writer wraps an http.ResponseWriter and keeps the first status written
// (an implicit 200 when the handler wrote a body first); 0 means nothing was
// written.
type Writer struct {
	http.ResponseWriter
	Status int
}

func (w *Writer) WriteHeader(code int) {
	if w.Status == 0 {
		w.Status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *Writer) Write(b []byte) (int, error) {
	if w.Status == 0 {
		w.Status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (flushing,
// deadlines).
func (w *Writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }
