package session

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
)

// Redacted replaces a secret in a log record.
const Redacted = "[redacted]"

// secretKeys are the attribute-key fragments whose values are never logged.
var secretKeys = []string{"token", "password", "secret", "authorization", "cookie"}

var (
	jwtLike    = regexp.MustCompile(`eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)
	bearerLike = regexp.MustCompile(`(?i)\bbearer\s+[A-Za-z0-9\-._~+/]+=*`)
)

// NewRedactingHandler wraps next so that no secret reaches it (rule R13):
// values of attributes whose key contains token, password, secret,
// authorization or cookie (in any case, at any group depth) become
// "[redacted]", and anything shaped like a JWT or a "Bearer …" credential is
// cut out of the message and of every string value. Every secret in known
// (the tokens a session holds, however short and opaque) is cut out too. It
// is the safety net; the code that logs is still expected not to pass
// secrets at all.
func NewRedactingHandler(next slog.Handler, known ...*Secrets) slog.Handler {
	return &redactingHandler{next: next, known: known}
}

type redactingHandler struct {
	next  slog.Handler
	known []*Secrets
}

func (h *redactingHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, h.scrub(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.redactAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactingHandler) WithAttrs(as []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(as))
	for i, a := range as {
		clean[i] = h.redactAttr(a)
	}
	return &redactingHandler{next: h.next.WithAttrs(clean), known: h.known}
}

func (h *redactingHandler) WithGroup(name string) slog.Handler {
	return &redactingHandler{next: h.next.WithGroup(name), known: h.known}
}

// scrub cuts credentials, by shape and the known ones, out of free text.
func (h *redactingHandler) scrub(s string) string {
	s = scrub(s)
	for _, k := range h.known {
		s = k.Scrub(s)
	}
	return s
}

func (h *redactingHandler) redactAttr(a slog.Attr) slog.Attr {
	if secretKey(a.Key) {
		return slog.String(a.Key, Redacted)
	}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		g := v.Group()
		clean := make([]any, len(g))
		for i, ga := range g {
			clean[i] = h.redactAttr(ga)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindString:
		return slog.String(a.Key, h.scrub(v.String()))
	case slog.KindAny:
		// Errors, Stringers and the like: judge them by their text, and
		// replace them with the cleaned text only when it differed.
		s := fmt.Sprint(v.Any())
		if c := h.scrub(s); c != s {
			return slog.String(a.Key, c)
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

func secretKey(k string) bool {
	k = strings.ToLower(k)
	for _, s := range secretKeys {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// scrub cuts credentials out of free text.
func scrub(s string) string {
	if !strings.Contains(s, "eyJ") && !strings.Contains(strings.ToLower(s), "bearer") {
		return s
	}
	s = bearerLike.ReplaceAllString(s, "Bearer "+Redacted)
	return jwtLike.ReplaceAllString(s, Redacted)
}
