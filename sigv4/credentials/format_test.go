package credentials

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func testCreds() Credentials {
	return Credentials{
		AccessKeyID: testKeyID, SecretAccessKey: testSecret, SessionToken: testToken,
		Source: "env", CanExpire: true, Expires: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

func TestCredentialsString(t *testing.T) {
	c := testCreds()
	require.Equal(t, "{AccessKeyID:AKIDEXAMPLE SecretAccessKey:<redacted> SessionToken:<redacted> Source:env CanExpire:true Expires:2026-01-02T03:04:05Z}", c.String())
	c.SessionToken, c.CanExpire = "", false
	require.Equal(t, "{AccessKeyID:AKIDEXAMPLE SecretAccessKey:<redacted> SessionToken: Source:env CanExpire:false}", c.String())
	require.Equal(t, c.String(), fmt.Sprintf("%v", c))
	require.Equal(t, c.String(), fmt.Sprintf("%+v", c))
}

func TestCredentialsNeverRevealSecrets(t *testing.T) {
	c := testCreds()
	type exported struct {
		Name  string
		Creds Credentials
	}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T", "%-30v", "%10.3s", "%+q", "%#q"} {
		outs = append(outs,
			fmt.Sprintf(verb, c),
			fmt.Sprintf(verb, &c),
			fmt.Sprintf(verb, []Credentials{c}),
			fmt.Sprintf(verb, map[string]Credentials{"k": c}),
			fmt.Sprintf(verb, exported{"n", c}),
			fmt.Sprintf(verb, &exported{"n", c}),
			fmt.Sprintf(verb, any(c)),
		)
	}
	// %p of a non-pointer is a fmt usage error that prints the raw fields
	// without calling any method (see the package doc); of a pointer it
	// prints the address.
	outs = append(outs, fmt.Sprintf("%p", &c), fmt.Sprint(c), fmt.Sprintln(c, &c), c.String(), c.GoString(),
		fmt.Errorf("signing with %v failed", c).Error(),
		errors.New(fmt.Sprint(c)).Error())

	js, err := json.Marshal(c)
	require.NoError(t, err)
	outs = append(outs, string(js))
	js, err = json.Marshal(exported{"n", c})
	require.NoError(t, err)
	outs = append(outs, string(js))

	var text, jsonLog bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("creds", "c", c, "p", &c)
	slog.New(slog.NewJSONHandler(&jsonLog, nil)).Info("creds", "c", c)
	outs = append(outs, text.String(), jsonLog.String())

	for _, s := range outs {
		requireNoSecret(t, s)
	}
	all := strings.Join(outs, "\n")
	require.Contains(t, all, testKeyID)
	require.Contains(t, all, redacted)
	require.Contains(t, text.String(), "c.SecretAccessKey=<redacted>")
	var decoded struct{ Creds map[string]any }
	require.NoError(t, json.Unmarshal(js, &decoded))
	require.Equal(t, redacted, decoded.Creds["SecretAccessKey"])
	require.Equal(t, redacted, decoded.Creds["SessionToken"])
}

func TestCredentialsGoString(t *testing.T) {
	c := testCreds()
	s := fmt.Sprintf("%#v", c)
	require.True(t, strings.HasPrefix(s, `credentials.Credentials{AccessKeyID:"AKIDEXAMPLE", SecretAccessKey:"<redacted>", SessionToken:"<redacted>", Source:"env", CanExpire:true, Expires:time.Date(2026`), s)
}

func TestCredentialsMarshalJSON(t *testing.T) {
	c := testCreds()
	js, err := json.Marshal(c)
	require.NoError(t, err)
	require.JSONEq(t, `{"AccessKeyID":"AKIDEXAMPLE","SecretAccessKey":"<redacted>","SessionToken":"<redacted>","Source":"env","CanExpire":true,"Expires":"2026-01-02T03:04:05Z"}`, string(js))
	c.CanExpire, c.SessionToken = false, ""
	js, err = json.Marshal(c)
	require.NoError(t, err)
	require.JSONEq(t, `{"AccessKeyID":"AKIDEXAMPLE","SecretAccessKey":"<redacted>","SessionToken":"","Source":"env","CanExpire":false}`, string(js))
}

func TestCredentialsHasKeysExpired(t *testing.T) {
	c := testCreds()
	require.True(t, c.HasKeys())
	require.False(t, Credentials{AccessKeyID: "a"}.HasKeys())
	require.False(t, Credentials{SecretAccessKey: "a"}.HasKeys())
	require.False(t, c.Expired(c.Expires.Add(-time.Nanosecond)))
	require.True(t, c.Expired(c.Expires))
	c.CanExpire = false
	require.False(t, c.Expired(c.Expires.Add(time.Hour)))
}
