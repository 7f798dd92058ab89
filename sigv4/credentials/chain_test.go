package credentials

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// recorder is a provider that logs its calls into a shared slice.
func recorder(name string, log *[]string, creds Credentials, err error) Provider {
	return namedProvider{name, ProviderFunc(func(context.Context) (Credentials, error) {
		*log = append(*log, name)
		return creds, err
	})}
}

type namedProvider struct {
	name string
	ProviderFunc
}

func (n namedProvider) String() string { return n.name }

func TestChainFirstWins(t *testing.T) {
	var log []string
	ch := Chain(
		recorder("a", &log, Credentials{}, noCreds("a", "nothing")),
		nil,
		recorder("b", &log, Credentials{AccessKeyID: "B", SecretAccessKey: "s"}, nil),
		recorder("c", &log, Credentials{AccessKeyID: "C", SecretAccessKey: "s"}, nil),
	)
	c, err := ch.Retrieve(context.Background())
	require.NoError(t, err)
	require.Equal(t, "B", c.AccessKeyID)
	require.Equal(t, []string{"a", "b"}, log)
	require.Equal(t, "chain(a, b, c)", fmt.Sprint(ch))
}

func TestChainStopsOnOtherErrors(t *testing.T) {
	var log []string
	boom := errors.New("credentials: config file unreadable: /x: permission denied")
	ch := Chain(
		recorder("a", &log, Credentials{}, fmt.Errorf("wrapped: %w", ErrNoCredentials)),
		recorder("b", &log, Credentials{}, boom),
		recorder("c", &log, Credentials{AccessKeyID: "C", SecretAccessKey: "s"}, nil),
	)
	_, err := ch.Retrieve(context.Background())
	require.ErrorIs(t, err, boom)
	require.False(t, errors.Is(err, ErrNoCredentials))
	require.EqualError(t, err, "credentials: config file unreadable: /x: permission denied (credential chain stopped at provider 2 of 3, b)")
	require.Equal(t, []string{"a", "b"}, log)
}

func TestChainAllEmpty(t *testing.T) {
	var log []string
	ch := Chain(
		recorder("a", &log, Credentials{}, noCreds("a", "A_VAR is not set")),
		recorder("b", &log, Credentials{}, fmt.Errorf("custom: %w", ErrNoCredentials)),
	)
	_, err := ch.Retrieve(context.Background())
	require.ErrorIs(t, err, ErrNoCredentials)
	require.EqualError(t, err, "credentials: no credentials found; tried a: A_VAR is not set; b: custom: credentials: no credentials found")
	require.Equal(t, []string{"a", "b"}, log)

	// Nested chains move on too.
	outer := Chain(ch, recorder("z", &log, Credentials{AccessKeyID: "Z", SecretAccessKey: "s"}, nil))
	c, err := outer.Retrieve(context.Background())
	require.NoError(t, err)
	require.Equal(t, "Z", c.AccessKeyID)

	_, err = Chain().Retrieve(context.Background())
	require.ErrorIs(t, err, ErrNoCredentials)
	require.EqualError(t, err, "credentials: no credentials found: the chain has no providers")
}

func TestChainCanceled(t *testing.T) {
	var log []string
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Chain(recorder("a", &log, Credentials{}, nil)).Retrieve(ctx)
	require.ErrorIs(t, err, context.Canceled)
	require.Empty(t, log)
}

func TestDefaultChain(t *testing.T) {
	home := isolateEnv(t)
	ctx := context.Background()

	_, err := DefaultChain().Retrieve(ctx)
	require.ErrorIs(t, err, ErrNoCredentials)
	require.ErrorContains(t, err, "credentials: no credentials found; tried env: AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY) and AWS_SECRET_ACCESS_KEY (or AWS_SECRET_KEY) are not set; shared files: neither "+
		filepath.Join(home, ".aws", "credentials")+" nor "+filepath.Join(home, ".aws", "config")+" exists")

	writeFile(t, home, ".aws/credentials", credsBody("AKIDFILE", "secretFile")+"[p]\naws_access_key_id=AKIDPROFILE\naws_secret_access_key=s\n")
	c, err := DefaultChain().Retrieve(ctx)
	require.NoError(t, err)
	require.Equal(t, "AKIDFILE", c.AccessKeyID)
	t.Setenv("AWS_PROFILE", "p")
	c, err = DefaultChain().Retrieve(ctx)
	require.NoError(t, err)
	require.Equal(t, "AKIDPROFILE", c.AccessKeyID)

	// The environment comes first.
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secretEnv")
	c, err = DefaultChain().Retrieve(ctx)
	require.NoError(t, err)
	require.Equal(t, "AKIDENV", c.AccessKeyID)
	require.Equal(t, SourceEnv, c.Source)

	// A broken file stops the chain when the environment is empty.
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	writeFile(t, home, ".aws/config", "[profile p\n")
	_, err = DefaultChain().Retrieve(ctx)
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	require.ErrorContains(t, err, "(credential chain stopped at provider 2 of 2, shared files)")
}
