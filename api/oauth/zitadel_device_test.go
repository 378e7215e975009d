package oauth

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func startDevice(t *testing.T, c *Client) *DeviceAttempt {
	t.Helper()
	d, err := c.StartDevice(context.Background())
	if err != nil {
		t.Fatalf("StartDevice: %v", err)
	}
	if d.UserCode == "" || d.VerificationURI == "" || d.VerificationURIComplete == "" || d.Expiry.IsZero() {
		t.Fatalf("device attempt incomplete: %+v", d)
	}
	return d
}

func deviceClient(t *testing.T, p *zProvider) (*Client, *tokenRecorder) {
	rec := &tokenRecorder{}
	cfg := p.deviceConfig()
	cfg.HTTPClient = &http.Client{Transport: rec}
	return newClient(t, cfg), rec
}

// The device flow keeps polling through authorization_pending and signs in
// once the person approves the user code elsewhere.
func TestZitadelDeviceSignIn(t *testing.T) {
	t.Parallel()
	p := startZitadel(t, tamperNone, 0)
	c, rec := deviceClient(t, p)
	d := startDevice(t, c)
	if d.Interval() != time.Second {
		t.Errorf("interval = %v, want the provider's 1s", d.Interval())
	}
	done := waitAsync(d, context.Background())
	rec.waitPoll(t, "authorization_pending")
	p.approveDevice(t, d.UserCode, true)
	o := result(t, done)
	if o.err != nil {
		t.Fatalf("Wait: %v", o.err)
	}
	if o.toks.AccessToken == "" || o.toks.IDToken == "" || o.user.ID != zSubject {
		t.Fatalf("tokens or user missing: user %+v", o.user)
	}
}

// slow_down makes the client wait 5 s longer before the next poll (RFC
// 8628 3.5), and the flow still succeeds.
func TestZitadelDeviceSlowDown(t *testing.T) {
	t.Parallel()
	p := startZitadel(t, tamperSlowDown, 0)
	c, rec := deviceClient(t, p)
	d := startDevice(t, c)
	p.approveDevice(t, d.UserCode, true)
	o := result(t, waitAsync(d, context.Background()))
	if o.err != nil {
		t.Fatalf("Wait: %v", o.err)
	}
	polls := rec.snapshot()
	if len(polls) != 2 || polls[0].code != "slow_down" || polls[1].code != "" {
		t.Fatalf("polls = %v, want slow_down then success", polls)
	}
	if gap := polls[1].at.Sub(polls[0].at); gap < 6*time.Second-100*time.Millisecond {
		t.Errorf("the poll after slow_down came %v later, want interval + 5s", gap)
	}
}

// A code nobody approves ends with ErrExpired at its expiry; a refusal
// ends with access_denied.
func TestZitadelDeviceExpiredAndDenied(t *testing.T) {
	t.Parallel()
	p := startZitadel(t, tamperNone, 2*time.Second)
	c, _ := deviceClient(t, p)
	d := startDevice(t, c)
	_, _, err := d.Wait(context.Background())
	wantErr(t, err, ErrExpired)

	p = startZitadel(t, tamperNone, 0)
	c, rec := deviceClient(t, p)
	d = startDevice(t, c)
	done := waitAsync(d, context.Background())
	rec.waitPoll(t, "authorization_pending")
	p.approveDevice(t, d.UserCode, false)
	wantErr(t, result(t, done).err, ErrAccessDenied)
}

// Canceling the context stops the polling at once.
func TestZitadelDeviceCancel(t *testing.T) {
	t.Parallel()
	p := startZitadel(t, tamperNone, 0)
	c, rec := deviceClient(t, p)
	d := startDevice(t, c)
	ctx, cancel := context.WithCancel(context.Background())
	done := waitAsync(d, ctx)
	rec.waitPoll(t, "authorization_pending")
	cancel()
	wantErr(t, result(t, done).err, ErrCanceled)
}
