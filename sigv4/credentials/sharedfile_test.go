package credentials

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const credsFileBody = `# shared credentials
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = secretDefault

[dev]
aws_access_key_id=AKIDDEV
aws_secret_access_key=secretDev
aws_session_token=tokenDev

[both]
aws_access_key_id = AKIDCREDSFILE
aws_secret_access_key = secretCredsFile
`

const configFileBody = `[default]
region = us-east-1

[profile both]
aws_access_key_id = AKIDCONFIGFILE
aws_secret_access_key = secretConfigFile

[profile cfgonly]
aws_access_key_id = AKIDCFGONLY
aws_secret_access_key = secretCfgOnly
region = eu-west-1

[cfgonly]
aws_access_key_id = AKIDWRONGSECTION
aws_secret_access_key = wrong
`

func retrieve(t *testing.T, p Provider) (Credentials, error) {
	t.Helper()
	return p.Retrieve(context.Background())
}

func TestSharedFileDefaultsFromHome(t *testing.T) {
	home := isolateEnv(t)
	credsPath := writeFile(t, home, ".aws/credentials", credsFileBody)
	writeFile(t, home, ".aws/config", configFileBody)

	clk := newFakeClock()
	s := NewSharedFile()
	s.now = clk.Now
	c, err := retrieve(t, s)
	require.NoError(t, err)
	require.Equal(t, Credentials{
		AccessKeyID: "AKIDDEFAULT", SecretAccessKey: "secretDefault",
		Source: "file:" + credsPath + "#default", CanExpire: true, Expires: clk.Now().Add(DefaultRecheckInterval),
	}, c)

	// Zero value works too, with its own interval.
	c, err = retrieve(t, &SharedFile{Profile: "dev", RecheckInterval: time.Minute, now: clk.Now})
	require.NoError(t, err)
	require.Equal(t, "AKIDDEV", c.AccessKeyID)
	require.Equal(t, "tokenDev", c.SessionToken)
	require.Equal(t, clk.Now().Add(time.Minute), c.Expires)
}

func TestSharedFileProfileSelection(t *testing.T) {
	home := isolateEnv(t)
	writeFile(t, home, ".aws/credentials", credsFileBody)
	writeFile(t, home, ".aws/config", configFileBody)

	id := func(s *SharedFile) string {
		c, err := retrieve(t, s)
		require.NoError(t, err)
		return c.AccessKeyID
	}
	require.Equal(t, "AKIDDEFAULT", id(NewSharedFile()))
	t.Setenv("AWS_DEFAULT_PROFILE", "cfgonly")
	require.Equal(t, "AKIDCFGONLY", id(NewSharedFile()))
	t.Setenv("AWS_PROFILE", "dev")
	require.Equal(t, "AKIDDEV", id(NewSharedFile()))
	require.Equal(t, "AKIDCREDSFILE", id(NewSharedFile(WithProfile("both"))))
}

func TestSharedFileEnvPaths(t *testing.T) {
	home := isolateEnv(t)
	dir := t.TempDir()
	writeFile(t, home, ".aws/credentials", credsFileBody) // must not be used
	writeFile(t, dir, "c", "[default]\naws_access_key_id=AKIDENVPATH\naws_secret_access_key=s\n")
	writeFile(t, dir, "cfg", "[profile x]\naws_access_key_id=AKIDENVCFG\naws_secret_access_key=s\n")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "c"))
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "cfg"))
	c, err := retrieve(t, NewSharedFile())
	require.NoError(t, err)
	require.Equal(t, "AKIDENVPATH", c.AccessKeyID)
	c, err = retrieve(t, NewSharedFile(WithProfile("x")))
	require.NoError(t, err)
	require.Equal(t, "AKIDENVCFG", c.AccessKeyID)

	// Options beat the environment; "~/" is the home directory.
	writeFile(t, home, "elsewhere/creds", "[default]\naws_access_key_id=AKIDTILDE\naws_secret_access_key=s\n")
	c, err = retrieve(t, NewSharedFile(WithCredentialsFile("~/elsewhere/creds")))
	require.NoError(t, err)
	require.Equal(t, "AKIDTILDE", c.AccessKeyID)
	require.Equal(t, "file:"+filepath.Join(home, "elsewhere/creds")+"#default", c.Source)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "~/elsewhere/creds")
	c, err = retrieve(t, NewSharedFile())
	require.NoError(t, err)
	require.Equal(t, "AKIDTILDE", c.AccessKeyID)
}

