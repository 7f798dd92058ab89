package credentials

import (
	"context"
	"fmt"
)

// SourceStatic is the Source of credentials from [NewStatic].
const SourceStatic = "static"

// NewStatic returns a provider of fixed credentials; token may be empty.
// It fails, naming the field but never its value, when the access key ID or
// the secret is empty or holds spaces, control characters or non-ASCII bytes.
func NewStatic(accessKeyID, secretAccessKey, sessionToken string) (Provider, error) {
	if err := checkKeys("access key ID", accessKeyID, "secret access key", secretAccessKey,
		"session token", sessionToken); err != nil {
		return nil, fmt.Errorf("credentials: static: %w", err)
	}
	return &staticProvider{creds: Credentials{
		AccessKeyID:     accessKeyID,
		SecretAccessKey: secretAccessKey,
		SessionToken:    sessionToken,
		Source:          SourceStatic,
	}}, nil
}

type staticProvider struct{ creds Credentials }

func (p *staticProvider) Retrieve(ctx context.Context) (Credentials, error) {
	return p.creds, nil
}

// String names the provider; the key ID is not secret, the secret is absent.
func (p *staticProvider) String() string { return "static(" + p.creds.AccessKeyID + ")" }

// Format makes every verb, %#v included, print String: without it %+v of
// the provider would print the unexported credentials field by field.
func (p *staticProvider) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, fmt.FormatString(f, 's'), p.String())
}
