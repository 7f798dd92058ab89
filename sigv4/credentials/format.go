package credentials

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

const redacted = "<redacted>"

func redact(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// String returns the credentials with the secret and the session token
// redacted, e.g.
//
//	{AccessKeyID:AKIDEXAMPLE SecretAccessKey:<redacted> SessionToken: Source:env CanExpire:false}
func (c Credentials) String() string {
	var b strings.Builder
	b.WriteString("{AccessKeyID:")
	b.WriteString(c.AccessKeyID)
	b.WriteString(" SecretAccessKey:")
	b.WriteString(redact(c.SecretAccessKey))
	b.WriteString(" SessionToken:")
	b.WriteString(redact(c.SessionToken))
	b.WriteString(" Source:")
	b.WriteString(c.Source)
	if c.CanExpire {
		b.WriteString(" CanExpire:true Expires:")
		b.WriteString(c.Expires.UTC().Format(time.RFC3339))
	} else {
		b.WriteString(" CanExpire:false")
	}
	b.WriteByte('}')
	return b.String()
}

// GoString is String in Go syntax, for %#v; secrets stay redacted.
func (c Credentials) GoString() string {
	return fmt.Sprintf("credentials.Credentials{AccessKeyID:%q, SecretAccessKey:%q, SessionToken:%q, Source:%q, CanExpire:%t, Expires:%#v}",
		c.AccessKeyID, redact(c.SecretAccessKey), redact(c.SessionToken), c.Source, c.CanExpire, c.Expires)
}

// Format implements [fmt.Formatter] so that every verb (%v, %+v, %s, %q,
// %x, ...) prints the redacted form; %#v prints [Credentials.GoString].
func (c Credentials) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprint(f, c.GoString())
	case verb == 'q':
		fmt.Fprintf(f, fmt.FormatString(f, 'q'), c.String())
	default:
		fmt.Fprintf(f, fmt.FormatString(f, 's'), c.String())
	}
}

// MarshalJSON encodes the credentials with the secret and the session token
// redacted. (There is deliberately no way back: JSON is for logs.)
func (c Credentials) MarshalJSON() ([]byte, error) {
	v := struct {
		AccessKeyID     string
		SecretAccessKey string
		SessionToken    string
		Source          string
		CanExpire       bool
		Expires         *time.Time `json:",omitempty"`
	}{c.AccessKeyID, redact(c.SecretAccessKey), redact(c.SessionToken), c.Source, c.CanExpire, nil}
	if c.CanExpire {
		v.Expires = &c.Expires
	}
	return json.Marshal(v)
}

// LogValue implements [slog.LogValuer] with the secrets redacted.
func (c Credentials) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("AccessKeyID", c.AccessKeyID),
		slog.String("SecretAccessKey", redact(c.SecretAccessKey)),
		slog.String("SessionToken", redact(c.SessionToken)),
		slog.String("Source", c.Source),
		slog.Bool("CanExpire", c.CanExpire),
	}
	if c.CanExpire {
		attrs = append(attrs, slog.Time("Expires", c.Expires))
	}
	return slog.GroupValue(attrs...)
}
