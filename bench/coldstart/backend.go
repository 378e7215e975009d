package main

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"signet/api"
	"signet/demo"
	"signet/session"
	"signet/session/keychain"
)

// The backend the app starts against: a demo server behind a request
// counter, and a saved live session for the app to restore.

func saveSession(url, cfgHome string) error {
	client, err := api.New(api.Config{Profile: api.DemoProfile(url)})
	if err != nil {
		return err
	}
	prefs := session.NewMemoryPreferences()
	ctrl, err := session.New(session.Config{Client: client, Keychain: keychain.NewOS(appID, keychain.Options{}),
		Prefs: prefs, Service: appID, StorageKey: storageKey(url)})
	if err != nil {
		return err
	}
	defer ctrl.Close()
	ctx := context.Background()
	ctrl.Restore(ctx)
	if err := ctrl.SignIn(ctx, demo.DemoUsername, demo.DemoPassword); err != nil {
		return err
	}
	if s := ctrl.Snapshot(); s.MemoryOnly {
		return errors.New("the keychain is not available: run under scripts/with-keyring.sh")
	}
	dir := filepath.Join(cfgHome, "fyne", appID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	b, err := json.Marshal(prefs.All())
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "preferences.json"), b, 0o600)
}

// storageKey is the key main gives the session of a --server backend
// (storageKey in ../../backend/resolve.go): the profile name and the server's
// host:port, so the app finds the session saved here.
func storageKey(baseURL string) string {
	return "demo@" + strings.TrimPrefix(baseURL, "http://")
}

func serve(hs *http.Server) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	go func() { _ = hs.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// requestCounter counts every request to the backend, by path.
type requestCounter struct {
	next   http.Handler
	mu     sync.Mutex
	total  int
	byPath map[string]int
}

type counts struct {
	total  int
	byPath map[string]int
}

func (c *requestCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	if c.byPath == nil {
		c.byPath = map[string]int{}
	}
	c.total++
	c.byPath[r.URL.Path]++
	c.mu.Unlock()
	c.next.ServeHTTP(w, r)
}

func (c *requestCounter) reset() {
	c.mu.Lock()
	c.total, c.byPath = 0, map[string]int{}
	c.mu.Unlock()
}

func (c *requestCounter) snapshot() counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := make(map[string]int, len(c.byPath))
	for k, v := range c.byPath {
		m[k] = v
	}
	return counts{total: c.total, byPath: m}
}
