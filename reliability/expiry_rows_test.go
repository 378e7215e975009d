package reliability

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"signet/demo"
	"signet/internal/faultproxy"
	"signet/session"
)

// expiryCase is a sign-in answer with an odd expiry, or a server with a
// wrong clock, and what rule R8 makes of it.
type expiryCase struct {
	name   string
	expect string
	// expiresIn is the expires_in field sent to the client ("" leaves
	// the demo's answer alone; "-" removes the field).
	expiresIn string
	// serverSkew moves the demo's clock; tokenAge ages the token before
	// the client sees it.
	serverSkew, tokenAge time.Duration
	// wantExpiry is the expiry the session must compute, relative to the
	// arrival time; refreshFirst says the first call must renew first.
	wantExpiry   time.Duration
	refreshFirst bool
}

func expiryCases() []expiryCase {
	return []expiryCase{
		{name: "expires_in_0", expect: "already expired: renewed before the first call",
			expiresIn: "0", wantExpiry: 0, refreshFirst: true},
		{name: "expires_in_negative", expect: "already expired: renewed before the first call",
			expiresIn: "-30", wantExpiry: 0, refreshFirst: true},
		{name: "expires_in_absurd", expect: "ignored; the JWT exp is used",
			expiresIn: "1e15", wantExpiry: tokenTTL},
		{name: "jwt_exp_past_on_arrival", expect: "no expires_in, JWT exp in the past: renewed before the first call",
			expiresIn: "-", tokenAge: tokenTTL + 5*time.Second, wantExpiry: -5 * time.Second, refreshFirst: true},
		{name: "server_clock_1h_ahead", expect: "expiry counted from local arrival; renews on time",
			serverSkew: time.Hour, wantExpiry: tokenTTL},
		{name: "server_clock_1h_behind", expect: "expiry counted from local arrival; renews on time",
			serverSkew: -time.Hour, wantExpiry: tokenTTL},
	}
}

func expiryRow(e expiryCase) func(t *testing.T) {
	return func(t *testing.T) {
		r := newRig(t, rigOpts{})
		r.skew.Store(int64(e.serverSkew))
		if e.expiresIn != "" {
			// A real token pair from the demo, answered to the client with
			// the expiry this row is about.
			answer := r.demoLogin()
			r.clock.Advance(e.tokenAge)
			if e.expiresIn == "-" {
				delete(answer, "expires_in")
			} else {
				answer["expires_in"] = json.RawMessage(e.expiresIn)
			}
			b, _ := json.Marshal(answer)
			r.proxy.Set("/auth/login", faultproxy.JSON(string(b)).Only(1))
		}
		c := r.signedIn()
		arrival := r.clock.Now()
		s := wantState(t, c, session.SignedIn)
		if want := arrival.Add(e.wantExpiry); !s.Expiry.Equal(want) {
			t.Fatalf("expiry %v after arrival, want %v", s.Expiry.Sub(arrival), e.wantExpiry)
		}

		mustFetch(t, c)
		st := r.demo.Stats()
		if st.Unauthorized != 0 {
			t.Fatalf("%d calls refused with 401: the dead token was sent", st.Unauthorized)
		}
		if e.refreshFirst {
			if st.Refreshes != 1 || st.ListCallsRenewed != 1 {
				t.Fatalf("%d refreshes, %d lists with a renewed token; want 1 and 1", st.Refreshes, st.ListCallsRenewed)
			}
			return
		}
		if st.Refreshes != 0 {
			t.Fatalf("%d refreshes before the token was due, want 0", st.Refreshes)
		}
		// The renewal runs on the local clock, at half the lifetime.
		r.clock.Advance(renewAfter)
		if s := wantState(t, c, session.SignedIn); s.Renewals != 1 {
			t.Fatalf("%d renewals after half the lifetime, want 1 (err %v)", s.Renewals, s.Err)
		}
		mustFetch(t, c)
	}
}

// demoLogin signs in straight at the demo (not through the proxy) and
// returns its answer, fields unparsed.
func (r *rig) demoLogin() map[string]json.RawMessage {
	r.t.Helper()
	body, _ := json.Marshal(map[string]string{"username": demo.DemoUsername, "password": demo.DemoPassword})
	resp, err := http.Post(r.demo.URL()+"/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		r.t.Fatalf("demo sign-in: status %d", resp.StatusCode)
	}
	var m map[string]json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		r.t.Fatal(err)
	}
	if _, err := strconv.Atoi(string(m["expires_in"])); err != nil {
		r.t.Fatalf("demo answer has no numeric expires_in")
	}
	return m
}
