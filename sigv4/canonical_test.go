package sigv4

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/awsv4/awsv4/sigv4/credentials"
)

// Expected values in this file are written by hand from the SigV4 rules
// (AWS docs "Create a canonical request", FORMAT.md §7.2), never taken
// from the signer's own output.

var testTime = time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)

func testSigner(t testing.TB, service string, opts *Options) *Signer {
	t.Helper()
	creds, err := credentials.NewStatic("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")
	require.NoError(t, err)
	s, err := New("us-east-1", service, creds, opts)
	require.NoError(t, err)
	return s
}

// canonLines signs req and returns the canonical request's lines.
func canonLines(t *testing.T, s *Signer, req Request) []string {
	t.Helper()
	if len(req.Headers) == 0 {
		req.Headers = []Header{{"Host", "example.amazonaws.com"}}
	}
	if req.Method == "" {
		req.Method = "GET"
	}
	var res Result
	require.NoError(t, s.Sign(context.Background(), &res, &req, testTime))
	return strings.Split(string(res.CanonicalRequest()), "\n")
}

func lastButOne(lines []string) string { return lines[len(lines)-2] }

func TestCanonicalPath(t *testing.T) {
	cases := []struct {
		path, other, s3 string // other services (normalize + double encode), S3 (as sent)
	}{
		{"/", "/", "/"},
		{"/a b/c", "/a%20b/c", "/a b/c"},
		{"/my-function%3Aprod/x", "/my-function%253Aprod/x", "/my-function%3Aprod/x"},
		{"/%E1%88%B4", "/%25E1%2588%25B4", "/%E1%88%B4"},
		{"/a+b=c&d", "/a%2Bb%3Dc%26d", "/a+b=c&d"},
		{"/~user/._-", "/~user/._-", "/~user/._-"},
		{"/a/./b/../c", "/a/c", "/a/./b/../c"},
		{"//a//b//", "/a/b/", "//a//b//"},
		{"/../../x", "/x", "/../../x"},
		{"/a/..", "/", "/a/.."},
		{"/a/b/..", "/a", "/a/b/.."},
		{"/a/b/../", "/a/", "/a/b/../"},
		{"/.", "/", "/."},
		{"/\xe1\x88\xb4", "/%E1%88%B4", "/\xe1\x88\xb4"},
	}
	other := testSigner(t, "service", nil)
	s3 := testSigner(t, "s3", nil)
	for _, c := range cases {
		require.Equal(t, c.other, canonLines(t, other, Request{Path: c.path})[1], "service, path %q", c.path)
		require.Equal(t, c.s3, canonLines(t, s3, Request{Path: c.path})[1], "s3, path %q", c.path)
	}
	// Normalization without double encoding, and encoding without normalization.
	o := testSigner(t, "service", &Options{DisablePathNormalization: true})
	require.Equal(t, "/a/./b%2520c", canonLines(t, o, Request{Path: "/a/./b%20c"})[1])
	o = testSigner(t, "service", &Options{DisableDoubleEncoding: true})
	require.Equal(t, "/b%20c", canonLines(t, o, Request{Path: "/a/../b%20c"})[1])
}

func TestCanonicalQuery(t *testing.T) {
	s := testSigner(t, "service", nil)
	cases := []struct{ raw, want string }{
		{"", ""},
		{"b=2&a=1", "a=1&b=2"},
		{"a=2&a=1&a=10", "a=1&a=10&a=2"},
		{"flag", "flag="},
		{"x=&y", "x=&y="},
		{"a=1&&b=2&", "a=1&b=2"},
		{"q=red+shoes", "q=red%20shoes"},   // '+' is a space in a query
		{"q=red%2Bshoes", "q=red%2Bshoes"}, // an escaped '+' stays a plus
		{"q=a%20b", "q=a%20b"},             // one canonical spelling...
		{"q=a b", "q=a%20b"},               // ...for every way of sending a space
		{"p=%2f%3a", "p=%2F%3A"},           // escapes in upper case
		{"p=%41%7e", "p=A~"},               // unreserved bytes decoded
		{"k=v=w", "k=v%3Dw"},               // split at the first '='
		{"Param-3=x&Param=y&%E1%88%B4=z", "%E1%88%B4=z&Param=y&Param-3=x"},
		{"B=1&a=1", "B=1&a=1"}, // bytewise: upper case sorts first
		{"\xe1\x88\xb4=bar", "%E1%88%B4=bar"},
		{"a=(b)*c!'", "a=%28b%29%2Ac%21%27"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, canonLines(t, s, Request{Path: "/", RawQuery: c.raw})[2], "query %q", c.raw)
	}
}

