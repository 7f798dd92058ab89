package sigv4

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// The net/http layer: sign an *http.Request, presign a URL, sign every
// request of a client. It converts to the low-level Request and so
// allocates, but shares the canonicalizer with everything else.

// httpSkip are headers this layer never signs although a caller may have
// put them in http.Header: net/http writes Content-Length from
// Request.ContentLength and drops or rewrites these, so signing them
// breaks requests in flight (aws-sdk-go-v2 issues 1728, 3250).
var httpSkip = []string{"Content-Length"}

var resultPool = sync.Pool{New: func() any { return new(Result) }}

type httpWork struct {
	res  *Result
	hdrs []Header
}

// fromHTTP views r as a low-level Request. For S3 signers the path is
// first rewritten into its canonical escaping so that what is sent is
// what was signed.
func (s *Signer) fromHTTP(r *http.Request, payloadHash string) (*Request, error) {
	if r.URL == nil {
		return nil, fieldErr("url", "missing")
	}
	path := r.URL.EscapedPath()
	if s.opts.DisableDoubleEncoding && r.URL.Opaque == "" {
		p, err := EscapePath(path)
		if err != nil {
			return nil, err
		}
		if p != path {
			u := *r.URL
			u.RawPath = p
			if u.Path, err = url.PathUnescape(p); err != nil {
				return nil, fieldErr("path", "invalid percent-encoding")
			}
			r.URL = &u
			path = p
		}
	}
	if r.URL.Opaque != "" {
		// "//host/path" form: the path is what follows the host.
		path = r.URL.Opaque
		if strings.HasPrefix(path, "//") {
			if i := strings.IndexByte(path[2:], '/'); i >= 0 {
				path = path[2+i:]
			} else {
				path = "/"
			}
		}
	}
	if path == "" {
		path = "/"
	}
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	if host == "" {
		return nil, fieldErr("host", "request has no Host and its URL no host")
	}
	hdrs := make([]Header, 0, len(r.Header)+1)
	hdrs = append(hdrs, Header{Name: "Host", Value: host})
	for name, values := range r.Header {
		if slices.Contains(httpSkip, name) || strings.EqualFold(name, "Host") {
			continue
		}
		for _, v := range values {
			hdrs = append(hdrs, Header{Name: name, Value: v})
		}
	}
	return &Request{Method: r.Method, Path: path, RawQuery: r.URL.RawQuery, Headers: hdrs, PayloadHash: payloadHash}, nil
}

// SignHTTP signs r in place as of t: it sets Authorization, X-Amz-Date
// and, when they apply, X-Amz-Security-Token and X-Amz-Content-Sha256.
// payloadHash is the hex SHA-256 of the body, UnsignedPayload, or "" for
// an empty body. It never signs Content-Length or the headers listed in
// Options and the default ignore list.
func (s *Signer) SignHTTP(ctx context.Context, r *http.Request, payloadHash string, t time.Time) error {
	req, err := s.fromHTTP(r, payloadHash)
	if err != nil {
		return err
	}
	res := resultPool.Get().(*Result)
	defer resultPool.Put(res)
	if err := s.Sign(ctx, res, req, t); err != nil {
		return err
	}
	if r.Header == nil {
		r.Header = make(http.Header)
	}
	h := r.Header
	h.Del(HeaderSecurityToken)
	h.Set(HeaderDate, string(res.Date()))
	if v := res.SecurityToken(); v != "" {
		h.Set(HeaderSecurityToken, v)
	}
	if v := res.ContentSHA256(); v != "" {
		h.Set(HeaderContentSHA256, v)
	}
	h.Set(HeaderAuthorization, string(res.Authorization()))
	return nil
}

// PresignHTTP returns a URL for r, signed in its query, valid for expires
// from t. r is not modified. Whoever uses the URL must send the headers
// that were signed (see the X-Amz-SignedHeaders parameter) with the same
// values, and no body unless payloadHash covers it (S3 presigned GETs use
// UnsignedPayload).
func (s *Signer) PresignHTTP(ctx context.Context, r *http.Request, payloadHash string, t time.Time, expires time.Duration) (string, error) {
	rc := *r
	req, err := s.fromHTTP(&rc, payloadHash)
	if err != nil {
		return "", err
	}
	res := resultPool.Get().(*Result)
	defer resultPool.Put(res)
	if err := s.Presign(ctx, res, req, t, expires); err != nil {
		return "", err
	}
	u := *rc.URL
	u.RawQuery = string(res.Query())
	if u.Host == "" {
		u.Host = rc.Host
	}
	if u.Scheme == "" {
		u.Scheme = "https"
	}
	return u.String(), nil
}

// Transport is an http.RoundTripper that signs every request with Signer
// before Base sends it. It hashes the body when it must (reading it into
// memory and restoring it, GetBody included); a caller-supplied
// X-Amz-Content-Sha256 header is used as the payload hash as it is.
type Transport struct {
	Signer *Signer
	// Base sends the signed requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Now returns the signing time; nil means time.Now.
	Now func() time.Time
}

// RoundTrip signs a clone of r and sends it.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.Signer == nil {
		return nil, errors.New("sigv4: Transport has no Signer")
	}
	r2 := r.Clone(r.Context())
	closeBody := func() {
		if r.Body != nil {
			r.Body.Close()
		}
	}
	payload, err := t.payloadHash(r2)
	if err != nil {
		closeBody()
		return nil, err
	}
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	if err := t.Signer.SignHTTP(r.Context(), r2, payload, now()); err != nil {
		closeBody()
		return nil, err
	}
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(r2)
}

// payloadHash returns the hash to sign r's body with, replacing r.Body by
// an in-memory copy when it had to be read.
func (t *Transport) payloadHash(r *http.Request) (string, error) {
	if v := r.Header.Get(HeaderContentSHA256); v != "" {
		return v, nil
	}
	if r.Body == nil || r.Body == http.NoBody {
		if t.Signer.opts.UnsignedPayload {
			return UnsignedPayload, nil
		}
		return EmptyPayloadHash, nil
	}
	if t.Signer.opts.UnsignedPayload {
		return UnsignedPayload, nil
	}
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return "", &Error{Field: "body", Reason: "reading it to hash it", Err: err}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	r.ContentLength = int64(len(body))
	return HashBytes(body), nil
}
