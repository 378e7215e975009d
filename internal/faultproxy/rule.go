package faultproxy

import (
	"net/http"
	"time"
)

// Action is what the proxy does with a request that matches a Rule.
type Action int

const (
	// Pass forwards the request to the upstream server.
	Pass Action = iota
	// Respond answers with Rule.Status, Rule.Header and Rule.Body.
	Respond
	// Hang holds the request open without answering until the client
	// gives up (closes the connection or cancels) or the proxy stops.
	Hang
	// Drop closes the TCP connection abruptly, before any response byte:
	// the client sees a reset or an unexpected EOF.
	Drop
	// Malformed answers 200 application/json with a body that is not JSON.
	Malformed
	// Large answers 200 application/json with Rule.Size bytes: a JSON
	// string that is valid if read whole, so only a size cap stops it.
	Large
)

func (a Action) String() string {
	switch a {
	case Pass:
		return "pass"
	case Respond:
		return "respond"
	case Hang:
		return "hang"
	case Drop:
		return "drop"
	case Malformed:
		return "malformed"
	case Large:
		return "large"
	}
	return "unknown"
}

// Rule says how the proxy treats requests for one path. The zero Rule
// passes requests through.
type Rule struct {
	Action Action
	// Delay is waited before the action (pass-through included). A client
	// that gives up during the delay ends it early.
	Delay time.Duration

	// Status, Header and Body make the answer of Respond (Status
	// defaults to 200).
	Status int
	Header http.Header
	Body   string

	// Size is the body length of Large, in bytes.
	Size int64

	// Times limits the rule to the next Times matching requests; after
	// that the path passes through again. Zero means until replaced.
	Times int
}

// PassThrough forwards requests unchanged.
func PassThrough() Rule { return Rule{Action: Pass} }

// Status answers code with body; a body that looks like JSON is sent as
// application/json.
func Status(code int, body string) Rule {
	h := http.Header{}
	if len(body) > 0 && (body[0] == '{' || body[0] == '[' || body[0] == '"') {
		h.Set("Content-Type", "application/json")
	}
	return Rule{Action: Respond, Status: code, Body: body, Header: h}
}

// JSON answers 200 with body as application/json.
func JSON(body string) Rule { return Status(http.StatusOK, body) }

// Delayed waits d, then passes the request through.
func Delayed(d time.Duration) Rule { return Rule{Action: Pass, Delay: d} }

// HangUp never answers; the client must time out.
func HangUp() Rule { return Rule{Action: Hang} }

// CloseConn closes the connection abruptly.
func CloseConn() Rule { return Rule{Action: Drop} }

// MalformedJSON answers 200 with a body that is not JSON.
func MalformedJSON() Rule { return Rule{Action: Malformed} }

// LargeBody answers 200 with a body of mb mebibytes.
func LargeBody(mb int) Rule { return Rule{Action: Large, Size: int64(mb) << 20} }

// After returns r with a delay of d before its action.
func (r Rule) After(d time.Duration) Rule { r.Delay = d; return r }

// Only returns r limited to the next n matching requests.
func (r Rule) Only(n int) Rule { r.Times = n; return r }
