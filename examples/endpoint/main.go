// Command awsv4-endpoint is a small local HTTP server that checks AWS
// Signature Version 4 the way AWS does, so that the Varnish demo and the
// end-to-end tests can prove that the signatures awsv4 produces are accepted.
//
// It answers like the service named by the request's Host header (the client
// connects to loopback, the Host header carries the real AWS name):
//
//	lambda.<region>.amazonaws.com          Lambda Invoke API; the function echoes its event and
//	                                       its client context; the function "fail" always fails
//	                                       (X-Amz-Function-Error: Unhandled)
//	<id>.lambda-url.<region>.on.aws        a Lambda Function URL; echoes the request (event v2)
//	<bucket>.s3.<region>.amazonaws.com     S3 objects, virtual-hosted style (GET/HEAD/PUT/DELETE)
//	s3.<region>.amazonaws.com/<bucket>/…   S3 objects, path style
//
// A request whose Host is none of these (for example `aws --endpoint-url
// http://127.0.0.1:18080`) is routed by the service of its credential scope:
// lambda → Invoke API, s3 → path style.
//
// Signatures are checked with an implementation independent of awsv4: the
// received request is rebuilt with only its signed headers and signed again by
// aws-sdk-go-v2's aws/signer/v4 (SignHTTP or PresignHTTP) with the same key,
// time, region and service; the two signatures are compared in constant time.
// See verify.go for every rule and for how the SDK is made to reproduce the
// received path and headers exactly.
//
// Usage:
//
//	awsv4-endpoint [-listen 127.0.0.1:18080] [-keys FILE] [-key AKID:SECRET[:TOKEN]]...
//	               [-region us-east-1] [-max-skew 15m] [-s3-root DIR] [-log] [-allow-remote]
//
// Unsigned admin endpoints live under the reserved prefix /__awsv4/:
// GET /__awsv4/health, GET /__awsv4/stats (verdicts in total, by reason and by
// access key id), POST /__awsv4/reset, and /__awsv4/sink (any method: the body
// is read and "ok" answered, without verification: a do-nothing backend for
// benchmarks).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// config is the parsed command line.
type config struct {
	Listen      string
	AllowRemote bool
	KeysFile    string
	Keys        []string // -key values, "AKID:SECRET[:TOKEN]"
	Region      string
	MaxSkew     time.Duration
	S3Root      string
	Log         bool
	MaxBody     int64
}

// multiFlag collects a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string { return fmt.Sprintf("%d value(s)", len(*m)) } // never the values: they hold secrets
func (m *multiFlag) Set(v string) error {
	*m = append(*m, v)
	return nil
}

// parseFlags parses args (without the program name) into a config.
func parseFlags(args []string, stderr io.Writer) (*config, error) {
	cfg := &config{}
	fs := flag.NewFlagSet("awsv4-endpoint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Listen, "listen", "127.0.0.1:18080", "address to listen on (loopback only unless -allow-remote)")
	fs.BoolVar(&cfg.AllowRemote, "allow-remote", false, "allow a -listen address that is not loopback")
	fs.StringVar(&cfg.KeysFile, "keys", "", "key file: lines `ACCESS_KEY_ID SECRET [SESSION_TOKEN]`, # comments; re-read when it changes")
	var keys multiFlag
	fs.Var(&keys, "key", "a key as AKID:SECRET[:SESSION_TOKEN] (repeatable)")
	fs.StringVar(&cfg.Region, "region", "us-east-1", "the region this endpoint serves")
	fs.DurationVar(&cfg.MaxSkew, "max-skew", 15*time.Minute, "accepted difference between X-Amz-Date and now")
	fs.StringVar(&cfg.S3Root, "s3-root", "", "directory whose sub-directories are S3 buckets (empty: an in-memory store filled by PUT)")
	fs.BoolVar(&cfg.Log, "log", false, "print one line per request on stdout (method, path, verdict, reason)")
	fs.Int64Var(&cfg.MaxBody, "max-body", 64<<20, "largest request body accepted, in bytes")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	cfg.Keys = keys
	for i, k := range keys {
		if _, err := parseKeyFlag(k, i+1); err != nil {
			return nil, err
		}
	}
	if cfg.KeysFile == "" && len(cfg.Keys) == 0 {
		return nil, errors.New("no keys: give -keys FILE or -key AKID:SECRET")
	}
	if cfg.Region == "" {
		return nil, errors.New("-region must not be empty")
	}
	if cfg.MaxSkew <= 0 {
		return nil, errors.New("-max-skew must be positive")
	}
	if cfg.MaxBody <= 0 {
		return nil, errors.New("-max-body must be positive")
	}
	if !cfg.AllowRemote {
		if err := checkLoopback(cfg.Listen); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

// checkLoopback refuses listen addresses that would expose the endpoint (and
// the keys it accepts) beyond this machine.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-listen %q: %v", addr, err)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-listen %q is not a loopback address; add -allow-remote to listen there anyway", addr)
}

// run starts the server and blocks until ctx is cancelled. ready, if not nil,
// receives the bound address once the listener is open.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready chan<- string) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	srv, err := newServer(cfg, stdout, stderr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          nil,
	}
	fmt.Fprintf(stdout, "listening on %s\n", ln.Addr())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return hs.Shutdown(sctx)
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, "awsv4-endpoint:", err)
		os.Exit(2)
	}
}
