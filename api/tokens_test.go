package api

import (
	"context"
	"strings"
	"testing"
)

// A token that is not valid text would be stored changed (U+FFFD) and
// differ after a restart: refused at sign-in and refresh, never quoted.
func TestTokens_InvalidUTF8IsRefusedNotChanged(t *testing.T) {
	const want = "The server sent a token Signet can't store (it is not valid text)."
	tests := []struct {
		name, body string
		ok         bool
	}{
		{"raw invalid byte in the access token", "{\"access_token\":\"sec\xffret-Zq81\"}", false},
		{"escaped lone surrogate in the access token", `{"access_token":"sec\ud800ret-Zq81"}`, false},
		{"raw invalid byte in the refresh token", "{\"access_token\":\"a\",\"refresh_token\":\"r\xc3(Zq81\"}", false},
		{"escaped lone surrogate in the refresh token", `{"access_token":"a","refresh_token":"r\udc00Zq81"}`, false},
		{"non-ASCII text is fine", `{"access_token":"tök€n-Zq81","refresh_token":"r\u00e9"}`, true},
		{"a replacement character the server wrote is fine", `{"access_token":"a\ufffdb-Zq81"}`, true},
		{"an escaped surrogate pair is fine", `{"access_token":"a\ud83d\ude00b-Zq81"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, &recorder{body: tt.body})
			c := newTestClient(t, simpleProfile(srv.URL))
			_, lerr := c.Login(context.Background(), "u", "p")
			_, rerr := c.Refresh(context.Background(), "rt")
			for _, err := range []error{lerr, rerr} {
				if tt.ok {
					if err != nil {
						t.Errorf("err = %v", err)
					}
					continue
				}
				e := wantKind(t, err, KindMalformed)
				if e.Error() != want || strings.Contains(e.Error(), "Zq81") {
					t.Errorf("text %q, want %q", e.Error(), want)
				}
			}
		})
	}
}