func TestCanonicalHeaders(t *testing.T) {
	s := testSigner(t, "service", nil)
	lines := canonLines(t, s, Request{Path: "/", Headers: []Header{
		{"Host", "example.amazonaws.com:8443"},
		{"My-Header", "  a   b\t\tc  "},
		{"my-header", "second"},
		{"MY-HEADER", ""},
		{"Zed", "z"},
		{"User-Agent", "curl/8"},
		{"X-Amzn-Trace-Id", "Root=1"},
		{"Expect", "100-continue"},
		{"Connection", "keep-alive"},
		{"Transfer-Encoding", "chunked"},
		{"Sec-WebSocket-Key", "k"},
		{"Authorization", "old"},
		{"X-Amz-Date", "19990101T000000Z"},      // the signer's own
		{"X-Amz-Security-Token", "stale-token"}, // the signer's own
		{"Content-Length", "0"},                 // signed when given at this level
	}})
	require.Equal(t, []string{
		"content-length:0",
		"host:example.amazonaws.com:8443",
		"my-header:a b c,second,",
		"x-amz-date:20150830T123600Z",
		"zed:z",
		"",
		"content-length;host;my-header;x-amz-date;zed",
	}, lines[3:10])
}

func TestHeaderPolicyLists(t *testing.T) {
	hdrs := []Header{
		{"Host", "h"}, {"Content-Type", "text/plain"}, {"X-Varnish", "1"},
		{"X-Amz-Meta-A", "m"}, {"Via", "1.1 varnish"},
	}
	allow := testSigner(t, "service", &Options{IncludeHeaders: []string{"Content-Type"}})
	require.Equal(t, "content-type;host;x-amz-date;x-amz-meta-a", lastButOne(canonLines(t, allow, Request{Path: "/", Headers: hdrs})))
	deny := testSigner(t, "service", &Options{ExcludeHeaders: []string{"x-varnish", "VIA"}})
	require.Equal(t, "content-type;host;x-amz-date;x-amz-meta-a", lastButOne(canonLines(t, deny, Request{Path: "/", Headers: hdrs})))
	// Host can be neither excluded nor left out by an allow-list.
	noHost := testSigner(t, "service", &Options{ExcludeHeaders: []string{"host"}})
	require.Contains(t, lastButOne(canonLines(t, noHost, Request{Path: "/", Headers: hdrs})), "host")
}

func TestS3AddsContentSHA256(t *testing.T) {
	s := testSigner(t, "s3", nil)
	var res Result
	req := Request{Method: "GET", Path: "/k", Headers: []Header{{"Host", "b.s3.amazonaws.com"}, {"X-Amz-Content-Sha256", "stale"}}, PayloadHash: UnsignedPayload}
	require.NoError(t, s.Sign(context.Background(), &res, &req, testTime))
	require.Equal(t, UnsignedPayload, res.ContentSHA256())
	require.Contains(t, string(res.CanonicalRequest()), "\nx-amz-content-sha256:UNSIGNED-PAYLOAD\n")
	require.True(t, strings.HasSuffix(string(res.CanonicalRequest()), "\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD"))

	u := testSigner(t, "s3", &Options{DisableDoubleEncoding: true, AddContentSHA256: true, UnsignedPayload: true})
	req.PayloadHash = ""
	require.NoError(t, u.Sign(context.Background(), &res, &req, testTime))
	require.Equal(t, UnsignedPayload, res.ContentSHA256())
}

func TestSessionToken(t *testing.T) {
	creds, _ := credentials.NewStatic("AKIDEXAMPLE", "secret", "tok/en+=")
	for _, omit := range []bool{false, true} {
		s, err := New("us-east-1", "service", creds, &Options{OmitSessionToken: omit})
		require.NoError(t, err)
		var res Result
		req := Request{Method: "GET", Path: "/", Headers: []Header{{"Host", "h"}}}
		require.NoError(t, s.Sign(context.Background(), &res, &req, testTime))
		require.Equal(t, "tok/en+=", res.SecurityToken())
		require.Equal(t, !omit, strings.Contains(string(res.CanonicalRequest()), "x-amz-security-token:tok/en+=\n"))
		require.NoError(t, s.Presign(context.Background(), &res, &req, testTime, time.Minute))
		require.Equal(t, "", res.SecurityToken(), "presign sends the token in the query")
		require.Contains(t, string(res.Query()), "X-Amz-Security-Token=tok%2Fen%2B%3D")
		require.Equal(t, !omit, strings.Contains(string(res.CanonicalRequest()), "X-Amz-Security-Token=tok%2Fen%2B%3D"))
	}
}

func TestPresignQuery(t *testing.T) {
	s := testSigner(t, "service", nil)
	var res Result
	req := Request{Method: "GET", Path: "/", RawQuery: "b=2&X-Amz-Signature=old&a=1", Headers: []Header{{"Host", "h"}}}
	require.NoError(t, s.Presign(context.Background(), &res, &req, testTime, 300*time.Second))
	q := string(res.Query())
	require.True(t, strings.HasPrefix(q, "b=2&a=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature="), q)
	require.Equal(t, 1, strings.Count(q, "X-Amz-Signature="))
	require.Nil(t, res.Authorization())
	// Bytewise order puts "X-Amz-" (0x58) before "a" (0x61).
	require.Equal(t, "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&a=1&b=2",
		strings.Split(string(res.CanonicalRequest()), "\n")[2])

	for _, bad := range []time.Duration{0, time.Millisecond, 1500 * time.Millisecond, -time.Second, 7*24*time.Hour + time.Second} {
		err := s.Presign(context.Background(), &res, &req, testTime, bad)
		require.ErrorIs(t, err, ErrInvalidInput, "expires %v", bad)
		require.Contains(t, err.Error(), "expires")
	}
	require.NoError(t, s.Presign(context.Background(), &res, &req, testTime, 7*24*time.Hour))
	require.NoError(t, s.Presign(context.Background(), &res, &req, testTime, NoExpires))
	require.NotContains(t, string(res.Query()), "X-Amz-Expires")
}

