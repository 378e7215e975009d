package api

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// DefaultExpiryUnit is the unit of an ExpirySpec that names none.
const DefaultExpiryUnit = "seconds"

// ExpiryUnit is one way a server gives a token's expiry (ExpirySpec.Unit).
type ExpiryUnit struct {
	// Name is how a profile spells it.
	Name string
	// Label says it for people ("seconds from now").
	Label string
	// read turns the value at the expiry path into a local time (R8).
	read func(v gjson.Result, arr arrival) (time.Time, bool)
}

// expiryUnits is the one table of units: the profile validator, the parser
// and the screens that describe a profile all read it.
var expiryUnits = []ExpiryUnit{
	{DefaultExpiryUnit, "seconds from now", relative(time.Second)},
	{"milliseconds", "milliseconds from now", relative(time.Millisecond)},
	{"unix", "Unix time", absolute(1)},
	{"unix_ms", "Unix time in milliseconds", absolute(1000)},
	{"rfc3339", "RFC 3339 time", rfc3339Expiry},
}

// ExpiryUnits lists the units an expiry may be given in, the default first.
func ExpiryUnits() []ExpiryUnit { return slices.Clone(expiryUnits) }

// ExpiryUnitNames are the units' names, the default first.
func ExpiryUnitNames() []string {
	names := make([]string, len(expiryUnits))
	for i, u := range expiryUnits {
		names[i] = u.Name
	}
	return names
}

// expiryUnit finds a unit by its exact name; "" is the default.
func expiryUnit(name string) (ExpiryUnit, bool) {
	if name == "" {
		name = DefaultExpiryUnit
	}
	i := slices.IndexFunc(expiryUnits, func(u ExpiryUnit) bool { return u.Name == name })
	if i < 0 {
		return ExpiryUnit{}, false
	}
	return expiryUnits[i], true
}

// maxLifetime is the longest access-token lifetime taken at its word. A
// longer one is a unit mistake (milliseconds read as seconds) or a server's
// way of saying "never"; either way treating the expiry as unknown, so that
// a 401 drives the refresh, is safer than trusting it.
const maxLifetime = 10 * 365 * 24 * time.Hour

// earliestExpiry: an absolute expiry before this is not a time but a
// placeholder (0, a small counter) and is ignored.
var earliestExpiry = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// arrival is when an answer came, by the local clock, and how far the local
// clock runs ahead of the server's (negative: behind; zero when unknown or
// too small to tell).
type arrival struct {
	at   time.Time
	skew time.Duration
}

// expiryFromBody applies rule R8 to the body: the first ExpirySpec whose
// value is present and sensible wins. A relative value counts from the
// local arrival time, so a server with a wrong clock cannot shorten or
// stretch the session; zero or negative means already expired. An absolute
// value is the server's clock, moved onto the local one by the skew.
func expiryFromBody(root gjson.Result, specs []ExpirySpec, arr arrival) (time.Time, bool) {
	for _, s := range specs {
		v := root.Get(s.Path)
		if !v.Exists() || v.Type == gjson.Null {
			continue
		}
		if t, ok := expiryValue(v, s.Unit, arr); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

func expiryValue(v gjson.Result, unit string, arr arrival) (time.Time, bool) {
	u, ok := expiryUnit(unit)
	if !ok {
		return time.Time{}, false
	}
	return u.read(v, arr)
}

// relative reads a number of units from the local arrival time.
func relative(unit time.Duration) func(gjson.Result, arrival) (time.Time, bool) {
	return func(v gjson.Result, arr arrival) (time.Time, bool) {
		n, ok := number(v)
		if !ok {
			return time.Time{}, false
		}
		return relativeExpiry(n, unit, arr.at)
	}
}

// absolute reads a time since 1970 in seconds divided by perSecond.
func absolute(perSecond float64) func(gjson.Result, arrival) (time.Time, bool) {
	return func(v gjson.Result, arr arrival) (time.Time, bool) {
		n, ok := number(v)
		if !ok {
			return time.Time{}, false
		}
		return absoluteSeconds(n/perSecond, arr)
	}
}

func rfc3339Expiry(v gjson.Result, arr arrival) (time.Time, bool) {
	if v.Type != gjson.String {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v.Str))
	if err != nil {
		return time.Time{}, false
	}
	return absoluteExpiry(t, arr)
}

func relativeExpiry(n float64, unit time.Duration, at time.Time) (time.Time, bool) {
	if n <= 0 {
		return at, true // "expires_in": 0 is already expired, not "never"
	}
	if n > float64(maxLifetime/unit) {
		return time.Time{}, false
	}
	return at.Add(time.Duration(n * float64(unit))), true
}

func absoluteSeconds(sec float64, arr arrival) (time.Time, bool) {
	t, ok := unixSeconds(sec, arr.at.Add(maxLifetime).Add(-arr.skew))
	if !ok {
		return time.Time{}, false
	}
	return absoluteExpiry(t, arr)
}

// unixSeconds converts seconds since 1970 to a time between earliestExpiry
// and latest, range-checked before converting: int64(1e300) is not a time.
func unixSeconds(sec float64, latest time.Time) (time.Time, bool) {
	if sec < float64(earliestExpiry.Unix()) || sec > float64(latest.Unix()) {
		return time.Time{}, false
	}
	whole, frac := math.Modf(sec)
	return time.Unix(int64(whole), int64(frac*1e9)), true
}

// absoluteExpiry moves t, a time by the server's clock, onto the local one.
func absoluteExpiry(t time.Time, arr arrival) (time.Time, bool) {
	if t.Before(earliestExpiry) {
		return time.Time{}, false
	}
	t = t.Add(arr.skew)
	if t.After(arr.at.Add(maxLifetime)) {
		return time.Time{}, false
	}
	return t, true
}

// number reads a JSON number, or a string holding a plain decimal number
// ("3600", "1.5e3"): some servers quote every value. NaN, infinities and hex
// are refused.
func number(v gjson.Result) (float64, bool) {
	switch v.Type {
	case gjson.Number:
		return v.Num, !math.IsNaN(v.Num) && !math.IsInf(v.Num, 0)
	case gjson.String:
		s := strings.TrimSpace(v.Str)
		if s == "" || strings.Trim(s, "0123456789.eE+-") != "" {
			return 0, false
		}
		n, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return 0, false
		}
		return n, true
	}
	return 0, false
}
