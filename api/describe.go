package api

import (
	"fmt"

	"github.com/tidwall/gjson"
)

// ExpirySource says, for a person checking a profile, where the expiry of a
// sign-in or refresh answer came from, as mapTokens decides it (R8): the
// first expiry path present in body, else the access token's JWT exp
// claim, else nowhere.
func ExpirySource(paths TokenPaths, body []byte, accessToken string) string {
	if checkJSON(body) == nil {
		for _, s := range paths.Expiry {
			if v := gjson.GetBytes(body, s.Path); v.Exists() && v.Type != gjson.Null {
				u, _ := expiryUnit(s.Unit)
				return fmt.Sprintf("from %q (%s)", s.Path, u.Label)
			}
		}
	}
	if _, ok := jwtClaimSeconds(accessToken, "exp"); ok {
		return "from the access token's JWT exp claim"
	}
	if len(paths.Expiry) > 0 {
		return "unknown: none of the expiry paths is in the answer, and the token is not a JWT with exp"
	}
	return "unknown: the profile names no expiry and the token is not a JWT with exp; expired statuses alone drive renewal"
}