func TestSharedFilePrecedence(t *testing.T) {
	dir := t.TempDir()
	isolateEnv(t)
	credsPath := writeFile(t, dir, "credentials", credsFileBody+"\n[partial]\nregion = x\n")
	confPath := writeFile(t, dir, "config", configFileBody+`
[profile partial]
aws_access_key_id = AKIDPARTIAL
aws_secret_access_key = secretPartial

[profile default]
aws_access_key_id = AKIDPROFILEDEFAULT
aws_secret_access_key = s
`)
	get := func(profile string) Credentials {
		c, err := retrieve(t, NewSharedFile(WithCredentialsFile(credsPath), WithConfigFile(confPath), WithProfile(profile)))
		require.NoError(t, err, profile)
		return c
	}
	// Credentials file wins for the same profile.
	c := get("both")
	require.Equal(t, "AKIDCREDSFILE", c.AccessKeyID)
	require.Equal(t, "file:"+credsPath+"#both", c.Source)
	// Config file when the credentials file has no keys for the profile.
	c = get("partial")
	require.Equal(t, "AKIDPARTIAL", c.AccessKeyID)
	require.Equal(t, "file:"+confPath+"#partial", c.Source)
	// Config: "[profile name]", not "[name]".
	require.Equal(t, "AKIDCFGONLY", get("cfgonly").AccessKeyID)
	// Credentials file default still wins over config [profile default].
	require.Equal(t, "AKIDDEFAULT", get("default").AccessKeyID)

	// Without a credentials file: [profile default] wins over [default].
	p := NewSharedFile(WithCredentialsFile(filepath.Join(dir, "none")), WithConfigFile(confPath))
	c, err := retrieve(t, p)
	require.NoError(t, err)
	require.Equal(t, "AKIDPROFILEDEFAULT", c.AccessKeyID)
	conf2 := writeFile(t, dir, "config2", "[default]\naws_access_key_id = AKIDCONFDEFAULT\naws_secret_access_key = s\n")
	c, err = retrieve(t, NewSharedFile(WithCredentialsFile(filepath.Join(dir, "none")), WithConfigFile(conf2)))
	require.NoError(t, err)
	require.Equal(t, "AKIDCONFDEFAULT", c.AccessKeyID)
}

func TestSharedFileCommentsAndWhitespace(t *testing.T) {
	dir := t.TempDir()
	isolateEnv(t)
	credsPath := writeFile(t, dir, "credentials", "\uFEFF; comment\r\n  [ odd ]   # header comment\r\n"+
		"\tAWS_ACCESS_KEY_ID   =   AKIDODD   # inline comment\r\n"+
		"\tAws_Secret_Access_Key:wJal#rXU;tnFE  ; another\r\n"+
		"# aws_session_token = commented out\r\n")
	c, err := retrieve(t, NewSharedFile(WithCredentialsFile(credsPath), WithConfigFile(filepath.Join(dir, "none")), WithProfile("odd")))
	require.NoError(t, err)
	require.Equal(t, "AKIDODD", c.AccessKeyID)
	require.Equal(t, "wJal#rXU;tnFE", c.SecretAccessKey)
	require.Empty(t, c.SessionToken)
}

func TestSharedFileLegacySecurityToken(t *testing.T) {
	dir := t.TempDir()
	isolateEnv(t)
	p := writeFile(t, dir, "credentials", "[default]\naws_access_key_id=A\naws_secret_access_key=S\naws_security_token=T\n")
	c, err := retrieve(t, NewSharedFile(WithCredentialsFile(p), WithConfigFile(filepath.Join(dir, "none"))))
	require.NoError(t, err)
	require.Equal(t, "T", c.SessionToken)
}

