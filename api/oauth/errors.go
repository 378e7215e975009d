package oauth

import (
	"errors"
	"fmt"
	"strings"

	"signet/api"
)

// The ends of an attempt that are not the provider's refusal. Their text is
// meant for people.
var (
	// ErrCanceled: the caller canceled the attempt (Cancel, or its context).
	ErrCanceled = errors.New("Sign-in was canceled.")
	// ErrTimeout: nobody finished signing in in the browser in time.
	ErrTimeout = errors.New("Sign-in took too long. Please try again.")
	// ErrAbandoned: a newer attempt of the same Client replaced this one.
	ErrAbandoned = errors.New("This sign-in was replaced by a newer one.")
	// ErrExpired: the device code expired before anyone approved it.
	ErrExpired = errors.New("The code expired before the sign-in was approved. Please start again.")
	// ErrAccessDenied matches (errors.Is) a *ProviderError whose code is
	// access_denied: the person (or the provider's policy) said no.
	ErrAccessDenied = errors.New("access_denied")
)

// ProviderError is a refusal in the provider's own words: an error on the
// redirect (RFC 6749 4.1.2.1), from the token endpoint (5.2) or from device
// polling (RFC 8628 3.5).
type ProviderError struct {
	// Code is the OAuth error code: access_denied, invalid_grant, ...
	Code string
	// Description is the provider's error_description, cleaned of control
	// characters and anything token-like, and capped; it may be empty.
	Description string
	// URI is the provider's error_uri, if any.
	URI string
}

func (e *ProviderError) Error() string {
	if e.Description != "" {
		return "The sign-in provider refused: " + e.Description
	}
	switch e.Code {
	case "access_denied":
		return "Sign-in was not allowed (access denied)."
	case "invalid_grant":
		return "The sign-in code was refused by the provider (invalid_grant). Please try again."
	case "temporarily_unavailable", "server_error":
		return "The sign-in provider had a problem (" + e.Code + "). Try again in a moment."
	}
	return fmt.Sprintf("The sign-in provider refused (%s).", e.Code)
}

// transient reports a provider's "try again later" (RFC 6749 4.1.2.1).
func (e *ProviderError) transient() bool {
	return e.Code == "temporarily_unavailable" || e.Code == "server_error"
}

// Is makes errors.Is(err, ErrAccessDenied) work for access_denied.
func (e *ProviderError) Is(target error) bool {
	return target == ErrAccessDenied && e.Code == "access_denied"
}

// PortBusyError: every fixed redirect port the profile allows is taken by
// another program.
type PortBusyError struct {
	Ports []int
	Err   error
}

func (e *PortBusyError) Error() string {
	ports := make([]string, len(e.Ports))
	for i, p := range e.Ports {
		ports[i] = fmt.Sprint(p)
	}
	which := "Port " + ports[0] + " is"
	if len(ports) > 1 {
		which = "Ports " + strings.Join(ports, ", ") + " are"
	}
	return which + " in use by another program on this computer, and the provider only returns sign-ins " +
		"there. Close that program (or another Signet window signing in) and try again."
}

func (e *PortBusyError) Unwrap() error { return e.Err }

// IDTokenError: the ID token failed verification, so the answer cannot be
// trusted to say who signed in. Reason is a short phrase naming the check.
type IDTokenError struct {
	Reason string
	Err    error
}

func (e *IDTokenError) Error() string {
	return "The sign-in answer could not be verified (" + e.Reason + "). Please try again or contact the provider's administrator."
}

func (e *IDTokenError) Unwrap() error { return e.Err }

// cleanText makes text from the provider fit to show (api.CleanMessage).
func cleanText(s string) string { return api.CleanMessage(s) }
