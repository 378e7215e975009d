package session

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"signet/api"
	"signet/session/keychain"
)

// fetchWithin runs a list call and fails the test if it has not finished
// within d. Call it from the test's goroutine; tryFetchWithin from others.
func fetchWithin(t *testing.T, c *Controller, d time.Duration, what string) error {
	t.Helper()
	err, ok := tryFetchWithin(t, c, d)
	if !ok {
		t.Fatalf("%s: the call has not finished after %v", what, d)
	}
	return err
}

// tryFetchWithin runs a list call; ok is false if it has not finished
// within d.
func tryFetchWithin(t *testing.T, c *Controller, d time.Duration) (err error, ok bool) {
	done := make(chan error, 1)
	go func() {
		_, err := c.FetchList(t.Context(), "Items", 0, 5, "")
		done <- err
	}()
	select {
	case err := <-done:
		return err, true
	case <-time.After(d):
		return nil, false
	}
}

// waitingCall starts a list call that must wait for a renewal the server
// holds, and fails the test if it ends within 50 ms (a slow machine can
// only make this pass late, never fail). Its outcome arrives on the channel
// once the renewal is let through.
func waitingCall(t *testing.T, c *Controller, what string) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fetch(c) }()
	select {
	case err := <-done:
		t.Fatalf("%s did not wait for the renewal (err %v)", what, err)
	case <-time.After(50 * time.Millisecond):
	}
	return done
}

// newHeldRenewalEnv is a signed-in tokenEnv whose server holds every
// refresh until release is called (at the latest when the test ends).
func newHeldRenewalEnv(t *testing.T) (e *tokenEnv, release func()) {
	t.Helper()
	gate := make(chan struct{})
	e = newTokenEnv(t, func(s *tokenServer) {
		s.refreshStarted = make(chan struct{}, 1)
		s.refreshGate = gate
	})
	release = sync.OnceFunc(func() { close(gate) })
	t.Cleanup(release)
	e.signIn(t)
	return e, release
}

// lastListAuth is the Authorization of the last list call the server saw.
func (s *tokenServer) lastListAuth() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.listAuth[len(s.listAuth)-1]
}

// awaitRefresh waits until a refresh has reached the server (refreshStarted).
func (s *tokenServer) awaitRefresh(t *testing.T, what string) {
	t.Helper()
	select {
	case <-s.refreshStarted:
	case <-time.After(10 * time.Second):
		t.Fatal(what)
	}
}

// A call whose token still lives goes out while the proactive renewal is
// in flight, instead of queueing behind it; a call whose token is dead
// waits for it.
func TestTransport_LiveTokenDoesNotWaitForTheRenewalInFlight(t *testing.T) {
	e, release := newHeldRenewalEnv(t)
	old := e.c.tokensForTest()

	// The 60 s token is renewed 6 s before it dies; the renewal hangs on
	// the server until released.
	e.clock.Skip(55 * time.Second)
	timerDone := make(chan struct{})
	go func() {
		defer close(timerDone)
		e.clock.Advance(0)
	}()
	e.srv.awaitRefresh(t, "the proactive renewal never reached the server")

	if err := fetchWithin(t, e.c, 5*time.Second, "a live token, renewal in flight"); err != nil {
		t.Fatalf("FetchList: %v", err)
	}
	if e.srv.lastListAuth() != "Bearer "+old.AccessToken {
		t.Error("the call did not go out with the token it had")
	}

	// Now the token is dead: a call waits for the renewal and uses its
	// token.
	e.clock.Skip(10 * time.Second)
	dead := waitingCall(t, e.c, "a call with a dead token")
	release()
	if err := <-dead; err != nil {
		t.Fatalf("FetchList after the renewal: %v", err)
	}
	<-timerDone
	if e.c.tokensForTest().AccessToken == old.AccessToken {
		t.Error("the renewal installed nothing")
	}
}

