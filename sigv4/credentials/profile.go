package credentials

import (
	"fmt"
	"sort"
	"strings"
)

// Keys that ask for a mechanism not implemented yet, in the order they are
// reported, with what they mean. Any "sso_" key also counts (reported after).
var unsupportedKeys = []struct{ key, what string }{
	{"web_identity_token_file", "web identity"},
	{"credential_source", "assume role from a credential source"},
	{"credential_process", "an external credential process"},
}

// profileSource is one file's section for the profile.
type profileSource struct {
	file string
	sec  *iniSection
}

// fromProfile applies the precedence rules documented on SharedFile.
func fromProfile(r sharedPaths, credsINI, confINI *iniFile) (Credentials, error) {
	srcs := []profileSource{
		{r.credsFile, credsINI.section(r.profile)},
		{r.confFile, configSection(confINI, r.profile)},
	}
	if srcs[0].sec == nil && srcs[1].sec == nil {
		if r.profileFrom != "" {
			return Credentials{}, fmt.Errorf("%w: profile %q (named by %s) is in neither %s nor %s",
				ErrProfileNotFound, r.profile, r.profileFrom, r.credsFile, r.confFile)
		}
		return Credentials{}, noCreds("shared files", "profile %q is in neither %s nor %s",
			r.profile, r.credsFile, r.confFile)
	}
	// The SDKs assume the role when role_arn is set, even if the profile
	// also has keys: never sign as a different identity than they would.
	for _, s := range srcs {
		if _, ok := s.sec.get("role_arn"); ok {
			return Credentials{}, &notSupportedError{r.profile, s.file, "role_arn", "assume role"}
		}
	}
	for _, s := range srcs {
		if _, ok := s.sec.get("aws_access_key_id"); ok {
			return staticFromSection(r.profile, s)
		}
	}
	for _, s := range srcs {
		if key, what := unsupportedKey(s.sec); key != "" {
			return Credentials{}, &notSupportedError{r.profile, s.file, key, what}
		}
	}
	return Credentials{}, noCreds("shared files", "profile %q has no aws_access_key_id in %s or %s",
		r.profile, r.credsFile, r.confFile)
}

// configSection finds a profile in the config file: "[profile name]", and
// for "default" also "[default]" ("[profile default]" wins if both exist).
func configSection(f *iniFile, profile string) *iniSection {
	if s := f.section("profile " + profile); s != nil {
		return s
	}
	if profile == "default" {
		return f.section("default")
	}
	return nil
}

func unsupportedKey(s *iniSection) (key, what string) {
	if s == nil {
		return "", ""
	}
	for _, u := range unsupportedKeys {
		if _, ok := s.keys[u.key]; ok {
			return u.key, u.what
		}
	}
	var sso []string
	for k := range s.keys {
		if strings.HasPrefix(k, "sso_") {
			sso = append(sso, k)
		}
	}
	if len(sso) > 0 {
		sort.Strings(sso)
		return sso[0], "IAM Identity Center (SSO)"
	}
	return "", ""
}

// staticFromSection reads the keys of one section; a half-written profile
// is a hard error naming the file, the line and the key, never a value.
func staticFromSection(profile string, s profileSource) (Credentials, error) {
	id, _ := s.sec.get("aws_access_key_id")
	secret, ok := s.sec.get("aws_secret_access_key")
	if !ok {
		return Credentials{}, fmt.Errorf("credentials: profile %q in %s (line %d) has aws_access_key_id but no aws_secret_access_key",
			profile, s.file, s.sec.line)
	}
	token, ok := s.sec.get("aws_session_token")
	if !ok {
		token, _ = s.sec.get("aws_security_token")
	}
	for _, f := range []struct {
		name string
		v    iniValue
	}{{"aws_access_key_id", id}, {"aws_secret_access_key", secret}, {"aws_session_token", token}} {
		if f.name == "aws_session_token" && f.v.text == "" {
			continue
		}
		if err := checkField(f.name, f.v.text); err != nil {
			return Credentials{}, fmt.Errorf("credentials: profile %q in %s line %d: %w", profile, s.file, f.v.line, err)
		}
	}
	return Credentials{
		AccessKeyID:     id.text,
		SecretAccessKey: secret.text,
		SessionToken:    token.text,
		Source:          "file:" + s.file + "#" + profile,
	}, nil
}
