package reliability

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"signet/demo"
	"signet/internal/faultproxy"
	"signet/session"
)

// TestSecrets_NeverInLogsPreferencesOrErrors runs a whole session (sign in,
// renew, a failed renewal, restart, renew, sign out) with debug logging and
// checks that no token, refresh token, password or Authorization value
// shows up in the log, the preferences or any error the UI could show.
func TestSecrets_NeverInLogsPreferencesOrErrors(t *testing.T) {
	r := newRig(t, rigOpts{})
	var secrets []string
	collect := func() { // every token pair the keychain ever held
		v := r.stored()
		if v == "" {
			return
		}
		var e map[string]any
		if err := json.Unmarshal([]byte(v), &e); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"access_token", "refresh_token"} {
			if s, _ := e[k].(string); s != "" {
				secrets = append(secrets, s)
			}
		}
	}
	var shown []string // every error text the UI could show
	seen := func(c *session.Controller, err error) {
		if err != nil {
			shown = append(shown, err.Error())
		}
		if s := c.Snapshot(); s.Err != nil {
			shown = append(shown, s.Err.Error(), s.Notice)
		}
	}

	c := r.start()
	// A wrong password first: the error for the form must not echo it.
	seen(c, c.SignIn(context.Background(), demo.DemoUsername, "wrong-"+demo.DemoPassword))
	seen(c, c.SignIn(context.Background(), demo.DemoUsername, demo.DemoPassword))
	collect()
	seen(c, fetch(c))
	r.clock.Advance(renewAfter)
	collect()
	seen(c, fetch(c))
	// A refused renewal whose error body quotes the token back.
	r.proxy.Set("/auth/refresh", faultproxy.Status(500, `{"message":"bad token `+secrets[len(secrets)-1]+`"}`).Only(1))
	r.clock.Advance(renewAfter)
	seen(c, fetch(c))
	r.clock.Advance(8 * 1e9) // the background retry succeeds
	collect()
	c.Close()

	c = r.start() // restart
	seen(c, fetch(c))
	r.clock.Advance(renewAfter)
	collect()
	seen(c, fetch(c))
	c.SignOut(context.Background())
	c.Close()

	for _, path := range []string{"/auth/login", "/auth/refresh", "/auth/logout", "/api/items"} {
		for _, a := range r.proxy.Authorizations(path) {
			if a != "" {
				secrets = append(secrets, a, strings.TrimPrefix(a, "Bearer "))
			}
		}
	}
	secrets = append(secrets, demo.DemoPassword)
	if len(secrets) < 8 {
		t.Fatalf("only %d secrets collected; the session did not run as planned", len(secrets))
	}
	logs := r.logs.String()
	if !strings.Contains(logs, "level=DEBUG") {
		t.Fatal("no debug lines were logged; the check would prove nothing")
	}
	prefs, _ := json.Marshal(r.prefs.All())
	places := map[string]string{"log": logs, "preferences": string(prefs), "errors": strings.Join(shown, "\n")}
	for where, text := range places {
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("a secret (%d bytes) appears in the %s", len(s), where)
			}
		}
	}
	if os.Getenv("SIGNET_SHOW_LOG") == "1" { // for a person checking the log by eye
		t.Log(logs)
	}
}