func TestSharedFileNotSupported(t *testing.T) {
	for _, tc := range []struct {
		name, creds, config, key string
		inConfig                 bool
	}{
		{name: "role_arn", config: "[profile p]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\n", key: "role_arn", inConfig: true},
		{name: "role_arn wins over keys", creds: "[p]\naws_access_key_id=A\naws_secret_access_key=SECRETVALUE\n", config: "[profile p]\nrole_arn = arn\n", key: "role_arn", inConfig: true},
		{name: "credential_process", config: "[profile p]\ncredential_process = /bin/helper --x\n", key: "credential_process", inConfig: true},
		{name: "sso", config: "[profile p]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n", key: "sso_region", inConfig: true},
		{name: "sso session", config: "[profile p]\nsso_session = s\n", key: "sso_session", inConfig: true},
		{name: "web identity", creds: "[p]\nweb_identity_token_file = /t\n", key: "web_identity_token_file"},
		{name: "credential_source", config: "[profile p]\ncredential_source = Ec2InstanceMetadata\n", key: "credential_source", inConfig: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			isolateEnv(t)
			credsPath := writeFile(t, dir, "credentials", tc.creds)
			confPath := writeFile(t, dir, "config", tc.config)
			_, err := retrieve(t, NewSharedFile(WithCredentialsFile(credsPath), WithConfigFile(confPath), WithProfile("p")))
			require.ErrorIs(t, err, ErrNotSupported)
			require.False(t, errors.Is(err, ErrNoCredentials))
			file := credsPath
			if tc.inConfig {
				file = confPath
			}
			require.ErrorContains(t, err, `profile "p" in `+file+` uses `+tc.key+` (`)
			require.ErrorContains(t, err, "not supported yet")
			requireNoSecret(t, err.Error())
		})
	}

	// Static keys beat credential_process and sso_* (as in aws-sdk-go-v2).
	dir := t.TempDir()
	isolateEnv(t)
	credsPath := writeFile(t, dir, "credentials", "[p]\naws_access_key_id=AKIDSTATIC\naws_secret_access_key=s\n")
	confPath := writeFile(t, dir, "config", "[profile p]\ncredential_process = /bin/x\nsso_session = s\n")
	c, err := retrieve(t, NewSharedFile(WithCredentialsFile(credsPath), WithConfigFile(confPath), WithProfile("p")))
	require.NoError(t, err)
	require.Equal(t, "AKIDSTATIC", c.AccessKeyID)
}

func TestSharedFileNoCredentials(t *testing.T) {
	dir := t.TempDir()
	isolateEnv(t)
	none1, none2 := filepath.Join(dir, "none1"), filepath.Join(dir, "none2")

	// Both files missing.
	_, err := retrieve(t, NewSharedFile(WithCredentialsFile(none1), WithConfigFile(none2)))
	require.ErrorIs(t, err, ErrNoCredentials)
	require.EqualError(t, err, "credentials: no credentials from shared files: neither "+none1+" nor "+none2+" exists")
	// Default home, nothing there.
	_, err = retrieve(t, NewSharedFile())
	require.ErrorIs(t, err, ErrNoCredentials)

	credsPath := writeFile(t, dir, "credentials", "[other]\naws_access_key_id=A\naws_secret_access_key=S\n[nokeys]\nregion=x\n")
	// Default profile absent and not named: no credentials.
	_, err = retrieve(t, NewSharedFile(WithCredentialsFile(credsPath), WithConfigFile(none2)))
	require.ErrorIs(t, err, ErrNoCredentials)
	require.ErrorContains(t, err, `profile "default" is in neither `+credsPath+" nor "+none2)
	// A profile without keys.
	_, err = retrieve(t, NewSharedFile(WithCredentialsFile(credsPath), WithConfigFile(none2), WithProfile("nokeys")))
	require.ErrorIs(t, err, ErrNoCredentials)
	require.ErrorContains(t, err, `profile "nokeys" has no aws_access_key_id`)

	// A profile named explicitly but absent is a hard error.
	_, err = retrieve(t, NewSharedFile(WithCredentialsFile(credsPath), WithConfigFile(none2), WithProfile("typo")))
	require.ErrorIs(t, err, ErrProfileNotFound)
	require.False(t, errors.Is(err, ErrNoCredentials))
	require.ErrorContains(t, err, `profile "typo" (named by the program) is in neither`)
	t.Setenv("AWS_PROFILE", "typo2")
	_, err = retrieve(t, NewSharedFile(WithCredentialsFile(credsPath), WithConfigFile(none2)))
	require.ErrorIs(t, err, ErrProfileNotFound)
	require.ErrorContains(t, err, `profile "typo2" (named by AWS_PROFILE)`)
}

