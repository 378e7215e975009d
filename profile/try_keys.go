package profile

import (
	"errors"
	"net/http"
	"strings"

	"signet/api"
)

// These name the profile key most likely behind a failed step of Try, so
// that its message points at what to edit.

// loginKey guesses the profile key behind a failed sign-in.
func loginKey(err error) string {
	var e *api.Error
	if !errors.As(err, &e) {
		return "login"
	}
	switch {
	case e.Kind == api.KindNetwork:
		return "base_url (or login.origin): the server could not be reached"
	case e.Kind == api.KindMalformed && strings.Contains(err.Error(), "access token"):
		return "login.tokens.access_token (where the answer holds the token)"
	case e.Kind == api.KindMalformed:
		return "login.path (the answer is not the sign-in answer)"
	case e.Status == http.StatusNotFound:
		return "login.path"
	case e.Status == http.StatusMethodNotAllowed:
		return "login.method"
	case e.Status == http.StatusUnsupportedMediaType:
		return "login.encoding or a Content-Type in login.headers"
	case e.Kind == api.KindBadCredentials:
		return "the username and password, then login.body (the field names the server expects) and login.encoding"
	}
	return "base_url and login.path"
}

func refreshKey(err error, r *api.RefreshSpec) string {
	var e *api.Error
	if !errors.As(err, &e) {
		return "refresh"
	}
	switch {
	case errors.Is(err, api.ErrNoRefresh):
		return "login.tokens.refresh_token (sign-in returned no refresh token), or refresh.style"
	case e.Kind == api.KindMalformed:
		return "refresh.tokens.access_token"
	case e.Status == http.StatusNotFound:
		return "refresh.path (and refresh.origin)"
	case r.Style == api.RefreshWithAccessToken:
		return "refresh.path and refresh.headers (how the current token is sent)"
	}
	return "refresh.body (the field carrying {refresh_token}) and refresh.encoding"
}

func listKey(err error, key string) string {
	var e *api.Error
	if !errors.As(err, &e) {
		return key
	}
	switch {
	case e.Kind == api.KindMalformed:
		return key + ".items_path (where the answer holds the array)"
	case e.Status == http.StatusNotFound:
		return key + ".path (and " + key + ".origin)"
	case e.Status == http.StatusBadRequest:
		return key + ".paging (the parameter names: page_param, size_param, offset_param)"
	case e.Kind == api.KindUnauthorized:
		return key + ".origin, or expired_statuses: the server did not take the token there"
	case e.Kind == api.KindNetwork:
		return key + ".origin"
	}
	return key + ".path"
}

func statusKey(err error, pathKey, mapKey string) string {
	if api.KindOf(err) == api.KindMalformed {
		return mapKey
	}
	return pathKey
}
