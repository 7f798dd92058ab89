// Package credentials says where AWS credentials come from: the access key
// ID, secret access key and optional session token that sign requests.
//
// # Sources
//
//   - [NewStatic]: fixed keys given by the program.
//   - [Env]: AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY), AWS_SECRET_ACCESS_KEY (or
//     AWS_SECRET_KEY) and AWS_SESSION_TOKEN, read at every Retrieve.
//   - [SharedFile]: the shared credentials file (AWS_SHARED_CREDENTIALS_FILE or
//     ~/.aws/credentials) and config file (AWS_CONFIG_FILE or ~/.aws/config),
//     for the profile given, else AWS_PROFILE, else AWS_DEFAULT_PROFILE, else
//     "default". For one profile the credentials file wins over the config
//     file. Profiles that need another mechanism (role_arn,
//     credential_process, sso_*, web_identity_token_file, credential_source)
//     fail with an error that wraps [ErrNotSupported].
//
// # Chain order
//
// [DefaultChain] tries, like the AWS SDKs, the environment first and then the
// shared files. The first source that has credentials wins. A source that has
// none returns an error wrapping [ErrNoCredentials] and the chain moves on;
// any other error (an unreadable file, a syntax error, a half-written profile)
// stops the chain, so that a broken configuration is reported rather than
// silently replaced by another identity. IMDSv2, the ECS/EKS container
// endpoint, web identity and credential_process come later and slot in after
// the shared files, as in the SDKs.
//
// # Caching and rotation
//
// Providers do I/O; signing must not. Wrap the provider in [NewCache]: its
// Retrieve reads an atomic pointer and, while the cached credentials are
// valid, takes no lock and allocates nothing. Ahead of expiry it refreshes in
// the background, once, and keeps serving the cached credentials, also when
// that refresh fails.
//
// A [SharedFile] returns credentials that "expire" after its RecheckInterval
// (5 s by default). Under a Cache this makes the file be checked again
// periodically; the file is parsed again only when its size, modification
// time or identity (inode) changed. So keys rotated in the file, by an atomic
// rename or by a rewrite in place, are picked up without a restart.
//
// # Secrets are never printed
//
// [Credentials] formats itself with the secret access key and the session
// token replaced by "<redacted>" for every fmt verb, for json.Marshal and
// for log/slog. Errors of this package never contain a secret, a session
// token or the contents of a file: parse errors name the file and the line.
// Two fmt cases bypass every method and print raw fields, so avoid them: a
// Credentials held in an unexported field of a struct that is printed, and
// the verb %p applied to a Credentials value (not a pointer), which fmt
// reports as a bad verb by dumping the value.
package credentials
