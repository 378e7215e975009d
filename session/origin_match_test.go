package session

import (
	"net/url"
	"testing"

	"signet/api"
)

// isOrigin must answer exactly as comparing api.Origin would: the
// Transport's origin restriction (design R12) rests on it.
var originCases = []string{
	"http://127.0.0.1:8080/api/items",
	"HTTP://Example.COM/x",
	"https://example.com",
	"https://example.com:443/",
	"https://example.com:0443/",
	"http://example.com:80",
	"http://example.com:8080",
	"http://example.com:",
	"https://[::1]:8443/a",
	"https://[::1]/a",
	"https://[FE80::1%25en0]:99/",
	"ftp://example.com/",
	"ftp://example.com:21/",
	"https://user:pw@example.com/",
	"https://example.com:99999999999999999999999/",
	"https://exämple.com/",
	"https://EXAMPLE.com.evil.org/",
	"https://example.com.:443/",
	"file:///etc/passwd",
	"//example.com/",
}

func TestIsOrigin_AgreesWithAPIOrigin(t *testing.T) {
	for _, raw := range originCases {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		for _, other := range originCases {
			v, _ := url.Parse(other)
			checkIsOrigin(t, u, api.Origin(v))
		}
	}
}

// FuzzIsOrigin compares isOrigin with api.Origin on any URL, against its
// own origin, the origin of a second URL and an arbitrary string.
func FuzzIsOrigin(f *testing.F) {
	for i, raw := range originCases {
		f.Add(raw, originCases[(i+1)%len(originCases)], "https://example.com:443")
	}
	f.Fuzz(func(t *testing.T, raw, other, origin string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		checkIsOrigin(t, u, origin)
		checkIsOrigin(t, u, api.Origin(u))
		if v, err := url.Parse(other); err == nil {
			checkIsOrigin(t, u, api.Origin(v))
		}
	})
}

func checkIsOrigin(t *testing.T, u *url.URL, origin string) {
	t.Helper()
	if got, want := isOrigin(u, origin), api.Origin(u) == origin; got != want {
		t.Errorf("isOrigin(%q, %q) = %v, api.Origin gives %q", u, origin, got, api.Origin(u))
	}
}

func TestIsOrigin_AllocatesNothing(t *testing.T) {
	u, _ := url.Parse("https://api.example.com/v1/items")
	origin := api.Origin(u)
	if n := testing.AllocsPerRun(100, func() {
		if !isOrigin(u, origin) {
			t.Fatal("no match")
		}
	}); n != 0 {
		t.Errorf("isOrigin allocates %v times per call", n)
	}
}
