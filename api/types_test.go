package api

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// Every way a Tokens value can be printed or logged hides every secret,
// the ID token of a browser sign-in included.
func TestTokensNeverPrintSecrets(t *testing.T) {
	tok := Tokens{AccessToken: "acc-secret", RefreshToken: "ref-secret", IDToken: "id-secret", TokenType: "Bearer"}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "tokens", tok)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("x", "tokens", tok)
	out := fmt.Sprintf("%v %+v %#v %s", tok, tok, tok, tok) + logs.String()
	for _, secret := range []string{"acc-secret", "ref-secret", "id-secret"} {
		if strings.Contains(out, secret) {
			t.Fatalf("a secret was printed: %s", out)
		}
	}
}
