package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// An absolute expiry is the server's clock: moved onto the local one by the
// skew the Date header (or else the token's iat) shows; expires_in counts
// from local arrival whatever the server's clock says (design R8).
func TestExpiry_CorrectedForClockSkew(t *testing.T) {
	ahead := testNow.Add(time.Hour) // the server's clock
	behind := testNow.Add(-time.Hour)
	want := testNow.Add(10 * time.Minute)
	jwtAt := func(serverNow time.Time, iat bool) string {
		c := jwt.MapClaims{"exp": serverNow.Add(10 * time.Minute).Unix()}
		if iat {
			c["iat"] = serverNow.Unix()
		}
		return makeJWT(t, c)
	}
	unixAt := func(serverNow time.Time) string {
		return fmt.Sprintf(`{"access_token":"opaque","expires_at":%d}`, serverNow.Add(10*time.Minute).Unix())
	}
	tests := []struct {
		name  string
		date  string // "-": no Date header at all
		body  string
		specs []ExpirySpec
		want  time.Time
	}{
		{"expires_at, server an hour ahead", httpDate(ahead), unixAt(ahead),
			[]ExpirySpec{{Path: "expires_at", Unit: "unix"}}, want},
		{"expires_at rfc3339, server an hour behind", httpDate(behind),
			fmt.Sprintf(`{"access_token":"opaque","expires_at":%q}`, behind.Add(10*time.Minute).Format(time.RFC3339)),
			[]ExpirySpec{{Path: "expires_at", Unit: "rfc3339"}}, want},
		{"JWT exp only, server an hour ahead", httpDate(ahead),
			fmt.Sprintf(`{"access_token":%q}`, jwtAt(ahead, false)), nil, want},
		{"JWT exp, no Date header: iat tells the skew", "-",
			fmt.Sprintf(`{"access_token":%q}`, jwtAt(ahead, true)), nil, want},
		{"JWT exp, unparseable Date: iat tells the skew", "yesterday-ish",
			fmt.Sprintf(`{"access_token":%q}`, jwtAt(ahead, true)), nil, want},
		{"expires_in stays relative to arrival", httpDate(ahead), `{"access_token":"opaque","expires_in":600}`,
			[]ExpirySpec{{Path: "expires_in"}}, want},
		{"a skew under two seconds is noise", httpDate(testNow.Add(time.Second)), unixAt(testNow.Add(time.Second)),
			[]ExpirySpec{{Path: "expires_at", Unit: "unix"}}, want.Add(time.Second)},
		{"unparseable Date and opaque token: as given", "soon", unixAt(ahead),
			[]ExpirySpec{{Path: "expires_at", Unit: "unix"}}, ahead.Add(10 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.date == "-" {
					w.Header()["Date"] = nil // net/http adds none then
				} else {
					w.Header().Set("Date", tt.date)
				}
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprint(w, tt.body)
			}))
			p := simpleProfile(srv.URL)
			p.Login.Tokens.Expiry = tt.specs
			c := newTestClient(t, p)
			res, err := c.Login(context.Background(), "u", "p")
			if err != nil {
				t.Fatal(err)
			}
			tok, err := c.Refresh(context.Background(), "rt")
			if err != nil {
				t.Fatal(err)
			}
			for _, got := range []time.Time{res.Tokens.Expiry, tok.Expiry} {
				if !got.Equal(tt.want) {
					t.Errorf("expiry %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// The same on the real clock: a server an hour ahead, its own Date header.
func TestExpiry_SkewFromARealServerClock(t *testing.T) {
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serverNow := time.Now().Add(time.Hour)
		w.Header().Set("Date", httpDate(serverNow))
		writeJSON(w, 200, map[string]any{"access_token": "opaque", "expires_at": serverNow.Add(10 * time.Minute).Unix()})
	}))
	p := simpleProfile(srv.URL)
	p.Login.Tokens.Expiry = []ExpirySpec{{Path: "expires_at", Unit: "unix"}}
	c := newTestClient(t, p, func(cfg *Config) { cfg.Now = time.Now })
	res, err := c.Login(context.Background(), "u", "p")
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Until(res.Tokens.Expiry) - 10*time.Minute; d.Abs() > 3*time.Second {
		t.Errorf("expiry in %v, want about 10 min", time.Until(res.Tokens.Expiry))
	}
}

func httpDate(t time.Time) string { return t.UTC().Format(http.TimeFormat) }