// A call that is the first to find its token due for renewal, but still
// alive, starts the renewal and goes out at once with that token: it does
// not wait for the renewal, however slow. A call whose token is dead, or
// about to die on the way to the server, waits for it.
func TestTransport_DueTokenThatLivesStartsTheRenewalWithoutWaiting(t *testing.T) {
	e, release := newHeldRenewalEnv(t)
	old := e.c.tokensForTest()

	// 55 s into the 60 s token: inside its 6 s margin, 5 s to live. Skip
	// leaves the proactive timer alone: the call is the first to see it.
	e.clock.Skip(55 * time.Second)
	for i := range 2 {
		if err := fetchWithin(t, e.c, 5*time.Second, "a live token due for renewal"); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
		if e.srv.lastListAuth() != "Bearer "+old.AccessToken {
			t.Fatalf("call %d did not go out with the token it had", i)
		}
	}
	e.srv.awaitRefresh(t, "the calls started no renewal")

	// The token dies while the renewal is held: a call waits for it.
	e.clock.Skip(10 * time.Second)
	dead := waitingCall(t, e.c, "a call with a dead token")
	release()
	if err := <-dead; err != nil {
		t.Fatalf("FetchList after the renewal: %v", err)
	}
	renewed := e.c.tokensForTest()
	if renewed.AccessToken == old.AccessToken || e.srv.lastListAuth() != "Bearer "+renewed.AccessToken {
		t.Fatal("the call that waited did not go out with the renewed token")
	}
	if n := len(e.srv.refreshTimes()); n != 1 {
		t.Fatalf("%d refreshes, want the one all calls shared", n)
	}

	// A token with less than the send slack to live (1 s of a 60 s token)
	// waits for its renewal too: it could die on the way to the server.
	gate2 := make(chan struct{})
	e.srv.set(func(s *tokenServer) { s.refreshGate = gate2 })
	e.clock.Skip(renewed.Expiry.Sub(e.clock.Now()) - time.Second)
	nearlyDead := waitingCall(t, e.c, "a call with a token about to die")
	e.srv.awaitRefresh(t, "the call started no renewal")
	close(gate2)
	if err := <-nearlyDead; err != nil {
		t.Fatalf("FetchList after the second renewal: %v", err)
	}
	if e.srv.lastListAuth() == "Bearer "+renewed.AccessToken {
		t.Fatal("the call that waited went out with the token about to die")
	}
}

// hangingKeychain is a keychain that stops answering when told to (a
// locked collection, a dead daemon) until released. Like the OS store it
// bounds each call by its timeout (keychain.WithTimeout sets it), and
// answers keychain.ErrUnavailable when that runs out.
type hangingKeychain struct {
	*keychain.Memory
	timeout time.Duration
	hang    *atomic.Int32 // which ops hang: a keychain.Op mask
	release chan struct{}
	calls   *atomic.Int32
}

func newHangingKeychain() *hangingKeychain {
	return &hangingKeychain{Memory: keychain.NewMemory(), timeout: time.Hour,
		hang: &atomic.Int32{}, release: make(chan struct{}), calls: &atomic.Int32{}}
}

func (h *hangingKeychain) WithTimeout(d time.Duration) keychain.Store {
	cp := *h
	cp.timeout = d
	return &cp
}

func (h *hangingKeychain) wait(op keychain.Op) error {
	h.calls.Add(1)
	if keychain.Op(h.hang.Load())&op == 0 {
		return nil
	}
	select {
	case <-h.release:
		return nil
	case <-time.After(h.timeout):
		return &keychain.TimeoutError{Op: "call", Key: "k", Timeout: h.timeout}
	}
}

func (h *hangingKeychain) Get(key string) (string, error) {
	if err := h.wait(keychain.OpGet); err != nil {
		return "", err
	}
	return h.Memory.Get(key)
}

func (h *hangingKeychain) Set(key, value string) error {
	if err := h.wait(keychain.OpSet); err != nil {
		return err
	}
	return h.Memory.Set(key, value)
}

func (h *hangingKeychain) Delete(key string) error {
	if err := h.wait(keychain.OpDelete); err != nil {
		return err
	}
	return h.Memory.Delete(key)
}

// A keychain that stops answering mid-session holds the calls that wait
// for a renewal for one keychain timeout at most; then the session goes on
// in memory, with the notice.
func TestRefresh_HungKeychainBlocksCallsForOneTimeoutAtMost(t *testing.T) {
	const timeout = 2 * time.Second
	for _, tc := range []struct {
		name string
		hang keychain.Op
		// later is how many keychain calls may still come after: the
		// clean-up of a failed write, in the background.
		later int32
	}{
		{"every call hangs", keychain.AllOps, 0},
		{"reads answer, writes hang", keychain.OpSet | keychain.OpDelete, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kc := newHangingKeychain()
			t.Cleanup(func() { close(kc.release) })
			e := newTokenEnv(t, nil, func(cfg *Config) { cfg.Keychain = keychain.WithTimeout(kc, timeout) })
			e.signIn(t)
			if s := e.c.Snapshot(); s.MemoryOnly {
				t.Fatal("memory only before the keychain hung")
			}
			kc.hang.Store(int32(tc.hang))
			e.clock.Skip(2 * time.Minute) // dead: calls must wait for a renewal

			// Several calls at once; the slack covers a loaded machine, and
			// is well under a second keychain timeout.
			start := time.Now()
			var wg sync.WaitGroup
			for range 5 {
				wg.Go(func() {
					if err, ok := tryFetchWithin(t, e.c, timeout+1500*time.Millisecond); !ok {
						t.Errorf("keychain hung: a call has not finished after %v", time.Since(start))
					} else if err != nil {
						t.Errorf("a call failed: %v", err)
					}
				})
			}
			wg.Wait()
			if t.Failed() {
				t.FailNow()
			}
			t.Logf("calls done in %v", time.Since(start))
			s := e.c.Snapshot()
			if !s.MemoryOnly || s.Notice == "" || s.State != SignedIn || s.Renewals != 1 {
				t.Errorf("snapshot: memory only %v, notice %q, %v, %d renewals; want memory only with a notice, signed in, renewed once",
					s.MemoryOnly, s.Notice, s.State, s.Renewals)
			}
			// The next renewal doesn't ask the keychain again (it may wait
			// for the clean-up in the background, one timeout at most).
			before := kc.calls.Load()
			e.clock.Skip(2 * time.Minute)
			if err := fetchWithin(t, e.c, timeout+1500*time.Millisecond, "memory only"); err != nil {
				t.Fatal(err)
			}
			if n := kc.calls.Load() - before; n > tc.later {
				t.Errorf("%d keychain calls after going memory only", n)
			}
		})
	}
}

