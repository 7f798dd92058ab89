//go:build interop

package sigv4_test

// Interoperability with a real S3 server that verifies SigV4 with its own
// implementation: versitygw (github.com/versity/versitygw, an S3 gateway,
// not built on the AWS SDK signer). scripts/interop.sh builds and starts
// it and runs this file with
//
//	go test -tags interop -run Interop ./sigv4
//
// and these variables: AWSV4_INTEROP_S3 (http://127.0.0.1:PORT),
// AWSV4_INTEROP_BUCKET (an existing, empty bucket), AWSV4_INTEROP_AKID
// and AWSV4_INTEROP_SECRET (the server's root keys). Without them the
// tests fail: they are only compiled when asked for.

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/awsv4/awsv4/sigv4"
	"github.com/awsv4/awsv4/sigv4/credentials"
)

type interopServer struct {
	base, bucket, akid, secret string
}

func interopEnv(t *testing.T) interopServer {
	t.Helper()
	s := interopServer{
		base:   os.Getenv("AWSV4_INTEROP_S3"),
		bucket: os.Getenv("AWSV4_INTEROP_BUCKET"),
		akid:   os.Getenv("AWSV4_INTEROP_AKID"),
		secret: os.Getenv("AWSV4_INTEROP_SECRET"),
	}
	if s.base == "" || s.bucket == "" || s.akid == "" || s.secret == "" {
		t.Fatal("set AWSV4_INTEROP_S3, AWSV4_INTEROP_BUCKET, AWSV4_INTEROP_AKID and AWSV4_INTEROP_SECRET (scripts/interop.sh does)")
	}
	return s
}

// signer returns an S3 signer with the server's keys (or another secret).
func (s interopServer) signer(t *testing.T, secret string, opts *sigv4.Options) *sigv4.Signer {
	t.Helper()
	creds, err := credentials.NewStatic(s.akid, secret, "")
	if err != nil {
		t.Fatal(err)
	}
	sg, err := sigv4.New("us-east-1", "s3", creds, opts)
	if err != nil {
		t.Fatal(err)
	}
	return sg
}

func (s interopServer) client(sg *sigv4.Signer) *http.Client {
	return &http.Client{Transport: &sigv4.Transport{Signer: sg}, Timeout: 30 * time.Second}
}

