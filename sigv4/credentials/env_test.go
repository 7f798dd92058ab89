package credentials

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestEnv(t *testing.T) {
	isolateEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", testKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", testSecret)
	t.Setenv("AWS_SESSION_TOKEN", testToken)
	c, err := Env{}.Retrieve(context.Background())
	require.NoError(t, err)
	require.Equal(t, Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret, SessionToken: testToken, Source: "env"}, c)

	// Read at each Retrieve.
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDSECOND")
	t.Setenv("AWS_SESSION_TOKEN", "")
	c, err = Env{}.Retrieve(context.Background())
	require.NoError(t, err)
	require.Equal(t, "AKIDSECOND", c.AccessKeyID)
	require.Empty(t, c.SessionToken)
}

func TestEnvFallbacks(t *testing.T) {
	isolateEnv(t)
	t.Setenv("AWS_ACCESS_KEY", "AKIDLEGACY")
	t.Setenv("AWS_SECRET_KEY", testSecret)
	c, err := Env{}.Retrieve(context.Background())
	require.NoError(t, err)
	require.Equal(t, "AKIDLEGACY", c.AccessKeyID)
	require.Equal(t, testSecret, c.SecretAccessKey)

	// The primary names win.
	t.Setenv("AWS_ACCESS_KEY_ID", testKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", "otherSecret")
	c, err = Env{}.Retrieve(context.Background())
	require.NoError(t, err)
	require.Equal(t, testKeyID, c.AccessKeyID)
	require.Equal(t, "otherSecret", c.SecretAccessKey)
}

func TestEnvMissing(t *testing.T) {
	for _, tc := range []struct {
		name, id, secret, want string
	}{
		{"none", "", "", "credentials: no credentials from env: AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY) and AWS_SECRET_ACCESS_KEY (or AWS_SECRET_KEY) are not set"},
		{"no secret", testKeyID, "", "credentials: no credentials from env: AWS_SECRET_ACCESS_KEY (or AWS_SECRET_KEY) is not set"},
		{"no id", "", testSecret, "credentials: no credentials from env: AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY) is not set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolateEnv(t)
			t.Setenv("AWS_ACCESS_KEY_ID", tc.id)
			t.Setenv("AWS_SECRET_ACCESS_KEY", tc.secret)
			_, err := Env{}.Retrieve(context.Background())
			require.ErrorIs(t, err, ErrNoCredentials)
			require.EqualError(t, err, tc.want)
			requireNoSecret(t, err.Error())
		})
	}
}

func TestEnvMalformedIsHardError(t *testing.T) {
	isolateEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", testKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", testSecret+"\r")
	_, err := Env{}.Retrieve(context.Background())
	require.EqualError(t, err, "credentials: env: AWS_SECRET_ACCESS_KEY contains a space, a control character or a non-ASCII byte")
	require.False(t, errors.Is(err, ErrNoCredentials))

	t.Setenv("AWS_SECRET_ACCESS_KEY", testSecret)
	t.Setenv("AWS_SESSION_TOKEN", "SECRETVALUE x")
	_, err = Env{}.Retrieve(context.Background())
	require.EqualError(t, err, "credentials: env: AWS_SESSION_TOKEN contains a space, a control character or a non-ASCII byte")
	requireNoSecret(t, err.Error())
}
