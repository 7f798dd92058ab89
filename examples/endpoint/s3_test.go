package main

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Keys that trip signers: space, '+', '=', '&', '@', '~', '%', unicode, sub-dirs.
var specialKeys = []string{
	"plain.txt",
	"dir/a b+c=d&é€😀~!*()$,;:@.txt",
	"100%.txt",
	"a+b",
	"space key",
	"tilde~under_score-dash.dot",
	"x%2Fy", // a literal "%2F" in the key
	"ünïcödé/日本語.txt",
}

func TestS3PutGetSpecialKeys(t *testing.T) {
	e := newEnv(t)
	for _, style := range []struct{ name, host, bucket string }{
		{"virtual-hosted", vhostS3, ""},
		{"path-style", s3Host, "bkt"},
	} {
		t.Run(style.name, func(t *testing.T) {
			for _, key := range specialKeys {
				body := []byte("content of " + key)
				p := s3Path(style.bucket, key)
				r := e.req(http.MethodPut, style.host, p, body)
				r.Header.Set("Content-Type", "text/plain")
				r.Header.Set("X-Amz-Meta-Who", "test")
				sign(t, r, body, signOpts{service: "s3"})
				if resp, out := e.do(r); resp.StatusCode != 200 || resp.Header.Get("ETag") == "" {
					t.Fatalf("PUT %q (%s): %d %s", key, p, resp.StatusCode, out)
				}
				r = e.req(http.MethodGet, style.host, p, nil)
				sign(t, r, nil, signOpts{service: "s3"})
				resp, out := e.do(r)
				if resp.StatusCode != 200 || !bytes.Equal(out, body) {
					t.Fatalf("GET %q: %d %s", key, resp.StatusCode, out)
				}
				if resp.Header.Get("Last-Modified") == "" || resp.Header.Get("ETag") == "" || resp.Header.Get("Content-Type") != "text/plain" ||
					resp.Header.Get("X-Amz-Meta-Who") != "test" {
					t.Errorf("GET %q headers %v", key, resp.Header)
				}
				r = e.req(http.MethodHead, style.host, p, nil)
				sign(t, r, nil, signOpts{service: "s3", payloadHash: "UNSIGNED-PAYLOAD"})
				resp, _ = e.do(r)
				if resp.StatusCode != 200 || resp.ContentLength != int64(len(body)) {
					t.Errorf("HEAD %q: %d len %d", key, resp.StatusCode, resp.ContentLength)
				}
			}
		})
	}
	// Missing key: 404 NoSuchKey.
	r := e.req(http.MethodGet, vhostS3, "/no/such%20key", nil)
	sign(t, r, nil, signOpts{service: "s3"})
	resp, out := e.do(r)
	s3Err(t, resp, out, 404, "NoSuchKey")
}

func TestS3RootDir(t *testing.T) {
	dir := t.TempDir()
	for _, key := range specialKeys {
		p := filepath.Join(dir, "bkt", filepath.FromSlash(key))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("file "+key), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e := newEnv(t, "-s3-root", dir)
	for _, key := range specialKeys {
		r := e.req(http.MethodGet, vhostS3, s3Path("", key), nil)
		sign(t, r, nil, signOpts{service: "s3", payloadHash: "UNSIGNED-PAYLOAD"})
		resp, out := e.do(r)
		if resp.StatusCode != 200 || string(out) != "file "+key {
			t.Fatalf("GET %q: %d %s", key, resp.StatusCode, out)
		}
	}
	// A key that tries to climb out of the root is not found, and no bucket
	// outside the root is reachable.
	for _, p := range []string{"/bkt/../../etc/passwd", "/bkt/%2E%2E/%2E%2E/etc/passwd"} {
		r := e.req(http.MethodGet, s3Host, p, nil)
		sign(t, r, nil, signOpts{service: "s3"})
		resp, out := e.do(r)
		if resp.StatusCode != 404 && resp.StatusCode != 403 {
			t.Errorf("%s: %d %s", p, resp.StatusCode, out)
		}
	}
	r := e.req(http.MethodGet, s3Host, "/nobucket/k", nil)
	sign(t, r, nil, signOpts{service: "s3"})
	resp, out := e.do(r)
	s3Err(t, resp, out, 404, "NoSuchBucket")
}

// S3 encodes the path once, from the decoded key: a client that signs a
// non-canonical spelling of its own URL is refused, as by S3 and versitygw.
func TestS3SingleEncoding(t *testing.T) {
	e := newEnv(t)
	// The canonical URI of a key with a space and '+' is %20 and %2B, once.
	now := time.Now().UTC()
	amzDate := now.Format(amzDateFormat)
	r := e.req(http.MethodGet, vhostS3, "/dir/a%20b%2Bc%3D%C3%A9~.txt", nil)
	r.Header.Set("X-Amz-Date", amzDate)
	r.Header.Set("X-Amz-Content-Sha256", unsignedPayload)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAKID+"/"+amzDate[:8]+"/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature="+strings.Repeat("a", 64))
	resp, out := e.do(r)
	se := s3Err(t, resp, out, 403, "SignatureDoesNotMatch")
	want := "GET\n/dir/a%20b%2Bc%3D%C3%A9~.txt\n\nhost:" + vhostS3 + "\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:" + amzDate +
		"\n\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD"
	if se.CanonicalRequest != want {
		t.Fatalf("canonical request\n%s\nwant\n%s", se.CanonicalRequest, want)
	}
	if !strings.HasPrefix(se.StringToSign, "AWS4-HMAC-SHA256\n"+amzDate+"\n"+amzDate[:8]+"/us-east-1/s3/aws4_request\n") {
		t.Fatalf("string to sign %q", se.StringToSign)
	}

	// Raw '+' and lower-case hex on the wire, signed verbatim: refused
	// (the server's canonical form is %2B and %C3%A9).
	for _, p := range []string{"/a+b", "/caf%c3%a9"} {
		r := e.req(http.MethodGet, vhostS3, p, nil)
		sign(t, r, nil, signOpts{service: "s3"})
		resp, out := e.do(r)
		s3Err(t, resp, out, 403, "SignatureDoesNotMatch")
	}
}