// objectURL is the path-style URL of key, as net/http spells it.
func (s interopServer) objectURL(t *testing.T, key string) string {
	t.Helper()
	u, err := url.Parse(s.base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + s.bucket + "/" + key
	return u.String()
}

// do sends a request and returns the status and body.
func do(t *testing.T, c *http.Client, method, u string, body []byte, hdr http.Header) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// Keys with every character users report trouble with (peers-and-users
// §C 4-6): space, plus, at, tilde, percent, equals, parentheses, star,
// bang, single quote, semicolon, colon, comma, ampersand, dollar, UTF-8
// and runs of spaces.
var interopKeys = []string{
	"a b.txt", "a+b.txt", "user@example.com.txt", "~tilde.txt", "100%.txt",
	"café/naïve ü.txt", "eq=(1)*!'.txt", "semi;colon:comma,amp&dollar$.txt",
	"two  spaces.txt", "deep/er/key-_.~.txt", "emoji-😀.txt",
}

func TestInteropS3Objects(t *testing.T) {
	s := interopEnv(t)
	hashed := sigv4.S3Options()
	hashed.UnsignedPayload = false // PUTs sign the body's real SHA-256
	put := s.client(s.signer(t, s.secret, &hashed))
	get := s.client(s.signer(t, s.secret, nil)) // S3 defaults: UNSIGNED-PAYLOAD
	for _, key := range interopKeys {
		body := []byte("object " + key + "\n\x00binary\x00")
		u := s.objectURL(t, key)
		if code, msg := do(t, put, "PUT", u, body, nil); code != 200 {
			t.Fatalf("PUT %q: %d %s", key, code, msg)
		}
		code, got := do(t, get, "GET", u, nil, nil)
		if code != 200 || got != string(body) {
			t.Fatalf("GET %q: %d %q", key, code, got)
		}
		if code, _ := do(t, get, "HEAD", u, nil, nil); code != 200 {
			t.Fatalf("HEAD %q: %d", key, code)
		}
	}
}

func TestInteropS3Headers(t *testing.T) {
	s := interopEnv(t)
	c := s.client(s.signer(t, s.secret, nil))
	u := s.objectURL(t, "headers.txt")
	// Values with runs of spaces (trimmed and collapsed on both sides), a
	// header given twice (joined with ','), and headers that are never
	// signed. No tab inside a value: implementations disagree there
	// (botocore and the Java SDK collapse it with the spaces around it,
	// as we do; aws-c-auth, aws-sdk-go-v2 and versitygw keep it).
	h := http.Header{
		"X-Amz-Meta-Note":  {"  two   spaces and  more  "},
		"X-Amz-Meta-Multi": {"first", "second"},
		"Content-Type":     {"text/plain;  charset=utf-8"},
		"User-Agent":       {"awsv4-interop"},
	}
	if code, msg := do(t, c, "PUT", u, []byte("h"), h); code != 200 {
		t.Fatalf("PUT with odd header values: %d %s", code, msg)
	}
}

func TestInteropS3ListQuery(t *testing.T) {
	s := interopEnv(t)
	c := s.client(s.signer(t, s.secret, nil))
	list := func(rawQuery string) string {
		t.Helper()
		u, _ := url.Parse(s.base)
		u.Path = "/" + s.bucket
		u.RawQuery = rawQuery
		code, body := do(t, c, "GET", u.String(), nil, nil)
		if code != 200 {
			t.Fatalf("GET ?%s: %d %s", rawQuery, code, body)
		}
		return body
	}
	// Unsorted parameters, an empty value, UTF-8 and reserved bytes.
	if b := list("prefix=caf%C3%A9%2F&list-type=2&max-keys=50&fetch-owner="); !strings.Contains(b, "naïve ü.txt") {
		t.Errorf("list prefix café/: %s", b)
	}
	// '+' in a query is a space; %2B is a plus.
	if b := list("list-type=2&prefix=a+b"); !strings.Contains(b, "<Key>a b.txt</Key>") || strings.Contains(b, "a+b.txt") {
		t.Errorf("prefix=a+b should list \"a b.txt\" only: %s", b)
	}
	if b := list("list-type=2&prefix=a%2Bb"); !strings.Contains(b, "<Key>a+b.txt</Key>") {
		t.Errorf("prefix=a%%2Bb should list \"a+b.txt\": %s", b)
	}
	if b := list("list-type=2&prefix=eq%3D%281%29"); !strings.Contains(b, "eq=(1)*!&#39;.txt") && !strings.Contains(b, "eq=(1)*!'.txt") {
		t.Errorf("prefix eq=(1): %s", b)
	}
}

func TestInteropS3Presign(t *testing.T) {
	s := interopEnv(t)
	sg := s.signer(t, s.secret, nil)
	key := "café/naïve ü.txt"
	r, err := http.NewRequest("GET", s.objectURL(t, key), nil)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := sg.PresignHTTP(context.Background(), r, sigv4.UnsignedPayload, time.Now(), 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	plain := &http.Client{Timeout: 30 * time.Second}
	if code, body := do(t, plain, "GET", signed, nil, nil); code != 200 || !strings.HasPrefix(body, "object "+key) {
		t.Fatalf("presigned GET: %d %q", code, body)
	}
	// The same URL with one signature digit changed, or for another key.
	i := strings.Index(signed, "X-Amz-Signature=") + len("X-Amz-Signature=")
	d := "0"
	if signed[i] == '0' {
		d = "1"
	}
	if code, _ := do(t, plain, "GET", signed[:i]+d+signed[i+1:], nil, nil); code != 403 {
		t.Errorf("tampered presigned URL: %d, want 403", code)
	}
	other := strings.Replace(signed, "na%C3%AFve", "naive", 1)
	if other == signed {
		t.Fatalf("presigned URL does not hold the escaped key: %s", signed)
	}
	if code, _ := do(t, plain, "GET", other, nil, nil); code != 403 && code != 404 {
		t.Errorf("presigned URL used for another key: %d, want 403", code)
	}
}

func TestInteropS3Refusals(t *testing.T) {
	s := interopEnv(t)
	u := s.objectURL(t, "a b.txt")
	wrong := s.client(s.signer(t, s.secret+"x", nil))
	if code, body := do(t, wrong, "GET", u, nil, nil); code != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
		t.Errorf("wrong secret: %d %s", code, body)
	}
	// A payload hash that is not the body's: the signature is valid, the
	// server must notice the body.
	c := s.client(s.signer(t, s.secret, nil))
	h := http.Header{sigv4.HeaderContentSHA256: {sigv4.HashBytes([]byte("other body"))}}
	if code, body := do(t, c, "PUT", s.objectURL(t, "mismatch.txt"), []byte("this body"), h); code != 400 || !strings.Contains(body, "XAmzContentSHA256Mismatch") {
		t.Errorf("payload hash of another body: %d %s", code, body)
	}
}
