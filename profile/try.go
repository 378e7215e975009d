package profile

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tidwall/gjson"

	"signet/api"
)

// TryOptions adjust Try; the zero value is right for the command line.
type TryOptions struct {
	// Transport carries every call (default http.DefaultTransport).
	Transport http.RoundTripper
	// Now is the clock expiries are shown against (default time.Now).
	Now func() time.Time
	// Timeout bounds each call (default the api client's).
	Timeout time.Duration
}

// TryError is why a Try stopped: the step, the profile key most likely
// wrong, and the cause.
type TryError struct {
	Step string
	Key  string
	Err  error
}

func (e *TryError) Error() string {
	return fmt.Sprintf("%s failed: %v (check %s)", e.Step, e.Err, e.Key)
}

func (e *TryError) Unwrap() error { return e.Err }

// Try runs a profile's whole cycle against the real server and writes a
// transcript to out: sign in, what was mapped (expiry and where it came
// from, the user, which tokens exist), the current user, the first page of
// every list, a refresh if the profile has one, the first list again with
// the new token, and sign-out. Secrets are shortened, the password is never
// written, and nothing is stored. It stops at the first failing step and
// returns a *TryError naming it and the profile key most likely wrong;
// once signed in it signs out even then.
func Try(ctx context.Context, p api.Profile, username, password string, out io.Writer) error {
	return TryWith(ctx, p, username, password, out, TryOptions{})
}

// TryWith is Try with options.
func TryWith(ctx context.Context, p api.Profile, username, password string, out io.Writer, o TryOptions) error {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Transport == nil {
		o.Transport = http.DefaultTransport
	}
	rec := &recordingTransport{next: o.Transport}
	c, err := api.New(api.Config{Profile: p, HTTP: &http.Client{Transport: rec}, Timeout: o.Timeout, Now: o.Now})
	if err != nil {
		return &TryError{Step: "checking the profile", Key: "the profile", Err: err}
	}
	t := &trial{c: c, p: c.Profile(), out: out, rec: rec, now: o.Now}
	t.bearer = &http.Client{Transport: &bearerTransport{c: c, next: rec, token: t.currentToken}, CheckRedirect: api.CheckRedirect}
	return t.run(ctx, username, password)
}

type trial struct {
	c      *api.Client
	p      api.Profile
	out    io.Writer
	rec    *recordingTransport
	bearer *http.Client
	now    func() time.Time
	step   int

	mu     sync.Mutex
	tokens api.Tokens
}

func (t *trial) currentToken() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.tokens.AccessToken
}

func (t *trial) setTokens(tok api.Tokens) {
	t.mu.Lock()
	t.tokens = tok
	t.mu.Unlock()
}

func (t *trial) printf(format string, args ...any) {
	_, _ = fmt.Fprintf(t.out, format+"\n", args...)
}

// begin numbers and announces a step.
func (t *trial) begin(format string, args ...any) string {
	t.step++
	name := fmt.Sprintf(format, args...)
	t.printf("%d. %s", t.step, name)
	return name
}

func (t *trial) call() string {
	m, u := t.rec.last()
	if u == nil {
		return ""
	}
	return m + " " + shortURL(u)
}

func (t *trial) fail(step, key string, err error) error {
	if c := t.call(); c != "" {
		t.printf("   %s", c)
	}
	t.printf("   FAILED: %v", err)
	t.printf("   Most likely wrong: %s", key)
	return &TryError{Step: step, Key: key, Err: err}
}

func (t *trial) run(ctx context.Context, username, password string) (err error) {
	t.printf("Trying profile %q at %s. Nothing is stored.", t.p.Name, t.p.BaseURL)
	for _, name := range slices.Sorted(maps.Keys(t.p.Origins)) {
		t.printf("   origin %q: %s", name, t.p.Origins[name])
	}
	t.printf("   the bearer token goes to %s only", strings.Join(t.c.BearerOrigins(), ", "))

	step := t.begin("Sign in as %s", username)
	res, lerr := t.c.Login(ctx, username, password)
	if lerr != nil {
		return t.fail(step, loginKey(lerr), lerr)
	}
	t.printf("   %s → ok", t.call())
	t.setTokens(res.Tokens)
	t.describeTokens("login.tokens", t.p.Login.Tokens, res.Tokens, password)
	if t.p.Login.User == (api.UserPaths{}) {
		t.printf("   user: not read from the sign-in answer (the profile has no [login.user])")
	} else {
		t.printf("   user: %s", userText(res.User, "login.user"))
	}
	defer func() {
		if lerr := t.signOut(ctx); err == nil {
			err = lerr
		}
	}()

	if t.p.Me != nil {
		step := t.begin("Current user")
		u, err := t.c.Me(ctx, t.bearer)
		if err != nil {
			return t.fail(step, statusKey(err, "me.path", "me.user"), err)
		}
		t.printf("   %s → %s", t.call(), userText(u, "me.user"))
	}
	for i := range t.p.Lists {
		if err := t.list(ctx, i, "the first page"); err != nil {
			return err
		}
	}
	if !t.c.HasRefresh() {
		t.printf("   (no [refresh]: when the token dies, the person signs in again)")
		return nil
	}
	step = t.begin("Refresh")
	old := res.Tokens
	fresh, rerr := t.c.RenewTokens(ctx, old)
	if rerr != nil {
		return t.fail(step, refreshKey(rerr, t.p.Refresh), rerr)
	}
	t.printf("   %s → ok", t.call())
	t.setTokens(fresh)
	paths := t.p.Login.Tokens
	if t.p.Refresh.Tokens != nil {
		paths = *t.p.Refresh.Tokens
	}
	t.describeTokens("refresh.tokens", paths, fresh, password)
	switch {
	case fresh.AccessToken == old.AccessToken:
		t.printf("   note: the access token did not change")
	case fresh.RefreshToken != "" && fresh.RefreshToken == old.RefreshToken:
		t.printf("   the refresh token was kept (not rotated)")
	case fresh.RefreshToken != "":
		t.printf("   the refresh token was rotated")
	}
	if len(t.p.Lists) > 0 {
		return t.list(ctx, 0, "again with the new token")
	}
	return nil
}

