package conformance

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/awsv4/awsv4/sigv4"
	"github.com/awsv4/awsv4/sigv4/credentials"
)

// Mode is where the signature goes: "header" or "query".
type Mode string

// The two signing modes of the suite.
const (
	Header Mode = "header"
	Query  Mode = "query"
)

// Failure describes the first stage of a (case, mode) check that failed.
type Failure struct {
	Case  string
	Mode  Mode
	Stage string // "canonical-request", "string-to-sign", "signature", "signed-request", "sign"
	Line  int    // 1-based first differing line, 0 when not line-based
	Got   string
	Want  string
}

func (f Failure) String() string {
	if f.Line > 0 {
		return fmt.Sprintf("FAIL %s [%s] %s line %d:\n    got:  %q\n    want: %q", f.Case, f.Mode, f.Stage, f.Line, f.Got, f.Want)
	}
	return fmt.Sprintf("FAIL %s [%s] %s:\n    got:  %s\n    want: %s", f.Case, f.Mode, f.Stage, f.Got, f.Want)
}

// Signer returns a signer configured as the case's context.json asks.
func (c *Case) Signer() (*sigv4.Signer, error) {
	ctx := c.Context
	creds, err := credentials.NewStatic(ctx.Credentials.AccessKeyID, ctx.Credentials.SecretAccessKey, ctx.Credentials.Token)
	if err != nil {
		return nil, err
	}
	opts := sigv4.Options{
		DisablePathNormalization: !ctx.Normalize,
		DisableDoubleEncoding:    ctx.DoubleURIEncode != nil && !*ctx.DoubleURIEncode,
		AddContentSHA256:         ctx.SignBody,
		OmitSessionToken:         ctx.OmitSessionToken,
	}
	return sigv4.New(ctx.Region, ctx.Service, creds, &opts)
}

// Request returns the case's request in the signer's terms.
func (c *Case) SignerRequest() *sigv4.Request {
	payload := c.Context.SignedBodyValue
	if payload == "" {
		sum := sha256.Sum256(c.Request.Body)
		payload = hex.EncodeToString(sum[:])
	}
	return &sigv4.Request{
		Method:      c.Request.Method,
		Path:        c.Request.Path(),
		RawQuery:    c.Request.RawQuery(),
		Headers:     c.Request.Headers,
		PayloadHash: payload,
	}
}

// Check signs the case in one mode and compares every stage with the
// expected files. ok is false (and f nil) when the mode has no expected
// files, i.e. the check is skipped.
func (c *Case) Check(mode Mode) (f *Failure, ok bool, err error) {
	wantCR, ok, err := c.expected(mode, "canonical-request")
	if err != nil || !ok {
		return nil, false, err
	}
	wantSTS, _, err := c.expected(mode, "string-to-sign")
	if err != nil {
		return nil, true, err
	}
	wantSig, _, err := c.expected(mode, "signature")
	if err != nil {
		return nil, true, err
	}
	wantReq, _, err := c.expected(mode, "signed-request")
	if err != nil {
		return nil, true, err
	}
	fail := func(stage string, line int, got, want string) *Failure {
		return &Failure{Case: c.Name, Mode: mode, Stage: stage, Line: line, Got: got, Want: want}
	}

	s, err := c.Signer()
	if err != nil {
		return fail("sign", 0, err.Error(), "a signer"), true, nil
	}
	req := c.SignerRequest()
	var res sigv4.Result
	if mode == Header {
		err = s.Sign(context.Background(), &res, req, c.Context.Timestamp)
	} else {
		exp := sigv4.NoExpires
		if e := c.Context.ExpirationInSeconds; e != nil && *e != 0 {
			exp = time.Duration(*e) * time.Second
		}
		err = s.Presign(context.Background(), &res, req, c.Context.Timestamp, exp)
	}
	if err != nil {
		return fail("sign", 0, err.Error(), "no error"), true, nil
	}

	if line, g, w := firstDiff(res.CanonicalRequest(), wantCR); line > 0 {
		return fail("canonical-request", line, g, w), true, nil
	}
	if line, g, w := firstDiff(res.StringToSign(), wantSTS); line > 0 {
		return fail("string-to-sign", line, g, w), true, nil
	}
	if got := string(res.Signature()); got != string(bytes.TrimSpace(wantSig)) {
		return fail("signature", 0, got, string(wantSig)), true, nil
	}
	// Isolate key derivation: our derived key, HMAC'd by crypto/hmac over
	// the expected string to sign, must give the expected signature.
	key := sigv4.SigningKey(c.Context.Credentials.SecretAccessKey, c.Context.Timestamp, c.Context.Region, c.Context.Service)
	m := hmac.New(sha256.New, key[:])
	m.Write(wantSTS)
	if got := hex.EncodeToString(m.Sum(nil)); got != string(bytes.TrimSpace(wantSig)) {
		return fail("signing-key", 0, got, string(wantSig)), true, nil
	}
	if msg := c.compareSigned(mode, &res, wantReq); msg != "" {
		return fail("signed-request", 0, msg, "the expected signed request"), true, nil
	}
	return nil, true, nil
}

