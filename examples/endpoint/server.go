package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// kind is the AWS service a request is addressed to, decided by its Host.
type kind int

const (
	kindUnknown     kind = iota
	kindLambda           // lambda.<region>.amazonaws.com: the Invoke API
	kindFunctionURL      // <id>.lambda-url.<region>.on.aws
	kindS3               // [<bucket>.]s3.<region>.amazonaws.com
)

// service is the SigV4 service name the credential scope must carry.
func (k kind) service() string {
	switch k {
	case kindLambda, kindFunctionURL:
		return "lambda"
	case kindS3:
		return "s3"
	}
	return ""
}

func (k kind) String() string {
	switch k {
	case kindLambda:
		return "lambda"
	case kindFunctionURL:
		return "function-url"
	case kindS3:
		return "s3"
	}
	return "unknown"
}

// target is what the Host header names.
type target struct {
	kind   kind
	region string // region named by the host; "" when the host names none
	bucket string // virtual-hosted S3 bucket; "" for path style
	urlID  string // Function URL id
}

// classifyHost recognizes the AWS host names this endpoint emulates. The port,
// if any, is ignored here (it is part of the signed Host all the same).
func classifyHost(hostport string) target {
	host := strings.ToLower(hostport)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(host, ".")
	labels := strings.Split(host, ".")
	n := len(labels)
	switch {
	case n == 4 && labels[0] == "lambda" && labels[2] == "amazonaws" && labels[3] == "com":
		return target{kind: kindLambda, region: labels[1]}
	case n == 5 && labels[1] == "lambda-url" && labels[3] == "on" && labels[4] == "aws" && labels[0] != "":
		return target{kind: kindFunctionURL, region: labels[2], urlID: labels[0]}
	case n >= 4 && labels[n-4] == "s3" && labels[n-2] == "amazonaws" && labels[n-1] == "com":
		return target{kind: kindS3, region: labels[n-3], bucket: strings.Join(labels[:n-4], ".")}
	case n >= 3 && labels[n-3] == "s3" && labels[n-2] == "amazonaws" && labels[n-1] == "com":
		// Legacy global endpoint: us-east-1.
		return target{kind: kindS3, region: "us-east-1", bucket: strings.Join(labels[:n-3], ".")}
	}
	return target{}
}

// kindFromScope routes a request whose Host is not an AWS name (a client
// pointed at 127.0.0.1 with --endpoint-url) by the service in its credential
// scope.
func kindFromScope(r *http.Request, q []queryPair) kind {
	cred := ""
	if h := r.Header.Get("Authorization"); h != "" {
		if _, after, ok := strings.Cut(h, "Credential="); ok {
			cred, _, _ = strings.Cut(after, ",")
		}
	} else {
		for _, p := range q {
			if p.Key == "X-Amz-Credential" {
				cred = p.Value
			}
		}
	}
	parts := strings.Split(strings.TrimSpace(cred), "/")
	if len(parts) >= 4 {
		switch parts[3] {
		case "lambda":
			return kindLambda
		case "s3":
			return kindS3
		}
	}
	return kindUnknown
}

// server is the HTTP handler: it classifies, verifies, counts, logs and then
// answers like Lambda or S3.
type server struct {
	cfg      *config
	verifier *verifier
	store    objectStore
	stats    *stats

	logMu  sync.Mutex
	stdout io.Writer // -log lines
}

func newServer(cfg *config, stdout, stderr io.Writer) (*server, error) {
	keys, err := newKeyStore(cfg.Keys, cfg.KeysFile, stderr)
	if err != nil {
		return nil, err
	}
	var store objectStore = newMemStore()
	if cfg.S3Root != "" {
		if store, err = newDirStore(cfg.S3Root); err != nil {
			return nil, err
		}
	}
	return &server{
		cfg:      cfg,
		verifier: &verifier{keys: keys, region: cfg.Region, maxSkew: cfg.MaxSkew, now: time.Now},
		store:    store,
		stats:    newStats(),
		stdout:   stdout,
	}, nil
}

