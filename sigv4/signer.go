package sigv4

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/awsv4/awsv4/sigv4/credentials"
	"github.com/awsv4/awsv4/sigv4/internal/sha"
)

// Options change how a Signer canonicalizes and what it signs. The zero
// value is the rule for every AWS service except S3; S3Options gives S3's.
type Options struct {
	// DisableDoubleEncoding signs the path as sent instead of
	// URI-encoding it again (S3).
	DisableDoubleEncoding bool
	// DisablePathNormalization keeps ".", ".." and empty segments (S3).
	DisablePathNormalization bool
	// AddContentSHA256 makes Sign add and sign X-Amz-Content-Sha256 with
	// the payload hash (S3 requires it).
	AddContentSHA256 bool
	// UnsignedPayload signs UNSIGNED-PAYLOAD when a request has no
	// PayloadHash, instead of the hash of an empty body (S3 GETs).
	UnsignedPayload bool
	// OmitSessionToken adds X-Amz-Security-Token after signing instead of
	// signing it, for the few services that want it so.
	OmitSessionToken bool
	// IncludeHeaders, when not empty, is an allow-list: only Host,
	// X-Amz-* headers and these names are signed.
	IncludeHeaders []string
	// ExcludeHeaders are never signed, in addition to the headers every
	// signer leaves out (Authorization, User-Agent, Expect, ...).
	ExcludeHeaders []string
}

// S3Options returns the rules S3 needs: the path is signed as sent and not
// normalized, X-Amz-Content-Sha256 is added, and a request without a
// PayloadHash is signed with UNSIGNED-PAYLOAD, as S3 presigned URLs must be.
func S3Options() Options {
	return Options{DisableDoubleEncoding: true, DisablePathNormalization: true, AddContentSHA256: true, UnsignedPayload: true}
}

// DefaultOptions returns S3Options for the S3 signing names ("s3",
// "s3-object-lambda") and the zero Options for every other service.
func DefaultOptions(service string) Options {
	switch service {
	case "s3", "s3-object-lambda":
		return S3Options()
	}
	return Options{}
}

// Signer signs requests for one region and service with credentials from
// one provider. It is safe for concurrent use; create it once and reuse
// it, so that its derived signing key is reused.
type Signer struct {
	region, service string
	scope           string // "/<region>/<service>/aws4_request"
	creds           credentials.Provider
	opts            Options
	keys            keyCache
	noKeyCache      bool // benchmarks of the uncached path
}

// New returns a Signer. opts nil means DefaultOptions(service).
func New(region, service string, creds credentials.Provider, opts *Options) (*Signer, error) {
	if err := checkScopePart("region", region); err != nil {
		return nil, err
	}
	if err := checkScopePart("service", service); err != nil {
		return nil, err
	}
	if creds == nil {
		return nil, fieldErr("credentials", "no provider")
	}
	o := DefaultOptions(service)
	if opts != nil {
		o = *opts
	}
	var err error
	if o.IncludeHeaders, err = lowerNames("IncludeHeaders", o.IncludeHeaders); err != nil {
		return nil, err
	}
	if o.ExcludeHeaders, err = lowerNames("ExcludeHeaders", o.ExcludeHeaders); err != nil {
		return nil, err
	}
	return &Signer{
		region: region, service: service,
		scope: "/" + region + "/" + service + "/aws4_request",
		creds: creds, opts: o,
	}, nil
}

// Region returns the signing region.
func (s *Signer) Region() string { return s.region }

// Service returns the signing service name.
func (s *Signer) Service() string { return s.service }

// Options returns the signer's options.
func (s *Signer) Options() Options { return s.opts }

func checkScopePart(field, v string) error {
	if v == "" {
		return fieldErr(field, "empty")
	}
	if len(v) > maxScopePart {
		return fieldErr(field, "longer than "+strconv.Itoa(maxScopePart)+" bytes")
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; !unreserved[c] || c == '~' {
			return fieldErr(field, "invalid character at byte "+strconv.Itoa(i)+" (want a-z, 0-9, '-', '_', '.')")
		}
	}
	return nil
}

func lowerNames(field string, names []string) ([]string, error) {
	out := make([]string, len(names))
	for i, n := range names {
		if badTokenByte(n) >= 0 {
			return nil, fieldErr(field, "entry "+strconv.Itoa(i)+" is not a header name")
		}
		out[i] = strings.ToLower(n)
	}
	return out, nil
}

// Sign signs req for the Authorization header as of t. The headers to set
// on the request are in res: Authorization, Date (X-Amz-Date),
// SecurityToken and ContentSHA256 (each set only when not empty).
func (s *Signer) Sign(ctx context.Context, res *Result, req *Request, t time.Time) error {
	return s.sign(ctx, res, req, t, false, 0)
}

// Presign signs req as a presigned URL valid for expires (1 s to 7 days,
// or NoExpires) from t. The query string to send is res.Query(); send no
// headers beyond those that were signed.
func (s *Signer) Presign(ctx context.Context, res *Result, req *Request, t time.Time, expires time.Duration) error {
	if expires != NoExpires && (expires < MinPresignExpiry || expires > MaxPresignExpiry || expires%time.Second != 0) {
		return fieldErr("expires", "must be whole seconds from 1s to 168h (7 days)")
	}
	return s.sign(ctx, res, req, t, true, expires)
}

