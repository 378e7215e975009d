package api

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// sentenceError is a cause whose text is a whole sentence written for
// people; (*Error).Error shows it instead of the kind's generic text. It
// unwraps to the underlying error, for errors.Is/As.
type sentenceError struct {
	msg string
	err error
}

func (e *sentenceError) Error() string { return e.msg }
func (e *sentenceError) Unwrap() error { return e.err }

// explainTLS turns the https failures a person can act on into sentences
// naming the host: a certificate this machine does not trust (self-signed,
// expired, made for another name) and a server that does not speak TLS at
// all. "Check your connection" would send them looking in the wrong place.
// rawURL is the request's URL; only its host is shown.
func explainTLS(err error, rawURL string) error {
	host := rawURL
	if u, perr := url.Parse(rawURL); perr == nil {
		host = u.Host
	}
	var (
		verify    *tls.CertificateVerificationError
		authority x509.UnknownAuthorityError
		hostname  x509.HostnameError
		invalid   x509.CertificateInvalidError
		record    tls.RecordHeaderError
	)
	switch {
	case errors.As(err, &verify), errors.As(err, &authority), errors.As(err, &hostname), errors.As(err, &invalid):
		return &sentenceError{fmt.Sprintf("The server's certificate for %s is not trusted (it may be self-signed, "+
			"expired or made for another name), so Signet did not connect. Check the server address.", host), err}
	case errors.Is(err, http.ErrSchemeMismatch), errors.As(err, &record):
		return &sentenceError{fmt.Sprintf("%s does not speak https (its answer is not encrypted). "+
			"Check the server address and port.", host), err}
	}
	return err
}
