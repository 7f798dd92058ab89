package sigv4

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkv4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"

	"github.com/awsv4/awsv4/sigv4/credentials"
)

func TestSignAllocatesNothing(t *testing.T) {
	ctx := context.Background()
	for _, c := range benchCases() {
		s := testSigner(t, c.service, nil)
		var res Result
		sign := func() {
			var err error
			if c.presign {
				err = s.Presign(ctx, &res, &c.req, testTime, time.Hour)
			} else {
				err = s.Sign(ctx, &res, &c.req, testTime)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		sign() // grow the buffers once
		require.Zero(t, testing.AllocsPerRun(200, sign), c.name)
	}
	h := NewPayloadHasher()
	buf := make([]byte, 0, 64)
	chunk := make([]byte, 4096)
	require.Zero(t, testing.AllocsPerRun(200, func() {
		h.Write(chunk)
		buf = h.AppendHex(buf[:0])
	}))
}

// rotating is a provider whose credentials a test changes.
type rotating struct {
	v atomic.Pointer[credentials.Credentials]
}

func (r *rotating) Retrieve(context.Context) (credentials.Credentials, error) {
	return *r.v.Load(), nil
}

func TestKeyCacheFollowsDayAndRotation(t *testing.T) {
	p := &rotating{}
	p.v.Store(&credentials.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"})
	s, err := New("us-east-1", "service", p, nil)
	require.NoError(t, err)
	req := Request{Method: "GET", Path: "/", Headers: []Header{{"Host", "example.amazonaws.com"}}}
	var res Result
	sig := func(at time.Time) string {
		require.NoError(t, s.Sign(context.Background(), &res, &req, at))
		return string(res.Signature())
	}
	// get-vanilla's signature (official suite), twice: computed, then cached.
	const vanilla = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
	require.Equal(t, vanilla, sig(testTime))
	require.Equal(t, vanilla, sig(testTime))
	// The next UTC day needs the next day's key.
	midnight := time.Date(2015, 8, 30, 23, 59, 59, 0, time.UTC)
	before := sig(midnight)
	after := sig(midnight.Add(time.Second))
	require.Equal(t, SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", midnight.Add(time.Second), "us-east-1", "service"),
		deriveRaw("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", []byte("20150831"), "us-east-1", "service"))
	require.NotEqual(t, before, after)
	// A rotated secret under the same key id takes effect at once.
	p.v.Store(&credentials.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "another-secret"})
	require.NotEqual(t, vanilla, sig(testTime))
	p.v.Store(&credentials.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"})
	require.Equal(t, vanilla, sig(testTime))
}

func TestSignConcurrently(t *testing.T) {
	p := &rotating{}
	p.v.Store(&credentials.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"})
	s, err := New("us-east-1", "service", p, nil)
	require.NoError(t, err)
	req := Request{Method: "GET", Path: "/", Headers: []Header{{"Host", "example.amazonaws.com"}}}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			var res Result
			for i := 0; i < 300; i++ {
				day := testTime.Add(time.Duration((g+i)%3) * 24 * time.Hour) // keys change under load
				if err := s.Sign(context.Background(), &res, &req, day); err != nil {
					t.Error(err)
					return
				}
				if day.Equal(testTime) && string(res.Signature()) != "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" {
					t.Errorf("wrong signature under concurrency: %s", res.Signature())
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

var sdkCreds = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}

func TestSignHTTPMatchesSDK(t *testing.T) {
	when := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	mk := func() *http.Request {
		r, err := http.NewRequest("POST", "https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/f%3Aprod/invocations?Qualifier=prod&b=a+b", strings.NewReader("{}"))
		require.NoError(t, err)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Add("X-Amz-Meta-A", "1")
		r.Header.Add("X-Amz-Meta-A", " 2  3 ")
		r.Header.Set("User-Agent", "test") // neither signs it
		return r
	}
	ours, sdk := mk(), mk()
	// The SDK signs Content-Length whenever ContentLength > 0 (aws-sdk-go-v2
	// PR #1743); proxies change it, so this layer never signs it, by design.
	sdk.ContentLength = 0
	creds, _ := credentials.NewStatic(sdkCreds.AccessKeyID, sdkCreds.SecretAccessKey, "")
	s, err := New("eu-west-1", "lambda", creds, nil)
	require.NoError(t, err)
	hash := HashBytes([]byte("{}"))
	require.NoError(t, s.SignHTTP(context.Background(), ours, hash, when))
	require.NoError(t, sdkv4.NewSigner().SignHTTP(context.Background(), sdkCreds, sdk, hash, "lambda", "eu-west-1", when))
	require.Equal(t, sdk.Header.Get("Authorization"), ours.Header.Get("Authorization"))
	require.Equal(t, sdk.Header.Get("X-Amz-Date"), ours.Header.Get("X-Amz-Date"))
	require.NotContains(t, ours.Header.Get("Authorization"), "content-length")
}

func TestS3PathSentAsSigned(t *testing.T) {
	creds, _ := credentials.NewStatic("AKIDEXAMPLE", "secret", "")
	s, err := New("us-east-1", "s3", creds, nil)
	require.NoError(t, err)
	r, err := http.NewRequest("GET", "https://bucket.s3.us-east-1.amazonaws.com/dir/a b+c=d(1)é.txt", nil)
	require.NoError(t, err)
	require.NoError(t, s.SignHTTP(context.Background(), r, UnsignedPayload, testTime))
	// The wire path is the canonical one, so S3 sees what was signed.
	require.Equal(t, "/dir/a%20b%2Bc%3Dd%281%29%C3%A9.txt", r.URL.EscapedPath())
	require.Equal(t, UnsignedPayload, r.Header.Get("X-Amz-Content-Sha256"))
}

func TestPresignHTTP(t *testing.T) {
	// The presigned URL example of the S3 documentation ("Authenticating
	// Requests: Using Query Parameters (AWS Signature Version 4)"), with its
	// published credentials and signature.
	creds, _ := credentials.NewStatic("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "")
	s, err := New("us-east-1", "s3", creds, nil)
	require.NoError(t, err)
	r, _ := http.NewRequest("GET", "https://examplebucket.s3.amazonaws.com/test.txt", nil)
	u, err := s.PresignHTTP(context.Background(), r, UnsignedPayload, time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC), 86400*time.Second)
	require.NoError(t, err)
	require.Equal(t, "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"+
		"&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"+
		"&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"+
		"&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", u)
	require.Equal(t, "https://examplebucket.s3.amazonaws.com/test.txt", r.URL.String(), "request untouched")
}

// TestTransport sends requests through a server that verifies them with
// aws-sdk-go-v2 (an independent implementation).
func TestTransport(t *testing.T) {
	var verified atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got := r.Header.Get("Authorization")
		when, err := time.Parse(TimeFormat, r.Header.Get("X-Amz-Date"))
		if err != nil {
			http.Error(w, "no date", 400)
			return
		}
		check, _ := http.NewRequest(r.Method, "http://"+r.Host+r.RequestURI, nil)
		check.Host = r.Host
		for _, name := range []string{"Content-Type", "X-Amz-Meta-A"} {
			if v := r.Header.Values(name); len(v) > 0 {
				check.Header[name] = v
			}
		}
		if err := sdkv4.NewSigner().SignHTTP(context.Background(), sdkCreds, check, HashBytes(body), "lambda", "us-east-1", when); err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		if check.Header.Get("Authorization") != got {
			http.Error(w, "signature mismatch", 403)
			return
		}
		verified.Add(1)
		w.Write(body)
	}))
	defer srv.Close()
	creds, _ := credentials.NewStatic(sdkCreds.AccessKeyID, sdkCreds.SecretAccessKey, "")
	s, err := New("us-east-1", "lambda", creds, nil)
	require.NoError(t, err)
	client := &http.Client{Transport: &Transport{Signer: s}}
	for _, body := range []string{"", `{"a":1}`, strings.Repeat("x\x00", 100000)} {
		req, _ := http.NewRequest("POST", srv.URL+"/2015-03-31/functions/f/invocations?x=1", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		require.NoError(t, err)
		echo, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode, string(echo))
		require.Equal(t, body, string(echo))
		require.Empty(t, req.Header.Get("Authorization"), "the caller's request is not modified")
	}
	require.EqualValues(t, 3, verified.Load())
}
