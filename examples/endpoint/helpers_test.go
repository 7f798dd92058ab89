package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/encoding/httpbinding"
)

// The aws-sdk-go-v2 signer is the CLIENT in these tests; the server under test
// verifies with its own rebuilt request (also through the SDK, but from what
// arrived on the wire, which is the part under test).

const (
	testAKID   = "AKIDEXAMPLE"
	testSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	tokAKID    = "ASIATESTTOKEN"
	tokSecret  = "tokSecret/+Key0123456789"
	tokToken   = "FQoGZXIvYXdzEXAMPLE/tok+en=="
	region     = "us-east-1"

	lambdaHost = "lambda.us-east-1.amazonaws.com"
	furlHost   = "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws"
	s3Host     = "s3.us-east-1.amazonaws.com"
	vhostS3    = "bkt.s3.us-east-1.amazonaws.com"
)

// syncBuffer is a goroutine-safe bytes.Buffer for the -log output.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is a running endpoint.
type env struct {
	t      *testing.T
	ts     *httptest.Server
	srv    *server
	stdout *syncBuffer
	stderr *syncBuffer
}

// newEnv starts an endpoint with the test keys; args are extra flags.
func newEnv(t *testing.T, args ...string) *env {
	t.Helper()
	all := append([]string{"-key", testAKID + ":" + testSecret, "-key", tokAKID + ":" + tokSecret + ":" + tokToken, "-log"}, args...)
	e := &env{t: t, stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	cfg, err := parseFlags(all, e.stderr)
	if err != nil {
		t.Fatal(err)
	}
	e.srv, err = newServer(cfg, e.stdout, e.stderr)
	if err != nil {
		t.Fatal(err)
	}
	e.ts = httptest.NewServer(e.srv)
	t.Cleanup(func() {
		e.ts.Close()
		// Whatever happened, no secret may have reached the log.
		for _, s := range []string{testSecret, tokSecret, tokToken} {
			if strings.Contains(e.stdout.String(), s) || strings.Contains(e.stderr.String(), s) {
				t.Errorf("a secret or session token appears in the log output")
			}
		}
	})
	return e
}

// req builds a request to the endpoint addressed to host (the AWS name).
func (e *env) req(method, host, pathQuery string, body []byte) *http.Request {
	e.t.Helper()
	r, err := http.NewRequest(method, e.ts.URL+pathQuery, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	r.Host = host
	return r
}

// do sends r and returns the response with its body read.
func (e *env) do(r *http.Request) (*http.Response, []byte) {
	e.t.Helper()
	resp, err := e.ts.Client().Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, b
}

// signOpts describes how the client signs.
type signOpts struct {
	akid, secret, token string
	region, service     string
	time                time.Time
	payloadHash         string // default: sha256(body); S3 also sets x-amz-content-sha256
	noContentSHA        bool   // S3: do not send x-amz-content-sha256
	singleEncode        bool   // sign the path without the SDK's second encoding
}

func hashHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// sign signs r (whose body is body) with aws-sdk-go-v2 as a client would.
func sign(t *testing.T, r *http.Request, body []byte, o signOpts) {
	t.Helper()
	if o.akid == "" {
		o.akid, o.secret = testAKID, testSecret
	}
	if o.region == "" {
		o.region = region
	}
	if o.service == "" {
		o.service = "lambda"
	}
	if o.time.IsZero() {
		o.time = time.Now()
	}
	if o.payloadHash == "" {
		o.payloadHash = hashHex(body)
	}
	s3 := o.service == "s3"
	if s3 && !o.noContentSHA {
		r.Header.Set("X-Amz-Content-Sha256", o.payloadHash)
	}
	signer := v4.NewSigner(func(so *v4.SignerOptions) {
		so.DisableURIPathEscaping = s3 || o.singleEncode
	})
	creds := aws.Credentials{AccessKeyID: o.akid, SecretAccessKey: o.secret, SessionToken: o.token}
	if err := signer.SignHTTP(context.Background(), creds, r, o.payloadHash, o.service, o.region, o.time); err != nil {
		t.Fatal(err)
	}
}

// presign returns a presigned path+query for an S3 GET of path at host.
func presign(t *testing.T, host, path string, expires int, at time.Time, creds ...aws.Credentials) string {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, "https://"+host+path+"?X-Amz-Expires="+strconv.Itoa(expires), nil)
	if err != nil {
		t.Fatal(err)
	}
	signer := v4.NewSigner(func(so *v4.SignerOptions) { so.DisableURIPathEscaping = true })
	c := aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret}
	if len(creds) > 0 {
		c = creds[0]
	}
	u, _, err := signer.PresignHTTP(context.Background(), c, r, "UNSIGNED-PAYLOAD", "s3", region, at)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u, "https://"+host)
}

// s3Path is how the SDK's S3 client puts a key on the wire: each byte but
// unreserved ones and '/' %XX-encoded.
func s3Path(bucket, key string) string {
	if bucket == "" {
		return "/" + httpbinding.EscapePath(key, false)
	}
	return "/" + bucket + "/" + httpbinding.EscapePath(key, false)
}

// lambdaErr decodes a Lambda error answer and checks it.
func lambdaErr(t *testing.T, resp *http.Response, body []byte, status int, code, contains string) string {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d; body %s", resp.StatusCode, status, body)
	}
	if got := resp.Header.Get("X-Amzn-ErrorType"); got != code {
		t.Fatalf("x-amzn-ErrorType %q, want %q; body %s", got, code, body)
	}
	var m map[string]string
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, body)
	}
	if !strings.Contains(m["message"], contains) {
		t.Fatalf("message %q does not contain %q", m["message"], contains)
	}
	return m["message"]
}

// s3Error is an S3 XML error body.
type s3Error struct {
	Code             string
	Message          string
	CanonicalRequest string
	StringToSign     string
	HeadersNotSigned string
}

func s3Err(t *testing.T, resp *http.Response, body []byte, status int, code string) s3Error {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status %d, want %d; body %s", resp.StatusCode, status, body)
	}
	var e s3Error
	if err := xml.Unmarshal(body, &e); err != nil {
		t.Fatalf("body is not XML: %v: %s", err, body)
	}
	if e.Code != code {
		t.Fatalf("code %q, want %q; body %s", e.Code, code, body)
	}
	return e
}
