package demo

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// deviceGrant is one device sign-in (RFC 8628) from request to approval.
type deviceGrant struct {
	userCode string // normalised: 8 letters, no dash
	scope    string
	expires  time.Time
	interval time.Duration // grows by 5 s on every slow_down
	lastPoll time.Time     // real time, not Config.Now: polling pace is wall-clock
	userID   string        // set when approved
	denied   bool
}

// userCodeAlphabet has no vowels (no words) and no look-alikes (RFC 8628 6.1).
const userCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ"

func newUserCode() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = userCodeAlphabet[int(b[i])%len(userCodeAlphabet)]
	}
	return string(b)
}

// normalUserCode ignores case, dashes and spaces, as people type them.
func normalUserCode(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToUpper(s))
}

func displayUserCode(c string) string { return c[:4] + "-" + c[4:] }

// handleDeviceAuthorization starts a device sign-in (RFC 8628 3.1/3.2).
func (o *oauthServer) handleDeviceAuthorization(w http.ResponseWriter, r *http.Request) {
	form, problem := readForm(w, r)
	if problem != "" {
		writeError(w, http.StatusBadRequest, errInvalidRequest, problem)
		return
	}
	if form.Get("client_id") != DemoClientID {
		writeError(w, http.StatusUnauthorized, errInvalidClient, "Unknown client.")
		return
	}
	now := o.s.cfg.Now()
	deviceCode := randomID(32)
	g := &deviceGrant{scope: form.Get("scope"), expires: now.Add(deviceTTL), interval: o.s.cfg.DeviceInterval}
	o.mu.Lock()
	o.sweep(now)
	for g.userCode == "" || o.userCode[g.userCode] != "" {
		g.userCode = newUserCode()
	}
	key := string(hashRefreshToken(deviceCode))
	o.devices[key] = g
	o.userCode[g.userCode] = key
	o.mu.Unlock()
	verify := issuer(r) + pathDevice
	writeJSON(w, http.StatusOK, map[string]any{
		"device_code":               deviceCode,
		"user_code":                 displayUserCode(g.userCode),
		"verification_uri":          verify,
		"verification_uri_complete": verify + "?user_code=" + url.QueryEscape(displayUserCode(g.userCode)),
		"expires_in":                int64(deviceTTL / time.Second),
		"interval":                  int64(g.interval / time.Second),
	})
}

// deviceGrant answers a poll (RFC 8628 3.4/3.5): pending until approved,
// slow_down when polled faster than the interval, and the tokens once.
func (o *oauthServer) deviceGrant(w http.ResponseWriter, r *http.Request, form url.Values) {
	now := o.s.cfg.Now()
	key := string(hashRefreshToken(form.Get("device_code")))
	o.mu.Lock()
	g := o.devices[key]
	var code, desc string
	switch {
	case g == nil:
		code, desc = errInvalidGrant, "The device code is not valid."
	case !now.Before(g.expires):
		code, desc = errExpiredToken, "The code expired before it was approved."
	case g.denied:
		code, desc = errAccessDenied, "The sign-in was refused on the other device."
		o.dropDevice(key, g)
	case g.userID != "":
		o.dropDevice(key, g) // tokens are handed out once
	// A little leeway: timers and the network jitter.
	case !g.lastPoll.IsZero() && time.Since(g.lastPoll) < g.interval*4/5:
		g.interval += 5 * time.Second
		code, desc = errSlowDown, "Polling too fast; wait longer between requests."
	default:
		code, desc = errPending, "Waiting for the code to be entered and approved."
	}
	if g != nil {
		g.lastPoll = time.Now()
	}
	o.mu.Unlock()
	if code != "" {
		writeError(w, http.StatusBadRequest, code, desc)
		return
	}
	o.issue(w, r, g.userID, g.scope, "")
}

// dropDevice forgets a finished device grant; o.mu is held.
func (o *oauthServer) dropDevice(key string, g *deviceGrant) {
	delete(o.devices, key)
	delete(o.userCode, g.userCode)
}

// handleDevicePage is where the person types the user code (prefilled
// from verification_uri_complete) and signs in.
func (o *oauthServer) handleDevicePage(w http.ResponseWriter, r *http.Request) {
	o.devicePage(w, http.StatusOK, r.URL.Query().Get("user_code"), "", "")
}

func (o *oauthServer) devicePage(w http.ResponseWriter, status int, userCode, username, problem string) {
	o.render(w, status, "signin", signInData{Action: pathDevice, UserCode: userCode, Username: username, Error: problem,
		Wants: wants(scopeSet(supportedScopes))})
}

// handleDeviceForm approves or refuses the device sign-in of a user code.
func (o *oauthServer) handleDeviceForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	if err := r.ParseForm(); err != nil {
		o.errorPage(w, http.StatusBadRequest, "The form could not be read.")
		return
	}
	typed, username := r.PostForm.Get("user_code"), r.PostForm.Get("username")
	uc := normalUserCode(typed)
	now := o.s.cfg.Now()
	o.mu.Lock()
	g := o.devices[o.userCode[uc]]
	live := g != nil && now.Before(g.expires) && g.userID == "" && !g.denied
	o.mu.Unlock()
	if !live {
		o.devicePage(w, http.StatusBadRequest, typed, username, "That code is not valid or has expired. Check the code on your device.")
		return
	}
	if r.PostForm.Get("action") != "allow" {
		o.mu.Lock()
		g.denied = true
		o.mu.Unlock()
		o.messagePage(w, http.StatusOK, "Sign-in refused", "Signet on your other device will not be signed in. You can close this page.")
		return
	}
	user, ok, err := o.s.authenticate(username, r.PostForm.Get("password"))
	if err != nil {
		o.s.internalError(w, "checking password", err)
		return
	}
	if !ok {
		o.devicePage(w, http.StatusUnauthorized, typed, username, descWrongCredentials)
		return
	}
	o.mu.Lock()
	g.userID = user.ID
	o.mu.Unlock()
	o.s.log.Info("device sign-in approved", "user", user.ID)
	o.messagePage(w, http.StatusOK, "Device signed in", "Signet on your other device is now signed in. You can close this page.")
}