// compareSigned compares the request after signing with the expected
// one semantically, as the upstream harness does (FORMAT.md §10.5).
func (c *Case) compareSigned(mode Mode, res *sigv4.Result, want []byte) string {
	exp, err := ParseRequest(want)
	if err != nil {
		return "expected signed request: " + err.Error()
	}
	got := &RawRequest{Method: c.Request.Method, Target: c.Request.Target}
	got.Headers = append(got.Headers, c.Request.Headers...)
	if mode == Header {
		if t := res.SecurityToken(); t != "" {
			got.Headers = append(got.Headers, sigv4.Header{Name: sigv4.HeaderSecurityToken, Value: t})
		}
		got.Headers = append(got.Headers, sigv4.Header{Name: sigv4.HeaderDate, Value: string(res.Date())})
		if v := res.ContentSHA256(); v != "" {
			got.Headers = append(got.Headers, sigv4.Header{Name: "x-amz-content-sha256", Value: v})
		}
		got.Headers = append(got.Headers, sigv4.Header{Name: sigv4.HeaderAuthorization, Value: string(res.Authorization())})
	} else {
		got.Target = c.Request.Path() + "?" + string(res.Query())
	}
	if got.Method != exp.Method {
		return "method " + got.Method
	}
	if mode == Header && got.Target != exp.Target {
		return "target " + got.Target
	}
	if mode == Query {
		if got.Path() != exp.Path() {
			return "path " + got.Path()
		}
		if msg := sameParams(got.RawQuery(), exp.RawQuery()); msg != "" {
			return msg
		}
	}
	if len(got.Headers) != len(exp.Headers) {
		return fmt.Sprintf("%d headers, want %d", len(got.Headers), len(exp.Headers))
	}
	used := make([]bool, len(exp.Headers))
next:
	for _, g := range got.Headers {
		for i, e := range exp.Headers {
			if !used[i] && strings.EqualFold(g.Name, e.Name) && g.Value == e.Value {
				used[i] = true
				continue next
			}
		}
		return "header " + g.Name + ": " + g.Value
	}
	return ""
}

func sameParams(got, want string) string {
	g, w := strings.Split(got, "&"), strings.Split(want, "&")
	if len(g) != len(w) {
		return fmt.Sprintf("%d query parameters, want %d", len(g), len(w))
	}
	used := make([]bool, len(w))
next:
	for _, p := range g {
		for i, q := range w {
			if !used[i] && strings.EqualFold(unescape(p), unescape(q)) {
				used[i] = true
				continue next
			}
		}
		return "query parameter " + p
	}
	return ""
}

func unescape(p string) string {
	if u, err := url.QueryUnescape(p); err == nil {
		return u
	}
	return p
}

// firstDiff returns the first line (1-based) where got and want differ,
// with both lines, or 0 when they are equal.
func firstDiff(got, want []byte) (int, string, string) {
	if bytes.Equal(got, want) {
		return 0, "", ""
	}
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		} else {
			gl = "<end>"
		}
		if i < len(w) {
			wl = w[i]
		} else {
			wl = "<end>"
		}
		if gl != wl {
			return i + 1, gl, wl
		}
	}
	return 1, string(got), string(want) // differ only in a trailing byte
}
