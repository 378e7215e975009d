package keychain

import (
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/godbus/dbus/v5"
	"github.com/zalando/go-keyring"
)

func TestOS_MapsBackendErrors(t *testing.T) {
	serviceUnknown := dbus.Error{
		Name: "org.freedesktop.DBus.Error.ServiceUnknown",
		Body: []any{"The name org.freedesktop.secrets was not provided by any .service files"},
	}
	boom := errors.New("boom")
	for _, tc := range []struct {
		name        string
		err         error
		unavailable bool
	}{
		{"no Secret Service", serviceUnknown, true},
		{"D-Bus error by pointer", dbus.NewError("org.freedesktop.DBus.Error.NoReply", nil), true},
		{"locked collection", dbus.Error{Name: "org.freedesktop.Secret.Error.IsLocked"}, true},
		{"prompt dismissed", errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"), true},
		{"bus socket gone", &net.OpError{Op: "dial", Net: "unix", Err: errors.New("connect: no such file or directory")}, true},
		{"no bus address", errors.New("dbus: couldn't determine address of session bus"), true},
		{"connection closed", dbus.ErrClosed, true},
		{"anything else", boom, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, b, _ := newTestOS(Options{})
			for _, call := range []string{"get k", "set k", "delete k"} {
				b.fail(call, tc.err)
			}
			_, getErr := s.Get("k")
			for op, err := range map[string]error{"get": getErr, "set": s.Set("k", "v"), "delete": s.Delete("k")} {
				if got := errors.Is(err, ErrUnavailable); got != tc.unavailable {
					t.Errorf("%s: errors.Is(%v, ErrUnavailable) = %v, want %v", op, err, got, tc.unavailable)
				}
				if !keepsCause(err, tc.err) {
					t.Errorf("%s: error %v does not keep its cause %v", op, err, tc.err)
				}
				if errors.Is(err, ErrNotFound) {
					t.Errorf("%s: error %v is ErrNotFound", op, err)
				}
			}
		})
	}
}

// keepsCause reports whether err wraps cause. A dbus.Error is not
// comparable (its Body is a slice), so errors.Is cannot find it; match it by
// name instead.
func keepsCause(err, cause error) bool {
	var want dbus.Error
	if errors.As(cause, &want) {
		var got dbus.Error
		return errors.As(err, &got) && got.Name == want.Name
	}
	return errors.Is(err, cause)
}

func TestOS_UnavailableKeepsTheDBusErrorForCallers(t *testing.T) {
	s, b, _ := newTestOS(Options{})
	b.fail("get k", dbus.Error{Name: "org.freedesktop.DBus.Error.ServiceUnknown"})
	_, err := s.Get("k")
	var de dbus.Error
	if !errors.As(err, &de) || de.Name != "org.freedesktop.DBus.Error.ServiceUnknown" {
		t.Fatalf("errors.As(%v, dbus.Error) = %v, %q", err, errors.As(err, &de), de.Name)
	}
}

func TestOS_NotFoundFromLibraryIsBareErrNotFound(t *testing.T) {
	s, b, _ := newTestOS(Options{})
	b.fail("get k", keyring.ErrNotFound)
	if _, err := s.Get("k"); err != ErrNotFound {
		t.Fatalf("Get error = %v, want ErrNotFound itself", err)
	}
}

func TestOS_ErrorsNeverQuoteTheValue(t *testing.T) {
	const secret = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.sig"
	for _, tc := range []struct {
		name      string
		chunkSize int
		value     string
		failCall  string
	}{
		{"inline", 0, secret, "set k"},
		{"chunk", 16, secret + secret, "set k#2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, b, _ := newTestOS(Options{ChunkSize: tc.chunkSize})
			b.echo = true
			b.fail(tc.failCall, errors.New("denied"))
			err := s.Set("k", tc.value)
			if err == nil {
				t.Fatal("Set succeeded, want the injected failure")
			}
			for _, part := range append(splitChunks(tc.value, 16), tc.value) {
				if strings.Contains(err.Error(), part) {
					t.Fatalf("error quotes the value: %v", err)
				}
			}
			if !strings.Contains(err.Error(), "[redacted]") {
				t.Fatalf("error %q lost the rest of the cause's text", err)
			}
		})
	}
}

func TestOS_PanicInLibraryIsUnavailable(t *testing.T) {
	s, b, _ := newTestOS(Options{})
	b.onCall = func(string) { panic("interface conversion: interface {} is nil, not bool") }
	_, err := s.Get("k")
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("Get error = %v, want ErrUnavailable saying the library panicked", err)
	}
	b.onCall = nil
	mustSet(t, s, "k", "v") // the keychain is free again
}
