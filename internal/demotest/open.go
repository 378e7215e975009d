package demotest

import (
	"testing"

	"signet/demo"
)

// Open opens a demo backend for t, on a copy of the seeded data file unless
// cfg names one, and closes it when the test ends.
func Open(t testing.TB, cfg demo.Config) *demo.Server {
	t.Helper()
	if cfg.DataPath == "" {
		cfg.DataPath = DataFile(t)
	}
	d, err := demo.Open(cfg)
	if err != nil {
		t.Fatalf("demo.Open: %v", err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// Start is Open serving on 127.0.0.1; it returns the server and its URL.
func Start(t testing.TB, cfg demo.Config) (*demo.Server, string) {
	t.Helper()
	d := Open(t, cfg)
	url, err := d.Start("127.0.0.1:0")
	if err != nil {
		t.Fatalf("demo Start: %v", err)
	}
	return d, url
}
