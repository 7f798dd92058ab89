// Package conformance reads signing test cases in the layout of the AWS
// signing test suite (awslabs/aws-c-auth tests/aws-signing-test-suite,
// described in its FORMAT.md) and checks a signer against them stage by
// stage: canonical request, string to sign, signature, signed request.
package conformance

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/awsv4/awsv4/sigv4"
)

// Context is a case's context.json: the signing parameters, with the
// optional keys our own cases may add (FORMAT.md §12).
type Context struct {
	Credentials struct {
		AccessKeyID     string `json:"access_key_id"`
		SecretAccessKey string `json:"secret_access_key"`
		Token           string `json:"token"`
	} `json:"credentials"`
	Region              string    `json:"region"`
	Service             string    `json:"service"`
	Timestamp           time.Time `json:"timestamp"`
	Normalize           bool      `json:"normalize"`
	SignBody            bool      `json:"sign_body"`
	ExpirationInSeconds *int64    `json:"expiration_in_seconds"`
	OmitSessionToken    bool      `json:"omit_session_token"`
	DoubleURIEncode     *bool     `json:"double_uri_encode"`
	SignedBodyValue     string    `json:"signed_body_value"`
}

// RawRequest is a parsed request.txt: the fields as written, body apart.
type RawRequest struct {
	Method, Target string
	Headers        []sigv4.Header
	Body           []byte
}

// Path and RawQuery split the request target at its first '?'.
func (r *RawRequest) Path() string {
	if i := bytes.IndexByte([]byte(r.Target), '?'); i >= 0 {
		return r.Target[:i]
	}
	return r.Target
}

// RawQuery is the target's query string without '?', or "".
func (r *RawRequest) RawQuery() string {
	if i := bytes.IndexByte([]byte(r.Target), '?'); i >= 0 {
		return r.Target[i+1:]
	}
	return ""
}

// ParseRequest reads the request.txt format: a request line ending in
// " HTTP/1.1", header lines split at the first ':', continuation lines
// (starting with white space) joined to the previous value with one
// space, and, after an empty line, the body to the end of the file.
func ParseRequest(b []byte) (*RawRequest, error) {
	b = bytes.ReplaceAll(b, []byte("\r"), nil)
	line, rest, _ := bytes.Cut(b, []byte("\n"))
	const suffix = " HTTP/1.1"
	sp := bytes.IndexByte(line, ' ')
	if sp <= 0 || !bytes.HasSuffix(line, []byte(suffix)) || len(line) < sp+1+len(suffix) {
		return nil, fmt.Errorf("request line %q: want METHOD SP target SP HTTP/1.1", line)
	}
	r := &RawRequest{Method: string(line[:sp]), Target: string(line[sp+1 : len(line)-len(suffix)])}
	for len(rest) > 0 {
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		if len(line) == 0 {
			r.Body = rest
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if len(r.Headers) == 0 {
				return nil, errors.New("continuation line before any header")
			}
			h := &r.Headers[len(r.Headers)-1]
			h.Value += " " + string(bytes.TrimLeft(line, " \t"))
			continue
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return nil, fmt.Errorf("header line %q has no ':'", line)
		}
		r.Headers = append(r.Headers, sigv4.Header{Name: string(name), Value: string(value)})
	}
	return r, nil
}

// Case is one test case folder.
type Case struct {
	Name    string
	Dir     string
	Context Context
	Request *RawRequest
}

// Load reads one case folder.
func Load(dir string) (*Case, error) {
	c := &Case{Name: filepath.Base(dir), Dir: dir}
	b, err := os.ReadFile(filepath.Join(dir, "context.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &c.Context); err != nil {
		return nil, fmt.Errorf("%s/context.json: %w", c.Name, err)
	}
	b, err = os.ReadFile(filepath.Join(dir, "request.txt"))
	if err != nil {
		return nil, err
	}
	if c.Request, err = ParseRequest(b); err != nil {
		return nil, fmt.Errorf("%s/request.txt: %w", c.Name, err)
	}
	return c, nil
}

// expected reads <mode>-<name>.txt; ok is false when the file is absent.
func (c *Case) expected(mode Mode, name string) (b []byte, ok bool, err error) {
	b, err = os.ReadFile(filepath.Join(c.Dir, string(mode)+"-"+name+".txt"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	return bytes.ReplaceAll(b, []byte("\r"), nil), err == nil, err
}
