package ui

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"signet/api"
	"signet/api/oauth"
	"signet/demo"
	"signet/internal/browsertest"
	"signet/internal/demotest"
	"signet/internal/fakeclock"
	"signet/profile"
	"signet/session"
	"signet/session/keychain"
)

// newBrowserSession is a real session on the embedded demo with the demo
// preset's profile: browser sign-in against the demo's OpenID provider.
func newBrowserSession(t *testing.T, cfg demo.Config) *realSession {
	t.Helper()
	return newBrowserSessionWith(t, cfg, keychain.NewMemory(), session.NewMemoryPreferences(), func(*api.Profile) {})
}

// newBrowserSessionWith is newBrowserSession with the keychain and
// preferences given and the profile changed by mod.
func newBrowserSessionWith(t *testing.T, cfg demo.Config, kc keychain.Store, prefs session.Preferences, mod func(*api.Profile)) *realSession {
	t.Helper()
	srv := demotest.Open(t, cfg)
	u, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pr, _ := profile.FindPreset(profile.DefaultPresetName)
	p, err := pr.Profile(u)
	if err != nil {
		t.Fatal(err)
	}
	mod(&p)
	return restartedSession(t, &realSession{server: srv, url: u}, p, kc, prefs)
}

// restartedSession is a new, restored session for the demo of r with
// profile p on the keychain and preferences given: an app started again.
func restartedSession(t *testing.T, r *realSession, p api.Profile, kc keychain.Store, prefs session.Preferences) *realSession {
	t.Helper()
	client, err := api.New(api.Config{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	ctrl, err := session.New(session.Config{Client: client, Keychain: kc, Prefs: prefs, Service: "io.signet.test"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ctrl.Close)
	next := &realSession{Controller: ctrl, server: r.server, url: r.url}
	t.Cleanup(next.calls.Wait)
	ctrl.Restore(context.Background())
	return next
}

// person plays the one at the browser: opened receives every URL the app
// opens; act does what they do with it.
type person struct {
	t    *testing.T
	mu   sync.Mutex
	urls []string
	fail error // what opening the browser returns
	act  func(b *browsertest.Browser, link string)
}

func (p *person) open(u *url.URL) error {
	p.mu.Lock()
	p.urls = append(p.urls, u.String())
	act, fail := p.act, p.fail
	p.mu.Unlock()
	if fail != nil {
		return fail
	}
	if act != nil {
		go act(browsertest.New(p.t), u.String())
	}
	return nil
}

func (p *person) opened() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.urls...)
}

// reconfigure gives the form's browser sign-in a client made from the
// session's profile changed by mod.
func reconfigure(t *testing.T, s Session, b *browserSignIn, mod func(*oauth.Config)) {
	t.Helper()
	cfg := profile.OAuthConfig(s.Profile())
	mod(&cfg)
	c, err := oauth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b.client = c
}

// signsIn submits the demo's sign-in page as the demo user, pressing button.
func signsIn(button string) func(b *browsertest.Browser, link string) {
	return func(b *browsertest.Browser, link string) {
		b.Submit(b.Open(link), map[string]string{"username": demo.DemoUsername, "password": demo.DemoPassword}, button)
	}
}

func TestBrowserSignIn_ContinueInBrowserSignsIn(t *testing.T) {
	s := newBrowserSession(t, demo.Config{})
	p := &person{t: t, act: signsIn("Allow")}
	h := newHarness(t, s, Options{OpenURL: p.open})
	h.waitFor("the sign-in form", h.onSignIn)
	b := h.ui.signIn.browser
	if b == nil || !b.button.Visible() || b.button.Importance != widget.HighImportance {
		t.Fatal("no \"Continue in browser\" as the main action")
	}
	if !h.ui.signIn.password.Visible() {
		t.Error("the password form is gone; the demo has both")
	}
	test.Tap(b.button)
	h.waitFor("the list screen", h.onList)
	if got := s.Snapshot().SignInMethod; got != session.MethodBrowser {
		t.Errorf("method %q, want browser", got)
	}
	// The session panel names the way in and the provider.
	test.Tap(h.ui.list.account.button)
	host := strings.TrimPrefix(s.url, "http://")
	if got, want := h.ui.list.panel.method.Text, "Your browser, at "+host; got != want || !h.ui.list.panel.method.Visible() {
		t.Errorf("panel: signed in with %q, want %q", got, want)
	}
	if u := p.opened(); len(u) != 1 || !strings.Contains(u[0], "code_challenge_method=S256") || !strings.Contains(u[0], "nonce=") {
		t.Errorf("opened %q", u)
	}
}

// When the browser cannot be opened the window says so and shows the link;
// the link, opened by hand, signs in.
func TestBrowserSignIn_NoBrowserShowsTheLink(t *testing.T) {
	s := newBrowserSession(t, demo.Config{})
	p := &person{t: t, fail: errors.New("exec: \"xdg-open\": executable file not found in $PATH")}
	h := newHarness(t, s, Options{OpenURL: p.open})
	h.waitFor("the sign-in form", h.onSignIn)
	b := h.ui.signIn.browser
	test.Tap(b.button)
	h.waitFor("the link to copy", func() bool { return b.link.Visible() && b.status.Text == msgBrowserNoOpen })
	if b.link.Text != p.opened()[0] {
		t.Fatalf("link %q, opened %q", b.link.Text, p.opened())
	}
	test.Tap(findButton(t, b.waiting, "Copy link"))
	if got := h.ui.fyneApp.Clipboard().Content(); got != b.link.Text {
		t.Fatalf("clipboard %q", got)
	}
	go signsIn("Allow")(browsertest.New(t), b.link.Text)
	h.waitFor("the list screen", h.onList)
}

// Deny in the browser comes back as a plain sentence; a second click
// abandons the first attempt without a word about it; Cancel ends the wait
// silently.
func TestBrowserSignIn_DeclineSecondClickAndCancel(t *testing.T) {
	s := newBrowserSession(t, demo.Config{})
	p := &person{t: t, act: signsIn("Deny")}
	h := newHarness(t, s, Options{OpenURL: p.open})
	h.waitFor("the sign-in form", h.onSignIn)
	f := h.ui.signIn
	b := f.browser
	test.Tap(b.button)
	h.waitFor("the refusal", func() bool { return f.message.Visible() && f.message.Text == msgBrowserDeclined })
	if b.waiting.Visible() {
		t.Error("still waiting after the refusal")
	}

	p.mu.Lock()
	p.act = nil
	p.mu.Unlock()
	test.Tap(b.button)
	h.waitFor("the first wait", func() bool { return len(p.opened()) == 2 && b.waiting.Visible() })
	test.Tap(b.button)
	h.waitFor("the second wait", func() bool { return len(p.opened()) == 3 && b.waiting.Visible() && !f.message.Visible() })
	test.Tap(findButton(t, b.waiting, "Cancel"))
	h.waitFor("the form back", func() bool { return !b.waiting.Visible() })
	if f.message.Visible() {
		t.Errorf("message %q after cancel", f.message.Text)
	}
	// The abandoned attempt's link leads nowhere now; the app stays put.
	if h.onList() {
		t.Fatal("signed in after cancel")
	}
}

// The panel hides the row when the way in is unknown (a session saved
// before the method was).
func TestSignInMethodText(t *testing.T) {
	if got := signInMethodText("", ""); got != "" {
		t.Errorf("unknown: %q", got)
	}
	if got := signInMethodText(session.MethodPassword, ""); got != "Password" {
		t.Errorf("password: %q", got)
	}
	if got := signInMethodText(session.MethodDevice, "id.example.com"); got != "Another device, at id.example.com" {
		t.Errorf("device: %q", got)
	}
}

// An attempt nobody finishes times out back to the form with a message.
func TestBrowserSignIn_TimesOutBackToTheForm(t *testing.T) {
	s := newBrowserSession(t, demo.Config{})
	p := &person{t: t}
	h := newHarness(t, s, Options{OpenURL: p.open})
	h.waitFor("the sign-in form", h.onSignIn)
	f := h.ui.signIn
	reconfigure(t, s, f.browser, func(c *oauth.Config) { c.Timeout = 300 * time.Millisecond })
	test.Tap(f.browser.button)
	h.waitFor("the timeout", func() bool { return f.message.Visible() && f.message.Text == msgBrowserTimeout })
	if f.browser.waiting.Visible() {
		t.Error("still waiting after the timeout")
	}
}

// "Sign in on another device": the code large, the address, a QR code of
// the address with the code; approving on the other device signs in here.
func TestDeviceSignIn_ApproveSignsInDenySaysSo(t *testing.T) {
	s := newBrowserSession(t, demo.Config{DeviceInterval: time.Second})
	h := newHarness(t, s, Options{OpenURL: (&person{t: t}).open})
	h.waitFor("the sign-in form", h.onSignIn)
	f := h.ui.signIn
	d := f.browser.device
	if d == nil || !d.button.Visible() {
		t.Fatal("no \"Sign in on another device\"")
	}

	approve := func(button string) {
		t.Helper()
		test.Tap(d.button)
		h.waitFor("the device code", func() bool { return d.view.Visible() && d.attempt != nil })
		a := d.attempt
		if d.code.Text != a.UserCode || len(a.UserCode) != 9 || d.address.Text != s.url+"/oauth/device" {
			t.Errorf("code %q, address %q", d.code.Text, d.address.Text)
		}
		if d.qr.Image == nil || !strings.HasPrefix(d.expires.Text, "The code expires in ") {
			t.Errorf("qr %v, expires %q", d.qr.Image != nil, d.expires.Text)
		}
		test.Tap(findButton(t, d.view, "Copy code"))
		if got := h.ui.fyneApp.Clipboard().Content(); got != a.UserCode {
			t.Errorf("clipboard %q", got)
		}
		go func() {
			b := browsertest.New(t)
			b.Submit(b.Open(a.VerificationURIComplete),
				map[string]string{"username": demo.DemoUsername, "password": demo.DemoPassword}, button)
		}()
	}
	approve("Deny")
	h.waitFor("the refusal", func() bool { return f.message.Visible() && f.message.Text == msgDeviceDeclined })
	if d.view.Visible() {
		t.Error("the code is still shown after the refusal")
	}
	approve("Allow")
	h.waitFor("the list screen", h.onList)
	if got := s.Snapshot().SignInMethod; got != session.MethodDevice {
		t.Errorf("method %q", got)
	}
}

// Codes that expire before anyone approves end the wait with a message.
func TestDeviceSignIn_ExpiryEndsTheWait(t *testing.T) {
	clock := fakeclock.New(time.Now())
	s := newBrowserSession(t, demo.Config{DeviceInterval: time.Second, Now: clock.Now})
	h := newHarness(t, s, Options{})
	h.waitFor("the sign-in form", h.onSignIn)
	f := h.ui.signIn
	d := f.browser.device
	test.Tap(d.button)
	h.waitFor("the device code", func() bool { return d.view.Visible() })
	clock.Advance(11 * time.Minute)
	h.waitFor("the expiry", func() bool { return f.message.Visible() && f.message.Text == msgDeviceExpired })
	if d.view.Visible() {
		t.Error("the code is still shown after it expired")
	}
}

// A fixed redirect port taken by another program is named, with what to do.
func TestBrowserSignIn_BusyPortIsNamed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	s := newBrowserSession(t, demo.Config{})
	p := &person{t: t}
	h := newHarness(t, s, Options{OpenURL: p.open})
	h.waitFor("the sign-in form", h.onSignIn)
	f := h.ui.signIn
	reconfigure(t, s, f.browser, func(c *oauth.Config) { c.Redirect.Ports = []int{port} })
	test.Tap(f.browser.button)
	want := "Port " + strconv.Itoa(port) + " is"
	h.waitFor("the busy port", func() bool { return f.message.Visible() && strings.Contains(f.message.Text, want) })
	if len(p.opened()) != 0 || f.browser.waiting.Visible() {
		t.Error("waited for a browser that could not come back")
	}
}

