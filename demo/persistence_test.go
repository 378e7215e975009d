package demo

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRestart_KeepsSessionsUsersAndSigningKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nested", "demo.db")
	clock := newFakeClock()
	cfg := Config{DataPath: path, Now: clock.Now, hashIterations: testHashIterations}

	s1, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	base1, err := s1.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tok := login(t, base1, DemoUsername, DemoPassword)
	rotated := mustRefresh(t, base1, tok.RefreshToken)
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("data file gone after Close: %v", err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("data file mode %v, want 0600: it holds the signing key", perm)
	}

	_, base2 := startServer(t, cfg)
	// The access token still verifies: same key, same live session.
	wantStatus(t, getWithToken(t, base2+"/api/items", rotated.AccessToken), http.StatusOK)
	// The rotated-away token is still known as reused, and the current one works.
	renewed := mustRefresh(t, base2, rotated.RefreshToken)
	if g := claimsOf(t, renewed.AccessToken).Generation; g != 2 {
		t.Errorf("generation after restart = %d, want 2", g)
	}
	login(t, base2, DemoUsername, DemoPassword)
}

func TestRestart_RemembersReuseAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	cfg := Config{DataPath: path, hashIterations: testHashIterations}
	s1, base1 := startServer(t, cfg)
	tok := login(t, base1, DemoUsername, DemoPassword)
	rotated := mustRefresh(t, base1, tok.RefreshToken)
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}
	_, base2 := startServer(t, cfg)
	wantRefused(t, refresh(t, base2, tok.RefreshToken))
	wantRefused(t, refresh(t, base2, rotated.RefreshToken))
}

func TestOpen_DataFileHeldElsewhereFailsClearlyInsteadOfHanging(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	startServer(t, Config{DataPath: path})
	start := time.Now()
	s, err := Open(Config{DataPath: path, hashIterations: testHashIterations})
	if err == nil {
		s.Close()
		t.Fatal("a second Open of a held data file succeeded")
	}
	if !errors.Is(err, ErrDataFileInUse) {
		t.Errorf("error %v, want ErrDataFileInUse", err)
	}
	if took := time.Since(start); took > lockTimeout+3*time.Second {
		t.Errorf("Open took %v to give up", took)
	}
}

func TestOpen_WithoutDataPathLeavesNothingBehind(t *testing.T) {
	s, err := Open(Config{hashIterations: testHashIterations})
	if err != nil {
		t.Fatal(err)
	}
	dir := s.st.tempDir
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("temporary data folder missing while open: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary data folder %s still there after Close (%v)", dir, err)
	}
}

func TestOpen_PrunesSessionsThatHaveFullyExpired(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	clock := newFakeClock()
	cfg := Config{DataPath: path, Now: clock.Now, RefreshTTL: time.Hour}
	s1, base1 := startServer(t, cfg)
	old := login(t, base1, DemoUsername, DemoPassword)
	clock.Advance(30 * time.Minute)
	young := login(t, base1, DemoUsername, DemoPassword)
	if err := s1.Close(); err != nil {
		t.Fatal(err)
	}

	clock.Advance(45 * time.Minute) // old is 75 min old, young 45
	s2, base2 := startServer(t, cfg)
	if n := countKeys(t, s2, bucketSessions); n != 1 {
		t.Errorf("%d sessions kept, want 1", n)
	}
	if n := countKeys(t, s2, bucketRefresh); n != 1 {
		t.Errorf("%d refresh hashes kept, want 1", n)
	}
	r := refresh(t, base2, old.RefreshToken)
	wantRefused(t, r)
	if e := r.errorBody(t); e.Description != descRefreshUnknown {
		t.Errorf("pruned token: %q, want %q", e.Description, descRefreshUnknown)
	}
	mustRefresh(t, base2, young.RefreshToken)
}
