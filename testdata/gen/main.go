//go:build ignore

// Command gen writes the test vectors under testdata/v4/ from an
// independent implementation: aws-sdk-go-v2's aws/signer/v4 (SignHTTP and
// PresignHTTP), never from this project's signer. The canonical request
// and the string to sign are captured from the SDK's LogSigning output;
// the signature and the added headers / query parameters are read from
// the request the SDK signed.
//
// Run from the module root:
//
//	go run testdata/gen/main.go
//	/usr/bin/python3 testdata/gen/botocore_check.py --record   # cross-check
//
// The files follow the AWS signing test suite layout (FORMAT.md), with the
// extensions of its §12 (double_uri_encode, signed_body_value).
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"
)

const (
	akid   = "AKIDEXAMPLE"
	secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

	unsignedPayload = "UNSIGNED-PAYLOAD"

	// An STS-like session token: base64 with '/', '+' and '='.
	stsToken = "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCWV1LXdlc3QtMiJHMEUCIQD+k3yEXAMPLEtokenQ0FSAiBr9/x+ZzYqEXAMPLE1aGRpbmcKq2AghXEAAaDDEyMzQ1Njc4OTAxMiIM+qEXAMPLE/TOKEN+with+plus/and/slash=="
)

type header struct{ name, value string }

type tcase struct {
	name    string
	method  string
	path    string // exactly as sent on the wire (already percent-encoded)
	query   string // raw query as sent, without '?'
	headers []header
	body    []byte

	region, service, time string
	token                 string

	s3              bool   // S3 rules: path signed as sent, not normalized
	signBody        bool   // header mode adds x-amz-content-sha256
	signedBodyValue string // "" = SHA-256 hex of the body
	expires         int64  // query mode X-Amz-Expires
	header, query_  bool   // which modes get expected files
	note            string // extra line for SOURCE, optional
}

func h(name, value string) header { return header{name, value} }