func TestBadInput(t *testing.T) {
	s := testSigner(t, "service", nil)
	good := func() Request {
		return Request{Method: "GET", Path: "/", Headers: []Header{{"Host", "h"}}}
	}
	cases := []struct {
		field string
		edit  func(*Request)
		when  time.Time
	}{
		{"method", func(r *Request) { r.Method = "" }, testTime},
		{"method", func(r *Request) { r.Method = "GE T" }, testTime},
		{"path", func(r *Request) { r.Path = "" }, testTime},
		{"path", func(r *Request) { r.Path = "relative" }, testTime},
		{"path", func(r *Request) { r.Path = "/a\x00b" }, testTime},
		{"path", func(r *Request) { r.Path = "/a?b" }, testTime},
		{"path", func(r *Request) { r.Path = "/a#b" }, testTime},
		{"query", func(r *Request) { r.RawQuery = "a=%zz" }, testTime},
		{"query", func(r *Request) { r.RawQuery = "a=%4" }, testTime},
		{"query", func(r *Request) { r.RawQuery = "a=\n" }, testTime},
		{"header 1 name", func(r *Request) { r.Headers = append(r.Headers, Header{"", "v"}) }, testTime},
		{"header 1 name", func(r *Request) { r.Headers = append(r.Headers, Header{"Bad Name", "v"}) }, testTime},
		{"header 1 name", func(r *Request) { r.Headers = append(r.Headers, Header{"a:b", "v"}) }, testTime},
		{"header 1 value", func(r *Request) { r.Headers = append(r.Headers, Header{"X", "a\r\nInjected: 1"}) }, testTime},
		{"header 1 value", func(r *Request) { r.Headers = append(r.Headers, Header{"X", "a\x00"}) }, testTime},
		{"headers", func(r *Request) { r.Headers = []Header{{"X", "y"}} }, testTime},
		{"payload hash", func(r *Request) { r.PayloadHash = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855" }, testTime},
		{"payload hash", func(r *Request) { r.PayloadHash = "abc" }, testTime},
		{"payload hash", func(r *Request) { r.PayloadHash = "-UNSIGNED" }, testTime},
		{"time", func(r *Request) {}, time.Time{}},
	}
	for _, c := range cases {
		req := good()
		c.edit(&req)
		var res Result
		err := s.Sign(context.Background(), &res, &req, c.when)
		require.Error(t, err, c.field)
		require.ErrorIs(t, err, ErrInvalidInput)
		var e *Error
		require.True(t, errors.As(err, &e))
		require.Equal(t, c.field, e.Field, err.Error())
		require.NotContains(t, err.Error(), "wJalrXUtnFEMI")
	}
}

func TestNewValidates(t *testing.T) {
	creds, _ := credentials.NewStatic("AKID", "secret", "")
	for _, c := range []struct{ region, service string }{
		{"", "s3"}, {"us-east-1", ""}, {"us east", "s3"}, {"us-east-1", "s3/x"},
		{strings.Repeat("a", 65), "s3"}, {"us-east-1", "svc\n"},
	} {
		_, err := New(c.region, c.service, creds, nil)
		require.ErrorIs(t, err, ErrInvalidInput, "%q %q", c.region, c.service)
	}
	_, err := New("us-east-1", "s3", nil, nil)
	require.ErrorIs(t, err, ErrInvalidInput)
	_, err = New("us-east-1", "s3", creds, &Options{IncludeHeaders: []string{"bad name"}})
	require.ErrorIs(t, err, ErrInvalidInput)
}

func TestCredentialErrors(t *testing.T) {
	failing := credentials.ProviderFunc(func(context.Context) (credentials.Credentials, error) {
		return credentials.Credentials{}, errors.New("credentials file unreadable: /x: permission denied")
	})
	s, err := New("us-east-1", "lambda", failing, nil)
	require.NoError(t, err)
	var res Result
	req := Request{Method: "GET", Path: "/", Headers: []Header{{"Host", "h"}}}
	err = s.Sign(context.Background(), &res, &req, testTime)
	require.ErrorIs(t, err, ErrCredentials)
	require.Contains(t, err.Error(), "permission denied")

	empty := credentials.ProviderFunc(func(context.Context) (credentials.Credentials, error) {
		return credentials.Credentials{AccessKeyID: "AKID"}, nil
	})
	s, _ = New("us-east-1", "lambda", empty, nil)
	require.ErrorIs(t, s.Sign(context.Background(), &res, &req, testTime), ErrCredentials)
}