// The session panel still says how and where the session began after the
// app is started again (the session restored from the keychain and the
// preferences, without the browser).
func TestSessionPanel_SignInMethodAfterRestart(t *testing.T) {
	kc, prefs := keychain.NewMemory(), session.NewMemoryPreferences()
	s := newBrowserSessionWith(t, demo.Config{}, kc, prefs, func(*api.Profile) {})
	p := &person{t: t, act: signsIn("Allow")}
	h := newHarness(t, s, Options{OpenURL: p.open})
	h.waitFor("the sign-in form", h.onSignIn)
	test.Tap(h.ui.signIn.browser.button)
	h.waitFor("the list screen", h.onList)
	s.calls.Wait()
	s.Controller.Close()

	again := restartedSession(t, s, s.Profile(), kc, prefs)
	h2 := newHarness(t, again, Options{OpenURL: p.open})
	h2.waitFor("the restored list screen", h2.onList)
	test.Tap(h2.ui.list.account.button)
	want := "Your browser, at " + strings.TrimPrefix(s.url, "http://")
	if got := h2.ui.list.panel.method.Text; got != want || !h2.ui.list.panel.method.Visible() {
		t.Errorf("panel after restart: signed in with %q (shown %t), want %q", got, h2.ui.list.panel.method.Visible(), want)
	}
	if n := len(p.opened()); n != 1 {
		t.Errorf("the browser was opened %d times; the restart needs none", n)
	}
}