// awsEncode percent-encodes every byte outside A-Z a-z 0-9 - _ . ~ (and
// '/' when keepSlash) with upper-case hex: the form AWS SDKs put on the
// wire for S3 keys, and the SigV4 URI-encode rule.
func awsEncode(s string, keepSlash bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~', c == '/' && keepSlash:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func sha256hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func cases() []tcase {
	var cs []tcase

	// ---- Lambda Invoke (REST-JSON, path double-encoded in the canonical request).
	lambdaBody := []byte(`{"order_id":"A-1001","items":[{"sku":"café-42","qty":2}],"note":"two  spaces"}`)
	lambdaHeaders := func(host, invType string, extra ...header) []header {
		hs := []header{
			h("Host", host),
			h("Content-Type", "application/json"),
			h("Content-Length", strconv.Itoa(len(lambdaBody))),
			h("X-Amz-Invocation-Type", invType),
		}
		return append(hs, extra...)
	}
	cs = append(cs,
		tcase{
			name: "lambda-invoke-name", method: "POST",
			path:    "/2015-03-31/functions/my-function/invocations",
			headers: lambdaHeaders("lambda.eu-west-1.amazonaws.com", "RequestResponse", h("X-Amz-Log-Type", "Tail")),
			body:    lambdaBody, region: "eu-west-1", service: "lambda", time: "2026-11-26T12:00:00Z",
			signBody: true, header: true,
		},
		tcase{
			name: "lambda-invoke-alias", method: "POST",
			// FunctionName "my-function:prod": ':' is sent as %3A and
			// encoded again (%253A) in the canonical request.
			path:    "/2015-03-31/functions/my-function%3Aprod/invocations",
			headers: lambdaHeaders("lambda.eu-west-1.amazonaws.com", "RequestResponse"),
			body:    lambdaBody, region: "eu-west-1", service: "lambda", time: "2026-11-26T12:00:00Z",
			signBody: true, header: true,
		},
		tcase{
			name: "lambda-invoke-arn-qualifier", method: "POST",
			path:  "/2015-03-31/functions/" + awsEncode("arn:aws:lambda:us-west-2:123456789012:function:my-function", false) + "/invocations",
			query: "Qualifier=live",
			headers: lambdaHeaders("lambda.us-west-2.amazonaws.com", "Event",
				h("X-Amz-Client-Context", "eyJjdXN0b20iOnsiYSI6IjEifX0=")),
			body: lambdaBody, region: "us-west-2", service: "lambda", time: "2026-03-09T08:15:30Z",
			signBody: true, header: true,
		},
		tcase{
			name: "lambda-url-post-json-query", method: "POST",
			path:  "/api/items",
			query: "b=2&a=1&a=0&empty=&flag",
			headers: []header{
				h("Host", "abcdefghijklmnopqrstuvwxyz234567.lambda-url.us-west-2.on.aws"),
				h("Content-Type", "application/json"),
				h("Content-Length", "27"),
			},
			body:   []byte(`{"name":"widget","qty":10}` + "\n"),
			region: "us-west-2", service: "lambda", time: "2026-07-04T17:45:12Z",
			// No x-amz-content-sha256 (sign_body false): the body is still hashed into the canonical request.
			header: true,
		},
	)

	// ---- S3 GET, one key per special character (virtual-hosted bucket).
	s3keys := []struct{ label, key string }{
		{"space", "photos/2026/my summer holiday.jpg"},
		{"plus", "a+b/c+d.txt"},
		{"at", "users/jane@example.com/avatar.png"},
		{"tilde", "~backup/file~1.txt"},
		{"percent", "stats/100%/done 50%.txt"},
		{"equals", "k=v/a==b.txt"},
		{"parens", "reports/report (final).pdf"},
		{"bang-star", "wow!/star*.txt"},
		{"colon", "logs/2026-11-26T12:00:00Z.log"},
		{"unicode", "café/€uro/😀.txt"},
		{"all-specials", "dir with space/+@~%=()!*:é€😀.bin"},
		{"dot-segments", "a/./b/../c//d"},
	}
	for _, k := range s3keys {
		cs = append(cs, tcase{
			name: "s3-get-key-" + k.label, method: "GET",
			path:    "/" + awsEncode(k.key, true),
			headers: []header{h("Host", "examplebucket.s3.us-east-1.amazonaws.com")},
			region:  "us-east-1", service: "s3", time: "2026-11-26T12:00:00Z",
			s3: true, signBody: true, signedBodyValue: unsignedPayload, expires: 3600,
			header: true, query_: true,
			note: fmt.Sprintf("object key %q", k.key),
		})
	}

	// ---- S3 PUT with a small hashed body.
	putBody := []byte("Hello, S3! Ünïcödé body.\n")
	cs = append(cs, tcase{
		name: "s3-put-special-key", method: "PUT",
		path: "/" + awsEncode("uploads/my file+(1) é.txt", true),
		headers: []header{
			h("Host", "examplebucket.s3.eu-central-1.amazonaws.com"),
			h("Content-Type", "text/plain; charset=utf-8"),
			h("Content-Length", strconv.Itoa(len(putBody))),
			h("X-Amz-Storage-Class", "STANDARD_IA"),
			h("X-Amz-Meta-Author", "Jane  Doe"),
		},
		body:   putBody,
		region: "eu-central-1", service: "s3", time: "2026-02-28T23:30:00Z",
		s3: true, signBody: true, header: true,
		note: `object key "uploads/my file+(1) é.txt"`,
	})

	// ---- S3 presigned GET (query mode only), one day.
	cs = append(cs, tcase{
		name: "s3-presign-get", method: "GET",
		path:    "/" + awsEncode("reports/2026/Q4 summary (draft).pdf", true),
		query:   "response-content-disposition=attachment%3B%20filename%3D%22summary.pdf%22&versionId=3HL4kqtJlcpXroDTDmJ%2Bsq2ZIzDPU8ds",
		headers: []header{h("Host", "examplebucket.s3.ap-southeast-2.amazonaws.com")},
		region:  "ap-southeast-2", service: "s3", time: "2026-05-15T09:00:00Z",
		s3: true, signBody: true, signedBodyValue: unsignedPayload, expires: 86400,
		query_: true,
	})

	// ---- Query string edge cases (generic service).
	cs = append(cs, tcase{
		name: "query-edge-cases", method: "GET",
		path: "/prod/search",
		query: "a=2&a=1&x=&flag&&enc=%2F%20slash%20space&lc=%2f%7e&plus=a+b&lit=%2B1" +
			"&eq=k=v&s=a/b&s=a-b&%C3%A9t%C3%A9=summer&city=Zürich&u=%E2%82%AC%F0%9F%98%80&=nokey&Upper=1&lower=1",
		headers: []header{h("Host", "a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com")},
		region:  "ap-northeast-1", service: "execute-api", time: "2026-11-26T12:00:00Z",
		expires: 3600, header: true, query_: true,
	})

	// ---- Header edge cases: repeats, white space, empty value, case, skipped headers.
	cs = append(cs, tcase{
		name: "header-edge-cases", method: "GET",
		path: "/v1/inventory",
		headers: []header{
			h("Host", "abc123defg.execute-api.eu-central-1.amazonaws.com"),
			h("User-Agent", "aws-sdk-go-v2/1.48.0 os/linux lang/go#1.26"),
			h("My-Repeated", "first"),
			h("X-MiXeD-CaSe", "  Value  With   Many    Spaces  "),
			h("Expect", "100-continue"),
			h("My-Tabs", "\tleading and trailing tabs\t"),
			h("my-repeated", "second"),
			h("My-Empty", ""),
			h("X-Amzn-Trace-Id", "Root=1-67891233-abcdef012345678912345678"),
			h("MY-REPEATED", "   third   value   "),
			h("Accept", "application/json"),
		},
		region: "eu-central-1", service: "execute-api", time: "2028-02-29T00:00:00Z",
		expires: 900, header: true, query_: true,
	})

	// ---- Session token (STS-like), signed, both modes, one second before a new year.
	cs = append(cs, tcase{
		name: "sts-session-token", method: "GET",
		path:    "/",
		query:   "Action=GetCallerIdentity&Version=2011-06-15",
		headers: []header{h("Host", "sts.eu-west-2.amazonaws.com")},
		region:  "eu-west-2", service: "sts", time: "2026-12-31T23:59:59Z",
		token:   stsToken,
		expires: 3600, header: true, query_: true,
	})
	return cs
}