func TestS3Presigned(t *testing.T) {
	e := newEnv(t)
	key := "dir/a b+c=é~.txt"
	body := []byte("presigned object")
	r := e.req(http.MethodPut, vhostS3, s3Path("", key), body)
	sign(t, r, body, signOpts{service: "s3"})
	if resp, out := e.do(r); resp.StatusCode != 200 {
		t.Fatalf("PUT: %d %s", resp.StatusCode, out)
	}
	p := s3Path("", key)

	t.Run("accepted", func(t *testing.T) {
		pq := presign(t, vhostS3, p, 300, time.Now())
		resp, out := e.do(e.req(http.MethodGet, vhostS3, pq, nil))
		if resp.StatusCode != 200 || !bytes.Equal(out, body) {
			t.Fatalf("%d %s", resp.StatusCode, out)
		}
	})
	t.Run("expired", func(t *testing.T) {
		pq := presign(t, vhostS3, p, 60, time.Now().Add(-10*time.Minute))
		resp, out := e.do(e.req(http.MethodGet, vhostS3, pq, nil))
		se := s3Err(t, resp, out, 403, "AccessDenied")
		if se.Message != "Request has expired" {
			t.Fatalf("message %q", se.Message)
		}
	})
	t.Run("tampered", func(t *testing.T) {
		pq := presign(t, vhostS3, p, 300, time.Now())
		for _, bad := range []string{
			strings.Replace(pq, "X-Amz-Expires=300", "X-Amz-Expires=301", 1),
			pq + "&versionId=x",
			pq[:len(pq)-1] + string("0123456789abcdef"[(strings.IndexByte("0123456789abcdef", pq[len(pq)-1])+1)%16]),
		} {
			resp, out := e.do(e.req(http.MethodGet, vhostS3, bad, nil))
			s3Err(t, resp, out, 403, "SignatureDoesNotMatch")
		}
		// Used with another method.
		resp, out := e.do(e.req(http.MethodPut, vhostS3, pq, []byte("x")))
		s3Err(t, resp, out, 403, "SignatureDoesNotMatch")
	})
	t.Run("session token", func(t *testing.T) {
		pq := presign(t, vhostS3, p, 300, time.Now(), aws.Credentials{AccessKeyID: tokAKID, SecretAccessKey: tokSecret, SessionToken: tokToken})
		if !strings.Contains(pq, "X-Amz-Security-Token=") {
			t.Fatalf("no token in %s", pq)
		}
		if resp, out := e.do(e.req(http.MethodGet, vhostS3, pq, nil)); resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, out)
		}
		// Without its token (the signature would not match either).
		u, _ := url.Parse(pq)
		q := u.Query()
		q.Del("X-Amz-Security-Token")
		resp, out := e.do(e.req(http.MethodGet, vhostS3, u.EscapedPath()+"?"+q.Encode(), nil))
		s3Err(t, resp, out, 403, "InvalidToken")
	})
	t.Run("bad expires", func(t *testing.T) {
		pq := presign(t, vhostS3, p, 604801, time.Now())
		resp, out := e.do(e.req(http.MethodGet, vhostS3, pq, nil))
		s3Err(t, resp, out, 400, "AuthorizationQueryParametersError")
	})
}
