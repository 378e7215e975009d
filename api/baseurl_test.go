package api

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		raw      string
		ok       bool
		insecure bool
	}{
		{"https://api.example.com", true, false},
		{"https://api.example.com/v1/", true, false},
		{"http://localhost:8080", true, false},
		{"http://LOCALHOST.", true, false},
		{"http://127.0.0.1:9999/api", true, false},
		{"http://127.8.9.10", true, false},
		{"http://[::1]:8080", true, false},
		{"http://api.example.com", false, true},
		{"http://10.0.0.5", false, true},
		{"http://localhost.evil.example", false, true},
		{"http://[::ffff:8.8.8.8]", false, true},
		{"ftp://localhost", false, false},
		{"api.example.com", false, false},
		{"https://", false, false},
		{"https://user:pw@api.example.com", false, false},
		{"https://api.example.com/?x=1", false, false},
		{"https://api.example.com/#frag", false, false},
		{"", false, false},
		{"https://api.example.com/%zz", false, false},
		{"https://api.example.com:1", true, false},
		{"https://api.example.com:65535", true, false},
		{"http://127.0.0.1:8080", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			err := CheckBaseURL(tt.raw)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckBaseURL = %v, want ok=%v", err, tt.ok)
			}
			if errors.Is(err, ErrInsecureBaseURL) != tt.insecure {
				t.Errorf("errors.Is(ErrInsecureBaseURL) = %v", !tt.insecure)
			}
			if err != nil && strings.Contains(err.Error(), "pw@") {
				t.Errorf("message shows user info: %q", err)
			}
		})
	}
}

func TestCheckBaseURL_ImpossiblePortsAreRefused(t *testing.T) {
	for _, raw := range []string{
		"https://api.example.com:0", "http://127.0.0.1:0", "http://[::1]:0/api", "https://api.example.com:00",
		"https://api.example.com:65536", "https://api.example.com:99999", "https://api.example.com:4294967297",
		"https://api.example.com:",
	} {
		err := CheckBaseURL(raw)
		if err == nil || !strings.Contains(err.Error(), "port number") {
			t.Errorf("CheckBaseURL(%q) = %v, want the port named", raw, err)
		}
		if _, err := New(Config{Profile: DemoProfile(raw)}); err == nil {
			t.Errorf("New accepted %q", raw)
		}
	}
}

func TestNew_RefusesPlainHTTPToARemoteHost(t *testing.T) {
	_, err := New(Config{Profile: DemoProfile("http://demo.example.com")})
	if !errors.Is(err, ErrInsecureBaseURL) || !strings.Contains(err.Error(), "use https") {
		t.Fatalf("New = %v, want the https rule in words", err)
	}
}

func TestNew_RefusesUnusableProfiles(t *testing.T) {
	tests := map[string]func(*Profile){
		"no access token path": func(p *Profile) { p.Login.Tokens.AccessToken = "" },
		"unknown encoding":     func(p *Profile) { p.Login.Encoding = "xml" },
		"unknown unit":         func(p *Profile) { p.Login.Tokens.Expiry = []ExpirySpec{{Path: "e", Unit: "hours"}} },
		"unknown paging":       func(p *Profile) { p.Lists[0].Paging.Style = "cursor" },
		"duplicate list":       func(p *Profile) { p.Lists = append(p.Lists, p.Lists[0]) },
		"bad header name":      func(p *Profile) { p.Login.Headers = map[string]string{"X Bad": "v"} },
		"bad method":           func(p *Profile) { p.Login.Method = "PO ST" },
		"bad expired status":   func(p *Profile) { p.ExpiredStatuses = []int{4010} },
	}
	for name, mod := range tests {
		t.Run(name, func(t *testing.T) {
			p := DemoProfile("https://api.example.com")
			mod(&p)
			if _, err := New(Config{Profile: p}); err == nil {
				t.Error("New accepted it")
			}
		})
	}
}

func TestClient_ProfileIsACopy(t *testing.T) {
	p := DemoProfile("https://api.example.com")
	c, err := New(Config{Profile: p})
	if err != nil {
		t.Fatal(err)
	}
	p.Login.Body["username"] = "changed by the caller"
	got := c.Profile()
	got.Login.Body["password"] = "changed by a reader"
	got.Lists[0].Name = "renamed"
	again := c.Profile()
	if again.Login.Body["username"] != "{username}" || again.Login.Body["password"] != "{password}" || again.Lists[0].Name != "Items" {
		t.Errorf("the client's profile changed: %v %q", again.Login.Body, again.Lists[0].Name)
	}
}

func TestJoinURL(t *testing.T) {
	tests := []struct{ base, path, want string }{
		{"https://h", "/auth/login", "https://h/auth/login"},
		{"https://h/", "auth/login", "https://h/auth/login"},
		{"https://h/api/v1/", "/token?grant_type=password", "https://h/api/v1/token?grant_type=password"},
		{"https://h/oauth/token", "?grant_type=password", "https://h/oauth/token?grant_type=password"},
		{"https://h", "?a=1", "https://h/?a=1"},
		{"https://h/base", "", "https://h/base"},
		{"https://h", "//evil.example/x", "https://h/evil.example/x"},
		{"https://h", "/@evil.example", "https://h/@evil.example"},
	}
	for _, tt := range tests {
		b, _ := url.Parse(tt.base)
		got, err := joinURL(b, tt.path)
		if err != nil || got.String() != tt.want {
			t.Errorf("joinURL(%q, %q) = %v, %v; want %q", tt.base, tt.path, got, err, tt.want)
		}
	}
}