func (s *Signer) sign(ctx context.Context, res *Result, req *Request, t time.Time, presign bool, expires time.Duration) error {
	creds, err := s.creds.Retrieve(ctx)
	if err != nil {
		return &credentialsError{err}
	}
	if err := ValidateCredentials(&creds); err != nil {
		return err
	}
	return s.signWith(res, req, &creds, t, presign, expires)
}

// ValidateCredentials reports whether c can sign: a key id and a secret,
// and a key id that fits in Credential= (no '/', space or non-ASCII
// byte). The error matches ErrCredentials and holds no secret.
func ValidateCredentials(c *credentials.Credentials) error {
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return &credentialsError{errors.New("empty access key id or secret")}
	}
	for i := 0; i < len(c.AccessKeyID); i++ {
		if b := c.AccessKeyID[i]; b <= ' ' || b == '/' || b > '~' {
			return &credentialsError{errors.New("access key id holds '/', a space or a non-ASCII byte")}
		}
	}
	return nil
}

func (s *Signer) signWith(res *Result, req *Request, creds *credentials.Credentials, t time.Time, presign bool, expires time.Duration) (err error) {
	r := res
	r.canon, r.out, r.names = r.canon[:0], r.out[:0], r.names[:0]
	r.hdrs, r.qs = r.hdrs[:0], r.qs[:0]
	r.presign = presign
	r.token, r.payload = "", ""
	if r.date, err = amzDate(t); err != nil {
		return err
	}
	if i := badTokenByte(req.Method); i >= 0 {
		return fieldErr("method", "empty or not an HTTP token")
	}
	payload := req.PayloadHash
	if payload == "" {
		payload = EmptyPayloadHash
		if s.opts.UnsignedPayload {
			payload = UnsignedPayload
		}
	} else if !validPayloadHash(payload) {
		return fieldErr("payload hash", "want 64 lower-case hex digits or a constant such as UNSIGNED-PAYLOAD")
	}
	signToken := creds.SessionToken != "" && !s.opts.OmitSessionToken
	token := ""
	if signToken && !presign {
		token = creds.SessionToken
	}
	if err := r.collectHeaders(req.Headers, &s.opts, presign, token, payload); err != nil {
		return err
	}
	if !presign {
		r.token = creds.SessionToken
		if s.opts.AddContentSHA256 {
			r.payload = payload
		}
	}

	// Canonical request: method, path, query, headers, signed list, payload.
	r.canon = append(r.canon, req.Method...)
	r.canon = append(r.canon, '\n')
	if err := r.appendPath(req.Path, !s.opts.DisablePathNormalization, !s.opts.DisableDoubleEncoding); err != nil {
		return err
	}
	r.canon = append(r.canon, '\n')
	if err := r.parseQuery(req.RawQuery, presign, presign); err != nil {
		return err
	}
	day := r.date[:8]
	if presign {
		r.addPresignParams(creds, day, s.scope, expires, signToken)
	}
	r.appendQuery()
	r.canon = append(r.canon, '\n')
	if err := r.appendHeaders(); err != nil {
		return err
	}
	r.canon = append(r.canon, '\n')
	r.canon = append(r.canon, payload...)

	// String to sign and signature.
	digest := sha.Sum256(r.canon)
	r.sts = append(r.sts[:0], Algorithm+"\n"...)
	r.sts = append(r.sts, r.date[:]...)
	r.sts = append(r.sts, '\n')
	r.sts = append(r.sts, day...)
	r.sts = append(r.sts, s.scope...)
	r.sts = append(r.sts, '\n')
	var hexDigest [64]byte
	hex32(&hexDigest, &digest)
	r.sts = append(r.sts, hexDigest[:]...)

	var key hmacKey
	pk := &key
	if s.noKeyCache {
		key = deriveKey(creds.SecretAccessKey, day, s.region, s.service)
	} else {
		pk = s.keys.get(creds, day, s.region, s.service)
	}
	var mac [sha.Size]byte
	mac, r.scratch = pk.sum(r.scratch, r.sts)
	hex32(&r.sig, &mac)

	if presign {
		r.appendPresignedQuery(creds, day, s.scope, expires)
		return nil
	}
	r.out = append(r.out, Algorithm+" Credential="...)
	r.out = append(r.out, creds.AccessKeyID...)
	r.out = append(r.out, '/')
	r.out = append(r.out, day...)
	r.out = append(r.out, s.scope...)
	r.out = append(r.out, ", SignedHeaders="...)
	r.out = append(r.out, r.SignedHeaders()...)
	r.out = append(r.out, ", Signature="...)
	r.out = append(r.out, r.sig[:]...)
	return nil
}

func validPayloadHash(p string) bool {
	if len(p) == 64 {
		var notHex byte
		for i := 0; i < 64; i++ { // no early exit: one OR per byte, no branch
			notHex |= notLowerHex[p[i]]
		}
		if notHex == 0 {
			return true
		}
	}
	// A named constant: UNSIGNED-PAYLOAD, STREAMING-..., always with a '-'.
	dash := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case 'A' <= c && c <= 'Z', '0' <= c && c <= '9' && i > 0:
		case c == '-' && i > 0:
			dash = true
		default:
			return false
		}
	}
	return dash
}

// notLowerHex is 1 for every byte but 0-9 and a-f.
var notLowerHex = func() (t [256]byte) {
	for c := range t {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			t[c] = 1
		}
	}
	return t
}()
