package credentials

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Chain returns a provider that asks each provider in order and returns the
// first credentials found. A provider failing with [ErrNoCredentials] is
// skipped; any other error stops the chain and is returned, wrapped with the
// provider's position and name. When every provider has no credentials the
// error wraps ErrNoCredentials and lists what each one lacked. Nil providers
// are ignored.
func Chain(providers ...Provider) Provider {
	c := &chain{}
	for _, p := range providers {
		if p != nil {
			c.providers = append(c.providers, p)
		}
	}
	return c
}

// DefaultChain is the AWS SDKs' default order for the sources implemented:
// the environment ([Env]), then the shared credentials and config files
// ([SharedFile] with its defaults: AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE,
// AWS_CONFIG_FILE). Wrap it in [NewCache] before using it on a hot path.
func DefaultChain() Provider {
	// Later work slots in here, after the shared files and in the SDKs'
	// order: web identity (AWS_WEB_IDENTITY_TOKEN_FILE), credential_process
	// and SSO profiles (inside the shared-files step), the ECS/EKS container
	// endpoint (AWS_CONTAINER_CREDENTIALS_*), then IMDSv2.
	return Chain(Env{}, NewSharedFile())
}

type chain struct{ providers []Provider }

func (c *chain) Retrieve(ctx context.Context) (Credentials, error) {
	var tried chainError
	for i, p := range c.providers {
		if err := ctx.Err(); err != nil {
			return Credentials{}, err
		}
		creds, err := p.Retrieve(ctx)
		if err == nil {
			return creds, nil
		}
		if !errors.Is(err, ErrNoCredentials) {
			return Credentials{}, fmt.Errorf("%w (credential chain stopped at provider %d of %d, %s)",
				err, i+1, len(c.providers), providerName(p))
		}
		tried.names = append(tried.names, providerName(p))
		tried.errs = append(tried.errs, err)
	}
	return Credentials{}, &tried
}

// String names the chain and its providers.
func (c *chain) String() string {
	names := make([]string, len(c.providers))
	for i, p := range c.providers {
		names[i] = providerName(p)
	}
	return "chain(" + strings.Join(names, ", ") + ")"
}
