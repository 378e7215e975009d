package demo

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
)

// maxBodyBytes caps request bodies; the largest legitimate one is a sign-in.
const maxBodyBytes = 16 << 10

// OAuth-style error codes used in {"error", "error_description"} bodies.
const (
	errInvalidRequest = "invalid_request"
	errInvalidGrant   = "invalid_grant"
	errInvalidToken   = "invalid_token"
	errServer         = "server_error"
	errUnavailable    = "temporarily_unavailable"
)

const descEmptyBody = "The request body is empty; a JSON object was expected."

type errorBody struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	// Token answers must not be cached by anything in between (RFC 6749
	// 5.1); the rest is per user anyway.
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, description string) {
	writeJSON(w, status, errorBody{Error: code, Description: description})
}

// decodeJSON reads a JSON object body into dst. It returns "" on success,
// otherwise a message fit to show a person; the body is never echoed (it
// may hold a password).
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) (problem string) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return "The request body must be JSON (Content-Type: application/json)."
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err := dec.Decode(dst); err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return fmt.Sprintf("The request body is larger than %d bytes.", maxBodyBytes)
		case errors.Is(err, io.EOF):
			return descEmptyBody
		default:
			return "The request body is not a valid JSON object."
		}
	}
	if dec.More() {
		return "The request body holds more than one JSON value."
	}
	return ""
}