// capture is a logging.Logger that keeps the SDK's canonical request and
// string to sign from its LogSigning message.
type capture struct{ canonical, sts string }

func (c *capture) logger() logging.Logger {
	return logging.LoggerFunc(func(_ logging.Classification, format string, v ...interface{}) {
		if !strings.Contains(format, "CANONICAL STRING") || len(v) < 2 {
			panic("unexpected log message: " + format)
		}
		c.canonical, c.sts = v[0].(string), v[1].(string)
	})
}

func (tc *tcase) payloadHash() string {
	if tc.signedBodyValue != "" {
		return tc.signedBodyValue
	}
	return sha256hex(tc.body)
}

func (tc *tcase) signingTime() time.Time {
	t, err := time.Parse(time.RFC3339, tc.time)
	if err != nil {
		panic(err)
	}
	return t
}

func (tc *tcase) target() string {
	if tc.query == "" {
		return tc.path
	}
	return tc.path + "?" + tc.query
}

// httpRequest builds the *http.Request the SDK signs: its URL carries the
// wire path in RawPath (checked below through the canonical request) and
// the raw query; Host comes from the Host header.
func (tc *tcase) httpRequest(query string) *http.Request {
	p, err := url.PathUnescape(tc.path)
	if err != nil {
		panic(err)
	}
	u := &url.URL{Scheme: "https", Path: p, RawPath: tc.path, RawQuery: query}
	if u.EscapedPath() != tc.path {
		panic(tc.name + ": URL does not keep the wire path: " + u.EscapedPath())
	}
	req := &http.Request{Method: tc.method, URL: u, Header: http.Header{}, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	for _, hd := range tc.headers {
		if strings.EqualFold(hd.name, "Host") {
			req.Host = hd.value
			u.Host = hd.value
			continue
		}
		req.Header.Add(hd.name, hd.value)
	}
	if len(tc.body) > 0 {
		if req.Header.Get("Content-Length") != strconv.Itoa(len(tc.body)) {
			panic(tc.name + ": Content-Length header does not match the body")
		}
		req.ContentLength = int64(len(tc.body))
		req.Body = http.NoBody // never read: the payload hash is passed in
	}
	return req
}

// wantURI is the canonical URI by the documented rule, computed here
// independently to prove the SDK saw the wire path: S3 signs the path as
// sent; other services encode it once more.
func (tc *tcase) wantURI() string {
	if tc.s3 {
		return tc.path
	}
	return awsEncode(tc.path, true)
}

func (tc *tcase) creds() aws.Credentials {
	return aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: tc.token}
}