func TestSharedFileUnreadable(t *testing.T) {
	dir := t.TempDir()
	isolateEnv(t)
	none := filepath.Join(dir, "none")

	// A directory where the file should be: fails on any user, root included.
	asDir := filepath.Join(dir, "credsdir")
	require.NoError(t, os.Mkdir(asDir, 0o700))
	_, err := retrieve(t, NewSharedFile(WithCredentialsFile(asDir), WithConfigFile(none)))
	require.EqualError(t, err, "credentials: credentials file unreadable: "+asDir+": is a directory")
	require.False(t, errors.Is(err, ErrNoCredentials))
	_, err = retrieve(t, NewSharedFile(WithCredentialsFile(none), WithConfigFile(asDir)))
	require.EqualError(t, err, "credentials: config file unreadable: "+asDir+": is a directory")

	// A path through a regular file (ENOTDIR) is not "missing" either.
	plain := writeFile(t, dir, "plain", "")
	_, err = retrieve(t, NewSharedFile(WithCredentialsFile(filepath.Join(plain, "credentials")), WithConfigFile(none)))
	require.ErrorContains(t, err, "credentials file unreadable")
	require.False(t, errors.Is(err, ErrNoCredentials))

	// Permission denied.
	locked := writeFile(t, dir, "locked", "[default]\naws_access_key_id=A\naws_secret_access_key=SECRETVALUE\n")
	require.NoError(t, os.Chmod(locked, 0))
	if os.Geteuid() == 0 {
		t.Skip("running as root: chmod 000 does not deny reads, so permission denied cannot be provoked")
	}
	_, err = retrieve(t, NewSharedFile(WithCredentialsFile(locked), WithConfigFile(none)))
	require.EqualError(t, err, "credentials: credentials file unreadable: "+locked+": permission denied")
	require.ErrorIs(t, err, fs.ErrPermission)
	require.False(t, errors.Is(err, ErrNoCredentials))
}

func TestSharedFileParseError(t *testing.T) {
	dir := t.TempDir()
	isolateEnv(t)
	credsPath := writeFile(t, dir, "credentials", "[default]\naws_access_key_id = A\nSECRETVALUE\n")
	_, err := retrieve(t, NewSharedFile(WithCredentialsFile(credsPath), WithConfigFile(filepath.Join(dir, "none"))))
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, credsPath, pe.File)
	require.Equal(t, 3, pe.Line)
	require.EqualError(t, err, "credentials: "+credsPath+":3: "+reasonBadLine)
	require.False(t, errors.Is(err, ErrNoCredentials))
	requireNoSecret(t, err.Error())
}

func TestSharedFileBadProfile(t *testing.T) {
	dir := t.TempDir()
	isolateEnv(t)
	none := filepath.Join(dir, "none")
	for _, tc := range []struct{ name, body, want string }{
		{"no secret", "[default]\naws_access_key_id = A\n",
			`profile "default" in %s (line 1) has aws_access_key_id but no aws_secret_access_key`},
		{"empty secret", "[default]\naws_access_key_id = A\naws_secret_access_key =\n",
			`profile "default" in %s line 3: aws_secret_access_key is empty`},
		{"secret with a blank", "[default]\naws_access_key_id = A\naws_secret_access_key = SECRETVALUE and more\n",
			`profile "default" in %s line 3: aws_secret_access_key contains a space`},
		{"multi-line token", "[default]\naws_access_key_id = A\naws_secret_access_key = S\naws_session_token = SECRETVALUE\n  continued\n",
			`profile "default" in %s line 4: aws_session_token contains`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, "credentials", tc.body)
			_, err := retrieve(t, NewSharedFile(WithCredentialsFile(p), WithConfigFile(none)))
			require.Error(t, err)
			require.False(t, errors.Is(err, ErrNoCredentials))
			require.ErrorContains(t, err, fmt.Sprintf(tc.want, p))
			requireNoSecret(t, err.Error())
		})
	}
}

func TestSharedFileCanceledContext(t *testing.T) {
	isolateEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := NewSharedFile().Retrieve(ctx)
	require.ErrorIs(t, err, context.Canceled)
}

func TestSharedFileNoHome(t *testing.T) {
	isolateEnv(t)
	t.Setenv("HOME", "")
	t.Setenv("USERPROFILE", "")
	_, err := retrieve(t, NewSharedFile())
	require.ErrorIs(t, err, ErrNoCredentials)
	require.ErrorContains(t, err, "home directory is unknown")
}
