package credentials

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// SourceEnv is the Source of credentials from [Env].
const SourceEnv = "env"

// Env reads credentials from the environment at every Retrieve:
// AWS_ACCESS_KEY_ID (fallback AWS_ACCESS_KEY), AWS_SECRET_ACCESS_KEY
// (fallback AWS_SECRET_KEY) and the optional AWS_SESSION_TOKEN. An empty
// variable counts as unset.
//
// When the key ID or the secret is missing, Retrieve returns an error that
// wraps [ErrNoCredentials] and names the missing variables. A value that is
// set but malformed (spaces, control characters) is a hard error.
// Environment credentials do not expire.
type Env struct{}

// Retrieve implements [Provider].
func (Env) Retrieve(ctx context.Context) (Credentials, error) {
	idVar, id := firstEnv("AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY")
	secretVar, secret := firstEnv("AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY")
	var missing []string
	if id == "" {
		missing = append(missing, "AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY)")
	}
	if secret == "" {
		missing = append(missing, "AWS_SECRET_ACCESS_KEY (or AWS_SECRET_KEY)")
	}
	switch len(missing) {
	case 1:
		return Credentials{}, noCreds(SourceEnv, "%s is not set", missing[0])
	case 2:
		return Credentials{}, noCreds(SourceEnv, "%s are not set", strings.Join(missing, " and "))
	}
	token := os.Getenv("AWS_SESSION_TOKEN")
	if err := checkKeys(idVar, id, secretVar, secret, "AWS_SESSION_TOKEN", token); err != nil {
		return Credentials{}, fmt.Errorf("credentials: env: %w", err)
	}
	return Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token, Source: SourceEnv}, nil
}

// String names the provider in chain errors.
func (Env) String() string { return SourceEnv }

// firstEnv returns the first of the variables that is set and not empty.
func firstEnv(names ...string) (name, value string) {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return n, v
		}
	}
	return names[0], ""
}
