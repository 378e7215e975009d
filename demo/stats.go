package demo

import "sync/atomic"

// Stats is a snapshot of what the server has answered since it opened (or
// since ResetStats). Tests use it to see what the client really did, e.g.
// that a list was fetched with a renewed token.
type Stats struct {
	Logins        int64 `json:"logins"`         // successful sign-ins
	LoginFailures int64 `json:"login_failures"` // wrong username or password
	Refreshes     int64 `json:"refreshes"`      // successful rotations
	// RefreshRefused counts refreshes answered invalid_grant: unknown,
	// expired, revoked or reused tokens.
	RefreshRefused int64 `json:"refresh_refused"`
	// RefreshReuse counts the refused refreshes that presented a
	// rotated-away token and so revoked their session.
	RefreshReuse int64 `json:"refresh_reuse"`
	// Unauthorized counts 401s answered on the protected endpoints.
	Unauthorized int64 `json:"unauthorized"`
	ListCalls    int64 `json:"list_calls"` // list pages served
	// ListCallsRenewed counts list pages served to an access token that
	// came from a refresh rather than from sign-in.
	ListCallsRenewed int64 `json:"list_calls_renewed"`
	MeCalls          int64 `json:"me_calls"`
	Logouts          int64 `json:"logouts"`
}

type counters struct {
	logins, loginFailures, refreshes, refreshRefused, refreshReuse atomic.Int64
	unauthorized, listCalls, listCallsRenewed, meCalls, logouts    atomic.Int64
}

func (c *counters) all() []*atomic.Int64 {
	return []*atomic.Int64{&c.logins, &c.loginFailures, &c.refreshes, &c.refreshRefused, &c.refreshReuse,
		&c.unauthorized, &c.listCalls, &c.listCallsRenewed, &c.meCalls, &c.logouts}
}

func (c *counters) snapshot() Stats {
	return Stats{
		Logins: c.logins.Load(), LoginFailures: c.loginFailures.Load(),
		Refreshes: c.refreshes.Load(), RefreshRefused: c.refreshRefused.Load(), RefreshReuse: c.refreshReuse.Load(),
		Unauthorized: c.unauthorized.Load(), ListCalls: c.listCalls.Load(), ListCallsRenewed: c.listCallsRenewed.Load(),
		MeCalls: c.meCalls.Load(), Logouts: c.logouts.Load(),
	}
}

func (c *counters) reset() {
	for _, v := range c.all() {
		v.Store(0)
	}
}
