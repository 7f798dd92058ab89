package credentials

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNewStatic(t *testing.T) {
	p, err := NewStatic(testKeyID, testSecret, testToken)
	require.NoError(t, err)
	c, err := p.Retrieve(context.Background())
	require.NoError(t, err)
	require.Equal(t, Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret, SessionToken: testToken, Source: SourceStatic}, c)

	p, err = NewStatic(testKeyID, testSecret, "")
	require.NoError(t, err)
	c, err = p.Retrieve(context.Background())
	require.NoError(t, err)
	require.Empty(t, c.SessionToken)
	require.False(t, c.CanExpire)
}

func TestNewStaticValidation(t *testing.T) {
	for _, tc := range []struct {
		name, id, secret, token, want string
	}{
		{"empty id", "", testSecret, "", "credentials: static: access key ID is empty"},
		{"empty secret", testKeyID, "", testToken, "credentials: static: secret access key is empty"},
		{"secret with newline", testKeyID, testSecret + "\n", "", "credentials: static: secret access key contains a space, a control character or a non-ASCII byte"},
		{"secret with space", testKeyID, "SECRETVALUE " + testSecret, "", "secret access key contains"},
		{"token with space", testKeyID, testSecret, testToken + " x", "session token contains"},
		{"id non-ascii", "AKIDÉ", testSecret, "", "access key ID contains"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewStatic(tc.id, tc.secret, tc.token)
			require.Nil(t, p)
			require.ErrorContains(t, err, tc.want)
			requireNoSecret(t, err.Error())
		})
	}
}

func TestStaticProviderFormatting(t *testing.T) {
	p, err := NewStatic(testKeyID, testSecret, testToken)
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x", "%q"} {
		s := fmt.Sprintf(verb, p)
		requireNoSecret(t, s)
	}
	require.Equal(t, "static(AKIDEXAMPLE)", fmt.Sprintf("%+v", p))
	requireNoSecret(t, fmt.Sprintf("%+v", Chain(p)))
	requireNoSecret(t, fmt.Sprintf("%+v", NewCache(p)))
}
