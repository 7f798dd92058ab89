package sigv4

import (
	"errors"
	"strings"
)

// Error reports bad input. Field names the input at fault ("path",
// "header 3 name", "region", ...); Reason says what is wrong with it.
// Neither ever holds a secret or a header value.
type Error struct {
	Field  string
	Reason string
	Err    error // underlying cause, if any
}

func (e *Error) Error() string {
	s := "sigv4: " + e.Field + ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// ErrInvalidInput matches every *Error with errors.Is.
var ErrInvalidInput = errors.New("sigv4: invalid input")

// Is makes errors.Is(err, ErrInvalidInput) true for every *Error.
func (e *Error) Is(target error) bool { return target == ErrInvalidInput }

func fieldErr(field, reason string) error { return &Error{Field: field, Reason: reason} }

// ErrCredentials matches, with errors.Is, every signing error caused by
// the credential provider (missing, unreadable or expired credentials).
var ErrCredentials = errors.New("sigv4: credentials unavailable")

type credentialsError struct{ err error }

func (e *credentialsError) Error() string {
	msg := e.err.Error()
	if strings.HasPrefix(msg, "credentials: ") || strings.HasPrefix(msg, "sigv4: credentials: ") {
		return "sigv4: " + strings.TrimPrefix(msg, "sigv4: ")
	}
	return "sigv4: credentials: " + msg
}
func (e *credentialsError) Unwrap() error        { return e.err }
func (e *credentialsError) Is(target error) bool { return target == ErrCredentials }
