package credentials

import (
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrNoCredentials means a provider has no credentials to offer (a
	// variable is not set, a file or a profile does not exist). A [Chain]
	// moves on to its next provider on this error and stops on any other.
	ErrNoCredentials = errors.New("credentials: no credentials found")

	// ErrNotSupported means a profile asks for a credential mechanism this
	// package does not implement yet (assume role, SSO, web identity,
	// credential_process).
	ErrNotSupported = errors.New("credentials: credential source not supported yet")

	// ErrProfileNotFound means a profile named explicitly (argument,
	// AWS_PROFILE or AWS_DEFAULT_PROFILE) is in neither shared file. It does
	// not wrap ErrNoCredentials: a mistyped profile must not silently fall
	// back to another identity.
	ErrProfileNotFound = errors.New("credentials: profile not found")
)

// noCredsError is a provider's "nothing here"; it matches ErrNoCredentials.
type noCredsError struct {
	source string // provider name, e.g. "env"
	reason string // what is missing; never a value
}

func noCreds(source, format string, args ...any) error {
	return &noCredsError{source: source, reason: fmt.Sprintf(format, args...)}
}

func (e *noCredsError) Error() string {
	return "credentials: no credentials from " + e.source + ": " + e.reason
}

func (e *noCredsError) Is(target error) bool { return target == ErrNoCredentials }

// chainError is returned when every provider of a chain had no credentials.
type chainError struct {
	names []string
	errs  []error
}

func (e *chainError) Error() string {
	if len(e.errs) == 0 {
		return "credentials: no credentials found: the chain has no providers"
	}
	var b strings.Builder
	b.WriteString("credentials: no credentials found; tried ")
	for i, err := range e.errs {
		if i > 0 {
			b.WriteString("; ")
		}
		var nc *noCredsError
		if errors.As(err, &nc) {
			b.WriteString(nc.source + ": " + nc.reason)
		} else {
			b.WriteString(e.names[i] + ": " + err.Error())
		}
	}
	return b.String()
}

func (e *chainError) Is(target error) bool { return target == ErrNoCredentials }
func (e *chainError) Unwrap() []error      { return e.errs }

// notSupportedError names the profile, the file and the key that asks for
// an unsupported mechanism; it matches ErrNotSupported.
type notSupportedError struct {
	profile, file, key, what string
}

func (e *notSupportedError) Error() string {
	return fmt.Sprintf("credentials: profile %q in %s uses %s (%s), which is not supported yet; "+
		"give the profile aws_access_key_id and aws_secret_access_key, or use the environment",
		e.profile, e.file, e.key, e.what)
}

func (e *notSupportedError) Is(target error) bool { return target == ErrNotSupported }

// ParseError reports a syntax error in a shared file. It names the file and
// the line, never the line's contents.
type ParseError struct {
	File   string // path; empty when parsing bytes
	Line   int    // 1-based
	Reason string // fixed text, never contains file contents
}

func (e *ParseError) Error() string {
	file := e.File
	if file == "" {
		file = "<input>"
	}
	return fmt.Sprintf("credentials: %s:%d: %s", file, e.Line, e.Reason)
}

// fieldError says what is wrong with a named field, never its value.
func fieldError(name, what string) error {
	return errors.New(name + " " + what)
}

// providerName is how errors name a provider: its String method, else its type.
func providerName(p Provider) string {
	if s, ok := p.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%T", p)
}
