package credentials

import (
	"context"
	"strings"
	"time"
)

// Credentials are the keys that sign a request.
//
// The value formats itself with the secret and the session token redacted
// (see [Credentials.String]); treat the fields themselves as secret.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string // empty for long-term keys

	// Source names where the credentials came from, e.g. "env", "static"
	// or "file:~/.aws/credentials#default". Never secret.
	Source string

	// CanExpire says whether Expires is meaningful. Credentials that cannot
	// expire are cached forever by [Cache].
	CanExpire bool
	Expires   time.Time
}

// HasKeys reports whether both the access key ID and the secret are set.
func (c Credentials) HasKeys() bool {
	return c.AccessKeyID != "" && c.SecretAccessKey != ""
}

// Expired reports whether the credentials can expire and have expired at now.
func (c Credentials) Expired(now time.Time) bool {
	return c.CanExpire && !now.Before(c.Expires)
}

// Provider returns credentials. Implementations must be safe for concurrent
// use. A provider that has no credentials to offer returns an error wrapping
// [ErrNoCredentials], so that a [Chain] can try the next one.
type Provider interface {
	Retrieve(ctx context.Context) (Credentials, error)
}

// ProviderFunc adapts a function to the [Provider] interface.
type ProviderFunc func(ctx context.Context) (Credentials, error)

// Retrieve calls f(ctx).
func (f ProviderFunc) Retrieve(ctx context.Context) (Credentials, error) {
	return f(ctx)
}

// checkField validates a key, secret or token without ever echoing it: it
// must be non-empty printable ASCII without spaces (a pasted newline or a
// stray quote would otherwise make every signature wrong). The error names
// only the field.
func checkField(name, v string) error {
	if v == "" {
		return fieldError(name, "is empty")
	}
	for i := 0; i < len(v); i++ {
		if b := v[i]; b <= ' ' || b >= 0x7f {
			return fieldError(name, "contains a space, a control character or a non-ASCII byte")
		}
	}
	return nil
}

// checkKeys validates the three fields; the names are how the source calls
// them (variable names, file keys, argument names).
func checkKeys(idName, id, secretName, secret, tokenName, token string) error {
	if err := checkField(idName, id); err != nil {
		return err
	}
	if strings.IndexByte(id, '/') >= 0 { // '/' separates the parts of Credential=
		return fieldError(idName, "contains '/'")
	}
	if err := checkField(secretName, secret); err != nil {
		return err
	}
	if token != "" {
		return checkField(tokenName, token)
	}
	return nil
}
