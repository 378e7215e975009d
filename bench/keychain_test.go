package bench

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"signet/demo"
	"signet/session"
	"signet/session/keychain"
)

// Figure 6: keychain calls per sign-in, per refresh and per start-up against
// the real OS keychain (run under scripts/with-keyring.sh, which starts a
// private gnome-keyring), with the median latency of each kind of call. The
// baseline is the number of entries each step has to touch: the session
// keeps ONE entry per profile, so 1 write per sign-in, 1 read per start-up,
// and per refresh 1 write (the entry changed) plus the re-read rule R11
// requires. Budget: a refresh writes no more than the entries that changed.

// timedStore records how long each call takes.
type timedStore struct {
	keychain.Store
	mu       sync.Mutex
	get, set []time.Duration
}

func (s *timedStore) Get(k string) (string, error) {
	t := time.Now()
	v, err := s.Store.Get(k)
	s.record(&s.get, time.Since(t))
	return v, err
}

func (s *timedStore) Set(k, v string) error {
	t := time.Now()
	err := s.Store.Set(k, v)
	s.record(&s.set, time.Since(t))
	return err
}

func (s *timedStore) record(to *[]time.Duration, d time.Duration) {
	s.mu.Lock()
	*to = append(*to, d)
	s.mu.Unlock()
}

func BenchmarkKeychain(b *testing.B) {
	if os.Getenv("SIGNET_REQUIRE_KEYCHAIN") != "1" {
		b.Skip("needs the real keychain: run under scripts/with-keyring.sh")
	}
	clock := &offsetClock{}
	_, url := startDemo(b, envConfig{TokenTTL: coalesceTTL, ServerNow: clock.Now})
	timed := &timedStore{Store: keychain.NewOS("io.signet.bench.keychain", keychain.Options{})}
	kc := keychain.NewCounting(timed)
	prefs := session.NewMemoryPreferences()
	client := newAPIClient(b, url, clock.Now, nil)

	var signIn, refresh, startup keychain.Counts
	for b.Loop() {
		// Sign in.
		ctrl := newController(b, client, kc, prefs, clock.Now, neverFires, nil)
		ctrl.Restore(context.Background())
		kc.Reset()
		if err := ctrl.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword); err != nil {
			b.Fatal(err)
		}
		signIn = add(signIn, kc.Reset())

		// Refresh: the token dies, the next call renews it.
		clock.Jump(coalesceTTL + time.Minute)
		if _, err := ctrl.FetchList(context.Background(), "Items", 0, 10, ""); err != nil {
			b.Fatal(err)
		}
		refresh = add(refresh, kc.Reset())
		ctrl.Close()

		// Start-up: a new controller restores the live session.
		ctrl = newController(b, client, kc, prefs, clock.Now, neverFires, nil)
		ctrl.Restore(context.Background())
		if st := ctrl.Snapshot().State; st != session.SignedIn {
			b.Fatalf("restored to %v", st)
		}
		startup = add(startup, kc.Reset())
		ctrl.SignOut(context.Background())
		ctrl.Close()
		kc.Reset()
	}
	n := float64(b.N)
	b.ReportMetric(float64(signIn.Get)/n, "signin-reads/op")
	b.ReportMetric(float64(signIn.Set)/n, "signin-writes/op")
	b.ReportMetric(float64(refresh.Get)/n, "refresh-reads/op")
	b.ReportMetric(float64(refresh.Set)/n, "refresh-writes/op")
	b.ReportMetric(float64(startup.Get)/n, "startup-reads/op")
	b.ReportMetric(float64(startup.Set+startup.Delete)/n, "startup-writes/op")
	b.ReportMetric(ms(medianDur(timed.get)), "read-ms")
	b.ReportMetric(ms(medianDur(timed.set)), "write-ms")
}

func add(a, b keychain.Counts) keychain.Counts {
	return keychain.Counts{Get: a.Get + b.Get, Set: a.Set + b.Set, Delete: a.Delete + b.Delete}
}