// ServeHTTP handles every request. The Go server does not clean or re-escape
// the path for a plain Handler, so r.RequestURI is what the client sent.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rawPath, rawQuery, uriErr := splitRequestURI(r.RequestURI)
	if uriErr == nil && strings.HasPrefix(rawPath, adminPrefix) {
		s.stats.serveAdmin(w, r, rawPath)
		return
	}
	reqID := newRequestID()
	t := classifyHost(r.Host)
	query, qErr := parseQuery(rawQuery)
	if t.kind == kindUnknown {
		t.kind = kindFromScope(r, query)
	}
	if t.kind == kindUnknown {
		s.stats.reject("unknown_host", "")
		s.logLine(r.Method, rawPath, "rejected", "unknown_host", fmt.Sprintf("host=%q", r.Host))
		http.Error(w, fmt.Sprintf("awsv4-endpoint: host %q names no endpoint served here (lambda.%[2]s.amazonaws.com, <id>.lambda-url.%[2]s.on.aws, [<bucket>.]s3.%[2]s.amazonaws.com), and the request has no lambda or s3 credential scope", r.Host, s.cfg.Region), http.StatusBadRequest)
		return
	}
	var pathErr error
	if t.kind == kindS3 {
		_, pathErr = s3CanonicalPath(rawPath) // the key must decode
	}
	if uriErr != nil || qErr != nil || pathErr != nil {
		err := errors.Join(uriErr, qErr, pathErr)
		s.reject(w, r, t, rawPath, nil, newAuthError(t.kind, false, "bad_uri", "Couldn't parse the specified URI: %v", err), reqID)
		return
	}
	if t.region != "" && t.region != s.cfg.Region {
		s.reject(w, r, t, rawPath, nil, newAuthError(t.kind, false, "wrong_region",
			"The host %s names region '%s'; this endpoint serves '%s'.", r.Host, t.region, s.cfg.Region), reqID)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.reject(w, r, t, rawPath, nil, newAuthError(t.kind, false, "body_too_large", "Request body is larger than %d bytes (-max-body)", s.cfg.MaxBody), reqID)
		} else {
			s.reject(w, r, t, rawPath, nil, newAuthError(t.kind, false, "body_read", "reading the request body: %v", err), reqID)
		}
		return
	}
	sum := sha256.Sum256(body)
	in := &incoming{r: r, rawPath: rawPath, rawQuery: rawQuery, query: query, body: body, bodyHash: hex.EncodeToString(sum[:])}

	v, aerr := s.verifier.verify(in, t.kind)
	if aerr != nil {
		s.reject(w, r, t, rawPath, in, aerr, reqID)
		return
	}
	s.stats.accept(v.AccessKeyID)
	mode := "header"
	if v.Presigned {
		mode = "presigned"
	}
	s.logLine(r.Method, rawPath, "accepted", "ok", fmt.Sprintf("service=%s akid=%s auth=%s", t.kind, v.AccessKeyID, mode))
	switch t.kind {
	case kindLambda:
		serveInvoke(w, in, reqID)
	case kindFunctionURL:
		serveFunctionURL(w, in, t, reqID)
	case kindS3:
		serveS3(w, in, t, s.store, reqID)
	}
}

// reject counts, logs and answers a rejected request.
func (s *server) reject(w http.ResponseWriter, r *http.Request, t target, rawPath string, in *incoming, e *authError, reqID string) {
	s.stats.reject(e.Reason, e.AccessKeyID)
	detail := fmt.Sprintf("service=%s status=%d code=%s msg=%q", t.kind, e.Status, e.Code, e.Message)
	if e.CanonicalRequest != "" {
		detail += fmt.Sprintf(" akid=%s canonical_request=%q string_to_sign=%q",
			e.AccessKeyID, redactTokens(e.CanonicalRequest, in), e.StringToSign)
	}
	s.logLine(r.Method, rawPath, "rejected", e.Reason, detail)
	writeAuthError(w, r, t.kind, e, reqID)
}

// logLine prints one -log line: METHOD PATH VERDICT REASON key=value… time=….
func (s *server) logLine(method, path, verdict, reason, detail string) {
	if !s.cfg.Log {
		return
	}
	line := fmt.Sprintf("%s %s %s %s %s time=%s\n", method, path, verdict, reason, detail, time.Now().UTC().Format(time.RFC3339))
	s.logMu.Lock()
	_, _ = io.WriteString(s.stdout, line)
	s.logMu.Unlock()
}

// redactTokens masks every session token the request carried (header or
// query, raw or query-encoded) in a canonical request before it is logged.
func redactTokens(canonical string, in *incoming) string {
	if in == nil {
		return canonical
	}
	toks := in.r.Header.Values("X-Amz-Security-Token")
	for _, p := range in.query {
		if p.Key == "X-Amz-Security-Token" {
			toks = append(toks, p.Value)
		}
	}
	for _, t := range toks {
		if t == "" {
			continue
		}
		canonical = strings.ReplaceAll(canonical, t, "<redacted>")
		canonical = strings.ReplaceAll(canonical, strings.ReplaceAll(url.QueryEscape(t), "+", "%20"), "<redacted>")
	}
	return canonical
}

// splitRequestURI returns the escaped path and the raw query of a request
// target, in origin form ("/p?q") or absolute form ("http://h/p?q").
func splitRequestURI(uri string) (path, query string, err error) {
	if !strings.HasPrefix(uri, "/") {
		i := strings.Index(uri, "://")
		if i <= 0 {
			return "/", "", fmt.Errorf("request target %q is not a path", uri)
		}
		rest := uri[i+3:]
		j := strings.IndexAny(rest, "/?")
		switch {
		case j < 0:
			rest = "/"
		case rest[j] == '?':
			rest = "/" + rest[j:]
		default:
			rest = rest[j:]
		}
		uri = rest
	}
	path, query, _ = strings.Cut(uri, "?")
	return path, query, nil
}

// newRequestID returns a random id in the UUID shape AWS uses.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