// Two copies of the app share one keychain entry and the refresh lock. When
// one has renewed (rotating the refresh token) and the other then can't
// read the keychain, the other must not spend its own refresh token, which
// is spent already: a rotating server would end the session of both. The
// lock's stamp tells it; it waits Offline, and adopts the newer tokens
// once the keychain answers again. A keychain that refused the read is an
// answer: b stays saved. One that did not answer in time makes b memory
// only (design R2); adopting the pair then saves b again, and nothing is
// left noted for deletion: the entry holds the pair both copies use.
func TestRefresh_UnreadableKeychainAfterAnotherCopyRenewedSpendsNothing(t *testing.T) {
	for _, timeout := range []bool{false, true} {
		t.Run(map[bool]string{false: "refused", true: "timed out"}[timeout], func(t *testing.T) {
			unreadableAfterAnotherCopyRenewed(t, timeout)
		})
	}
}

func unreadableAfterAnotherCopyRenewed(t *testing.T, timeout bool) {
	e := newEnv(t, envOpts{})
	a := e.signedIn()
	b := e.controller()
	b.Restore(t.Context())
	for _, c := range []*Controller{a, b} {
		c.mu.Lock()
		c.stopTimersLocked()
		c.mu.Unlock()
	}
	// a renews; b adopts that; a renews again. Each call starts the
	// renewal and goes out with the token that still lives.
	e.clock.Skip(renewDue)
	mustFetch(t, a)
	settle(t, a)
	mustFetch(t, b)
	settle(t, b)
	if a.tokensForTest() != b.tokensForTest() {
		t.Fatal("b did not adopt the tokens a renewed")
	}
	e.clock.Skip(renewDue)
	mustFetch(t, a)
	settle(t, a)
	newest := a.tokensForTest()
	if st := e.demo.Stats(); st.Refreshes != 2 || st.RefreshReuse != 0 {
		t.Fatalf("server: %+v, want 2 refreshes and no reuse", st)
	}

	var unreadable error = keychain.ErrUnavailable
	if timeout {
		unreadable = &keychain.TimeoutError{Op: "get", Key: "demo/tokens", Timeout: time.Second}
	}
	e.kc.Fail(keychain.OpGet, unreadable)
	_ = fetch(b) // b's token is due; the renewal must not reach the server
	settle(t, b)
	s := b.Snapshot()
	if st := e.demo.Stats(); st.Refreshes != 2 || st.RefreshReuse+st.RefreshRefused != 0 {
		t.Fatalf("server: %+v: b spent its spent refresh token", st)
	}
	if s.State != Offline || s.MemoryOnly != timeout || !api.IsRetryable(s.Err) {
		t.Errorf("b: %v, memory only %v, err %v; want Offline, memory only %v, retryable", s.State, s.MemoryOnly, s.Err, timeout)
	}

	e.kc.Fail(keychain.OpGet, nil)
	b.RetryNow()
	waitFor(t, b, "b back", func(s Snapshot) bool { return s.State == SignedIn })
	if b.tokensForTest() != newest {
		t.Error("b did not adopt the newest tokens from the keychain")
	}
	if b.Snapshot().MemoryOnly || e.prefs.String(savedKey) != "1" || e.prefs.String(deleteKey) != "" {
		t.Errorf("after adopting: memory only %v, state %v; want saved, nothing noted", b.Snapshot().MemoryOnly, e.prefs.All())
	}
	mustFetch(t, a)
	mustFetch(t, b)
	if st := e.demo.Stats(); st.RefreshReuse+st.RefreshRefused != 0 || st.Logins != 1 {
		t.Errorf("server: %+v", st)
	}
}
