package sigv4

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkv4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	simd "github.com/minio/sha256-simd"

	"github.com/awsv4/awsv4/sigv4/credentials"
	"github.com/awsv4/awsv4/sigv4/internal/sha"
)

// Benchmarks named Benchmark<What>/<case>/<impl> (ARCHITECTURE.md §5):
// our low-level signer (awsv4), our *http.Request signer (awsv4-http),
// aws-sdk-go-v2 (sdk) and the crypto floor (floor: SHA-256 of the
// canonical request plus one HMAC with the cached key), side by side in
// one run. "-uncached" variants derive the signing key on every call.

var benchTime = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

const (
	benchAKID   = "AKIDEXAMPLE"
	benchSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

type benchCase struct {
	name, region, service string
	presign               bool
	req                   Request
	url                   string // the same request for net/http
}

// benchCases are the requests every implementation signs. The C
// benchmark (cexport/tests/bench.c) signs the same ones.
func benchCases() []benchCase {
	body := `{"id":"` + strings.Repeat("0123456789abcdef", 126) + `","ok":true}` // 2 KB of JSON
	sum := sha256.Sum256([]byte(body))
	bodyHash := hex.EncodeToString(sum[:])
	lambda := Request{
		Method: "POST", Path: "/2015-03-31/functions/my-function/invocations",
		Headers: []Header{
			{"Host", "lambda.us-east-1.amazonaws.com"},
			{"Content-Type", "application/json"},
			{"X-Amz-Invocation-Type", "RequestResponse"},
		},
		PayloadHash: bodyHash,
	}
	get := Request{
		Method: "GET", Path: "/prod/v1/items/2026/report.json",
		RawQuery: "limit=100&offset=200&sort=desc&filter=status%3Aactive&fields=id%2Cname%2Cprice" +
			"&lang=en-US&region=eu&include=tags&page_token=abc123XYZ&q=red%20shoes",
		Headers: []Header{
			{"Host", "abc123.execute-api.us-east-1.amazonaws.com"},
			{"Accept", "application/json"},
			{"Accept-Language", "en-US,en;q=0.9"},
			{"Cache-Control", "no-cache"},
			{"If-None-Match", `"5d41402abc4b2a76b9719d911017c592"`},
			{"X-Amz-Meta-Trace", "7c8e1f0a"},
			{"X-Request-Id", "0f3b9c7e-1d2a-4e5f-9a8b-7c6d5e4f3a2b"},
			{"Range", "bytes=0-1023"},
		},
	}
	getURL := "https://abc123.execute-api.us-east-1.amazonaws.com" + get.Path + "?" + get.RawQuery
	return []benchCase{
		{name: "lambda-invoke", region: "us-east-1", service: "lambda", req: lambda,
			url: "https://lambda.us-east-1.amazonaws.com" + lambda.Path},
		{name: "get-10q-8h", region: "us-east-1", service: "execute-api", req: get, url: getURL},
		{name: "presign-get-10q-8h", region: "us-east-1", service: "execute-api", req: get, url: getURL, presign: true},
	}
}

func benchSigner(b *testing.B, c benchCase, cached bool) *Signer {
	creds, err := credentials.NewStatic(benchAKID, benchSecret, "")
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(c.region, c.service, creds, nil)
	if err != nil {
		b.Fatal(err)
	}
	s.noKeyCache = !cached
	return s
}

func (c benchCase) httpRequest(b *testing.B) *http.Request {
	r, err := http.NewRequest(c.req.Method, c.url, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, h := range c.req.Headers[1:] {
		r.Header.Add(h.Name, h.Value)
	}
	return r
}

func BenchmarkSign(b *testing.B) {
	ctx := context.Background()
	for _, c := range benchCases() {
		payload := c.req.PayloadHash
		if payload == "" {
			payload = EmptyPayloadHash
		}
		for _, cached := range []bool{true, false} {
			suffix := ""
			if !cached {
				suffix = "-uncached"
			}
			b.Run(c.name+"/awsv4"+suffix, func(b *testing.B) {
				s := benchSigner(b, c, cached)
				var res Result
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					var err error
					if c.presign {
						err = s.Presign(ctx, &res, &c.req, benchTime, time.Hour)
					} else {
						err = s.Sign(ctx, &res, &c.req, benchTime)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(c.name+"/floor"+suffix, func(b *testing.B) {
				// The crypto a signature cannot avoid, on our own output.
				s := benchSigner(b, c, true)
				var res Result
				if c.presign {
					_ = s.Presign(ctx, &res, &c.req, benchTime, time.Hour)
				} else {
					_ = s.Sign(ctx, &res, &c.req, benchTime)
				}
				canon := append([]byte(nil), res.CanonicalRequest()...)
				sts := append([]byte(nil), res.StringToSign()...)
				key := deriveKey(benchSecret, []byte("20261126"), c.region, c.service)
				var scratch []byte
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if !cached {
						key = deriveKey(benchSecret, []byte("20261126"), c.region, c.service)
					}
					d := sha.Sum256(canon)
					sts[len(sts)-1] = hexDigits[d[0]&15] // depend on the digest
					_, scratch = key.sum(scratch, sts)
				}
			})
			b.Run(c.name+"/sdk"+suffix, func(b *testing.B) {
				creds := aws.Credentials{AccessKeyID: benchAKID, SecretAccessKey: benchSecret}
				signer := sdkv4.NewSigner()
				r := c.httpRequest(b)
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if !cached {
						signer = sdkv4.NewSigner()
					}
					var err error
					if c.presign {
						q := r.URL.Query()
						q.Set("X-Amz-Expires", "3600")
						r2 := *r
						u := *r.URL
						u.RawQuery = q.Encode()
						r2.URL = &u
						_, _, err = signer.PresignHTTP(ctx, creds, &r2, payload, c.service, c.region, benchTime)
					} else {
						err = signer.SignHTTP(ctx, creds, r, payload, c.service, c.region, benchTime)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		b.Run(c.name+"/awsv4-http", func(b *testing.B) {
			s := benchSigner(b, c, true)
			r := c.httpRequest(b)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var err error
				if c.presign {
					_, err = s.PresignHTTP(ctx, r, payload, benchTime, time.Hour)
				} else {
					err = s.SignHTTP(ctx, r, payload, benchTime)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPayloadHash compares the hashing seam (sha256-simd) with the
// standard library on a 6 MB body, Lambda's synchronous payload limit.
func BenchmarkPayloadHash(b *testing.B) {
	body := make([]byte, 6<<20)
	for i := range body {
		body[i] = byte(i * 7)
	}
	b.Run("6MB/sha256-simd", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for i := 0; i < b.N; i++ {
			_ = simd.Sum256(body)
		}
	})
	b.Run("6MB/crypto-sha256", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for i := 0; i < b.N; i++ {
			_ = sha256.Sum256(body)
		}
	})
	b.Run("6MB/awsv4-hasher-64KiB-chunks", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		h := NewPayloadHasher()
		var dst []byte
		for i := 0; i < b.N; i++ {
			for off := 0; off < len(body); off += 64 << 10 {
				h.Write(body[off:min(off+64<<10, len(body))])
			}
			dst = h.AppendHex(dst[:0])
		}
	})
}