func (tc *tcase) opts(c *capture) func(*v4.SignerOptions) {
	return func(o *v4.SignerOptions) {
		o.LogSigning = true
		o.Logger = c.logger()
		o.DisableURIPathEscaping = tc.s3
	}
}

func checkURI(tc *tcase, canonical string) {
	lines := strings.Split(canonical, "\n")
	if len(lines) < 2 || lines[1] != tc.wantURI() {
		panic(fmt.Sprintf("%s: SDK canonical URI %q, want %q", tc.name, lines[1], tc.wantURI()))
	}
}

func requestText(method, target string, hs []header, body []byte, signed bool) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\n", method, target)
	for _, hd := range hs {
		fmt.Fprintf(&b, "%s:%s\n", hd.name, hd.value)
	}
	if signed || len(body) > 0 {
		b.WriteByte('\n')
		b.Write(body)
	}
	return b.Bytes()
}

type result struct {
	canonical, sts, signature string
	signed                    []byte
}

func signHeader(tc *tcase) result {
	var c capture
	req := tc.httpRequest(tc.query)
	payload := tc.payloadHash()
	if tc.signBody {
		// SignHTTP never adds X-Amz-Content-Sha256 itself (the SDK's
		// middleware does): set it, so it is signed like our signer's.
		req.Header.Set("X-Amz-Content-Sha256", payload)
	}
	err := v4.NewSigner().SignHTTP(context.Background(), tc.creds(), req, payload, tc.service, tc.region, tc.signingTime(), tc.opts(&c))
	if err != nil {
		panic(err)
	}
	checkURI(tc, c.canonical)
	auth := req.Header.Get("Authorization")
	i := strings.LastIndex(auth, "Signature=")
	if i < 0 {
		panic("no signature in " + auth)
	}
	hs := append([]header(nil), tc.headers...)
	if tc.token != "" {
		hs = append(hs, h("X-Amz-Security-Token", req.Header.Get("X-Amz-Security-Token")))
	}
	hs = append(hs, h("X-Amz-Date", req.Header.Get("X-Amz-Date")))
	if tc.signBody {
		hs = append(hs, h("x-amz-content-sha256", req.Header.Get("X-Amz-Content-Sha256")))
	}
	hs = append(hs, h("Authorization", auth))
	return result{c.canonical, c.sts, auth[i+len("Signature="):], requestText(tc.method, tc.target(), hs, tc.body, true)}
}

// presignOrder is the order FORMAT.md shows the added parameters in.
var presignOrder = []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires", "X-Amz-Security-Token", "X-Amz-Signature"}

func signQuery(tc *tcase) result {
	var c capture
	q := tc.query
	if tc.expires > 0 {
		// PresignHTTP does not add X-Amz-Expires itself.
		if q != "" {
			q += "&"
		}
		q += "X-Amz-Expires=" + strconv.FormatInt(tc.expires, 10)
	}
	req := tc.httpRequest(q)
	signedURL, _, err := v4.NewSigner().PresignHTTP(context.Background(), tc.creds(), req, tc.payloadHash(), tc.service, tc.region, tc.signingTime(), tc.opts(&c))
	if err != nil {
		panic(err)
	}
	checkURI(tc, c.canonical)
	_, rawq, _ := strings.Cut(signedURL, "?")
	added := map[string]string{}
	for _, p := range strings.Split(rawq, "&") {
		if strings.HasPrefix(p, "X-Amz-") {
			k, _, _ := strings.Cut(p, "=")
			added[k] = p
		}
	}
	// The request's own parameters keep their bytes as sent; empty pieces
	// ("&&") are no parameters and are dropped, as the SDK drops them.
	var own []string
	for _, p := range strings.Split(tc.query, "&") {
		if p != "" {
			own = append(own, p)
		}
	}
	target := tc.path
	sep := "?"
	if len(own) > 0 {
		target += "?" + strings.Join(own, "&")
		sep = "&"
	}
	for _, k := range presignOrder {
		if p, ok := added[k]; ok {
			target += sep + p
			sep = "&"
			delete(added, k)
		}
	}
	if len(added) > 0 {
		panic(fmt.Sprintf("%s: unexpected presign parameters %v", tc.name, added))
	}
	sig := strings.TrimPrefix(target[strings.LastIndex(target, "X-Amz-Signature="):], "X-Amz-Signature=")
	return result{c.canonical, c.sts, sig, requestText(tc.method, target, tc.headers, tc.body, true)}
}

