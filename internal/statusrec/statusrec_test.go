package statusrec

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestWriter_KeepsTheFirstStatus(t *testing.T) {
	cases := []struct {
		name  string
		write func(w http.ResponseWriter)
		want  int
	}{
		{"nothing", func(http.ResponseWriter) {}, 0},
		{"body first", func(w http.ResponseWriter) { _, _ = w.Write([]byte("x")) }, http.StatusOK},
		{"header", func(w http.ResponseWriter) { w.WriteHeader(http.StatusTeapot) }, http.StatusTeapot},
		{"header twice", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusNotFound)
			w.WriteHeader(http.StatusOK)
		}, http.StatusNotFound},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		w := &Writer{ResponseWriter: rec}
		c.write(w)
		if w.Status != c.want {
			t.Errorf("%s: Status = %d, want %d", c.name, w.Status, c.want)
		}
		if w.Unwrap() != rec {
			t.Errorf("%s: Unwrap does not return the wrapped writer", c.name)
		}
	}
}
