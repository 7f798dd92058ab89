package credentials

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// DefaultRecheckInterval is how long credentials from a [SharedFile] are
// valid before the file is checked again (see [SharedFile]).
const DefaultRecheckInterval = 5 * time.Second

// SharedFile reads a profile from the shared credentials and config files.
//
// Empty fields take their defaults, as in the AWS SDKs, at each Retrieve:
//   - CredentialsFile: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials
//   - ConfigFile: AWS_CONFIG_FILE, else ~/.aws/config
//   - Profile: AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default"
//
// A leading "~/" in a path is the home directory. In the credentials file a
// profile is the section "[name]"; in the config file it is "[profile name]"
// (and "[default]" or "[profile default]" for the default profile). The keys
// are aws_access_key_id, aws_secret_access_key and aws_session_token
// (botocore's legacy aws_security_token is accepted for the last). If the
// credentials file has aws_access_key_id for the profile it is used,
// else the config file's keys are. A profile with role_arn, or without keys
// but with credential_process, sso_*, web_identity_token_file or
// credential_source, fails with an error wrapping [ErrNotSupported].
//
// Errors: both files missing, or the profile missing when it was not named
// explicitly, or a profile without keys wrap [ErrNoCredentials]. A profile
// named explicitly but absent wraps [ErrProfileNotFound]. An unreadable file
// ("credentials: credentials file unreadable: <path>: permission denied"), a
// syntax error ([*ParseError], naming file and line) and a half-written
// profile are hard errors.
//
// Re-read on change: the provider remembers each file's last parse with the
// file's identity (device and inode), size, modification time and mode, and
// parses it again only when one of them changes (or when the file was
// modified within the last 2 s, since such a change can hide below the
// timestamp granularity). The credentials it returns have CanExpire set and
// Expires = now + RecheckInterval, so that a [Cache] around it asks again
// periodically: keys rotated in the file, whether the file is replaced by a
// rename or rewritten in place, are served within about RecheckInterval
// without a restart. The check is an open and an fstat; the files are read
// only when they changed.
//
// Use [NewSharedFile] or a pointer to a SharedFile value; do not copy one
// after first use. It is safe for concurrent use.
type SharedFile struct {
	CredentialsFile string
	ConfigFile      string
	Profile         string
	// RecheckInterval is the lifetime of the returned credentials; zero or
	// negative means DefaultRecheckInterval.
	RecheckInterval time.Duration

	now func() time.Time // injectable clock for tests; nil means time.Now

	mu      sync.Mutex
	credsFC fileCache
	confFC  fileCache
}

// SharedFileOption configures [NewSharedFile].
type SharedFileOption func(*SharedFile)

// WithProfile selects the profile, overriding AWS_PROFILE.
func WithProfile(name string) SharedFileOption { return func(s *SharedFile) { s.Profile = name } }

// WithCredentialsFile sets the path of the shared credentials file.
func WithCredentialsFile(path string) SharedFileOption {
	return func(s *SharedFile) { s.CredentialsFile = path }
}

// WithConfigFile sets the path of the shared config file.
func WithConfigFile(path string) SharedFileOption {
	return func(s *SharedFile) { s.ConfigFile = path }
}

// WithRecheckInterval sets how often, under a [Cache], the files are checked.
func WithRecheckInterval(d time.Duration) SharedFileOption {
	return func(s *SharedFile) { s.RecheckInterval = d }
}

// NewSharedFile returns a shared-files provider; see [SharedFile].
func NewSharedFile(opts ...SharedFileOption) *SharedFile {
	s := &SharedFile{}
	for _, o := range opts {
		o(s)
	}
	return s
}

// String names the provider in chain errors.
func (s *SharedFile) String() string { return "shared files" }

// sharedPaths are a SharedFile's settings with the defaults filled in.
type sharedPaths struct {
	credsFile, confFile string
	profile             string
	profileFrom         string // "" when defaulted, else where it was named
}

func (s *SharedFile) resolve() (sharedPaths, error) {
	var r sharedPaths
	var err error
	if r.credsFile, err = defaultPath(s.CredentialsFile, "AWS_SHARED_CREDENTIALS_FILE", "credentials"); err != nil {
		return r, err
	}
	if r.confFile, err = defaultPath(s.ConfigFile, "AWS_CONFIG_FILE", "config"); err != nil {
		return r, err
	}
	switch {
	case s.Profile != "":
		r.profile, r.profileFrom = s.Profile, "the program"
	case os.Getenv("AWS_PROFILE") != "":
		r.profile, r.profileFrom = os.Getenv("AWS_PROFILE"), "AWS_PROFILE"
	case os.Getenv("AWS_DEFAULT_PROFILE") != "":
		r.profile, r.profileFrom = os.Getenv("AWS_DEFAULT_PROFILE"), "AWS_DEFAULT_PROFILE"
	default:
		r.profile = "default"
	}
	return r, nil
}

// defaultPath returns path, else $envVar, else ~/.aws/name, with "~/" expanded.
func defaultPath(path, envVar, name string) (string, error) {
	if path == "" {
		path = os.Getenv(envVar)
	}
	if path == "" {
		path = filepath.Join("~", ".aws", name)
	}
	if path != "~" && !strings.HasPrefix(path, "~/") && !strings.HasPrefix(path, "~"+string(filepath.Separator)) {
		return path, nil
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", noCreds("shared files", "cannot locate %s: the home directory is unknown (set HOME or %s)", path, envVar)
	}
	return filepath.Join(home, path[1:]), nil
}

// Retrieve implements [Provider].
func (s *SharedFile) Retrieve(ctx context.Context) (Credentials, error) {
	if err := ctx.Err(); err != nil {
		return Credentials{}, err
	}
	r, err := s.resolve()
	if err != nil {
		return Credentials{}, err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	credsINI, err := s.credsFC.load(r.credsFile, "credentials file")
	if err != nil {
		return Credentials{}, err
	}
	confINI, err := s.confFC.load(r.confFile, "config file")
	if err != nil {
		return Credentials{}, err
	}
	if credsINI == nil && confINI == nil {
		return Credentials{}, noCreds("shared files", "neither %s nor %s exists", r.credsFile, r.confFile)
	}
	c, err := fromProfile(r, credsINI, confINI)
	if err != nil {
		return Credentials{}, err
	}
	now := time.Now
	if s.now != nil {
		now = s.now
	}
	interval := s.RecheckInterval
	if interval <= 0 {
		interval = DefaultRecheckInterval
	}
	c.CanExpire, c.Expires = true, now().Add(interval)
	return c, nil
}