func contextJSON(tc *tcase) []byte {
	type creds struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
		Token           string `json:"token,omitempty"`
	}
	ctx := struct {
		Credentials         creds  `json:"credentials"`
		ExpirationInSeconds int64  `json:"expiration_in_seconds"`
		Normalize           bool   `json:"normalize"`
		Region              string `json:"region"`
		Service             string `json:"service"`
		SignBody            bool   `json:"sign_body"`
		Timestamp           string `json:"timestamp"`
		DoubleURIEncode     *bool  `json:"double_uri_encode,omitempty"`
		SignedBodyValue     string `json:"signed_body_value,omitempty"`
	}{
		Credentials:         creds{akid, secret, tc.token},
		ExpirationInSeconds: tc.expires,
		Normalize:           !tc.s3,
		Region:              tc.region, Service: tc.service,
		SignBody: tc.signBody, Timestamp: tc.time,
		SignedBodyValue: tc.signedBodyValue,
	}
	if ctx.ExpirationInSeconds == 0 {
		ctx.ExpirationInSeconds = 3600 // unused: header mode only
	}
	if tc.s3 {
		f := false
		ctx.DoubleURIEncode = &f
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	if err := enc.Encode(ctx); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func sdkVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/aws/aws-sdk-go-v2" {
				return d.Version
			}
		}
	}
	return "(unknown version)"
}

func write(dir, name string, b []byte) {
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		panic(err)
	}
}

// writeResult writes one mode's expected files (mode is "header" or "query").
func writeResult(dir, mode string, r result) {
	write(dir, mode+"-canonical-request.txt", []byte(r.canonical))
	write(dir, mode+"-string-to-sign.txt", []byte(r.sts))
	write(dir, mode+"-signature.txt", []byte(r.signature))
	write(dir, mode+"-signed-request.txt", r.signed)
}

func main() {
	root := "testdata/v4"
	if _, err := os.Stat("testdata/gen/main.go"); err != nil {
		fmt.Fprintln(os.Stderr, "run from the module root: go run testdata/gen/main.go")
		os.Exit(2)
	}
	ver := sdkVersion()
	for _, tc := range cases() {
		dir := filepath.Join(root, tc.name)
		// Start from an empty folder. SOURCE's second line says "not
		// checked" until botocore_check.py --record rewrites it.
		if err := os.RemoveAll(dir); err != nil {
			panic(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			panic(err)
		}
		write(dir, "context.json", contextJSON(&tc))
		write(dir, "request.txt", requestText(tc.method, tc.target(), tc.headers, tc.body, false))
		var modes []string
		if tc.header {
			writeResult(dir, "header", signHeader(&tc))
			modes = append(modes, "SignHTTP")
		}
		if tc.query_ {
			writeResult(dir, "query", signQuery(&tc))
			modes = append(modes, "PresignHTTP")
		}
		src := fmt.Sprintf("aws-sdk-go-v2 %s aws/signer/v4 %s with LogSigning (testdata/gen/main.go)", ver, strings.Join(modes, " + "))
		if tc.s3 {
			src += ", DisableURIPathEscaping"
		}
		if tc.note != "" {
			src += "; " + tc.note
		}
		write(dir, "SOURCE", []byte(src+"\nbotocore: not checked yet (run testdata/gen/botocore_check.py --record)\n"))
		fmt.Println("wrote", dir)
	}
}