// describeTokens writes what a sign-in or refresh mapped.
func (t *trial) describeTokens(where string, paths api.TokenPaths, tok api.Tokens, password string) {
	t.printf("   access token: %s (%s)", shorten(tok.AccessToken), where+".access_token")
	if tok.RefreshToken != "" {
		t.printf("   refresh token: %s", shorten(tok.RefreshToken))
	} else {
		t.printf("   refresh token: none")
	}
	_, body := t.rec.lastBody()
	source := api.ExpirySource(paths, body, tok.AccessToken)
	if tok.Expiry.IsZero() {
		t.printf("   expiry: %s", source)
		return
	}
	t.printf("   expiry: %s, in %s, %s", tok.Expiry.UTC().Format(time.RFC3339), tok.Expiry.Sub(t.now()).Round(time.Second), source)
}

func (t *trial) list(ctx context.Context, i int, what string) error {
	l := t.p.Lists[i]
	step := t.begin("List %q, %s", l.Name, what)
	page, err := t.c.FetchList(ctx, t.bearer, l.Name, 0, 0, "")
	key := fmt.Sprintf("lists[%d]", i)
	if err != nil {
		return t.fail(step, listKey(err, key), err)
	}
	total := "the server does not say how many in all"
	if page.Total >= 0 {
		total = strconv.Itoa(page.Total) + " in all"
	}
	t.printf("   %s → %d items, %s", t.call(), len(page.Items), total)
	if len(page.Items) == 0 {
		t.printf("   (empty: if there should be rows, check %s.items_path and the account's permissions)", key)
		return nil
	}
	first := page.Items[0]
	if !gjson.GetBytes(first.Raw, l.TitleField).Exists() {
		return t.fail(step, key+".title_field", fmt.Errorf("the items have no %q", l.TitleField))
	}
	t.printf("   first: %q", first.Title)
	return nil
}

func (t *trial) signOut(ctx context.Context) error {
	step := t.begin("Sign out")
	if t.p.Logout == nil {
		t.printf("   no [logout]: the tokens are simply forgotten")
		return nil
	}
	t.mu.Lock()
	tok := t.tokens
	t.mu.Unlock()
	if err := t.c.Logout(ctx, tok); err != nil {
		return t.fail(step, "logout", err)
	}
	t.printf("   %s → ok", t.call())
	return nil
}

func userText(u api.User, key string) string {
	if u == (api.User{}) {
		return "nothing mapped (" + key + " paths found nothing)"
	}
	var parts []string
	for _, f := range [][2]string{{"id", u.ID}, {"name", u.Name}, {"email", u.Email}} {
		if f[1] != "" {
			parts = append(parts, f[0]+" "+strconv.Quote(f[1]))
		}
	}
	return strings.Join(parts, ", ")
}

// shorten shows enough of a secret to tell two apart, never all of it.
func shorten(s string) string {
	if len(s) <= 12 {
		return fmt.Sprintf("…(%d chars)", len(s))
	}
	return fmt.Sprintf("%s…%s (%d chars)", s[:4], s[len(s)-2:], len(s))
}

// shortURL is u without its query values, which may hold an API key.
func shortURL(u *url.URL) string {
	s := u.Scheme + "://" + u.Host + u.EscapedPath()
	if u.RawQuery == "" {
		return s
	}
	q := u.Query()
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(q)) {
		v := q.Get(k)
		if len(v) > 12 {
			v = shorten(v)
		}
		parts = append(parts, k+"="+v)
	}
	return s + "?" + strings.Join(parts, "&")
}
