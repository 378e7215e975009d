package api

import (
	"net/http"
	"time"
)

// minSkew: a Date header has whole seconds, and an answer takes a moment to
// arrive; a smaller difference between the clocks is noise, not skew.
const minSkew = 2 * time.Second

// clockSkew is how far this machine's clock runs ahead of the server's when
// an answer arrived at local time at (negative: behind). The server's "now"
// is the answer's Date header, or, without a usable one, the iat claim of
// the access token when it is a JWT. Unknown or under minSkew is zero, so an
// absolute expiry is then taken as given.
func clockSkew(at time.Time, date, accessToken string) time.Duration {
	latest := at.Add(maxLifetime)
	server, err := http.ParseTime(date)
	if err != nil || server.Before(earliestExpiry) || server.After(latest) {
		var ok bool
		if server, ok = jwtIssuedAt(accessToken, latest); !ok {
			return 0
		}
	}
	skew := at.Sub(server)
	if skew.Abs() < minSkew {
		return 0
	}
	return skew
}
