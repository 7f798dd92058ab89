package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestKeyFileRotation(t *testing.T) {
	dir := t.TempDir()
	kf := filepath.Join(dir, "keys")
	write := func(content string, mtime time.Time) {
		t.Helper()
		// Replace atomically, as a rotation script would.
		tmp := kf + ".tmp"
		if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(tmp, mtime, mtime); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, kf); err != nil {
			t.Fatal(err)
		}
	}
	base := time.Now().Add(-time.Hour)
	write("# rotation test\nAKIDFILEOLD oldSecret/abc\n", base)

	e := &env{t: t, stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	cfg, err := parseFlags([]string{"-keys", kf}, e.stderr)
	if err != nil {
		t.Fatal(err)
	}
	if e.srv, err = newServer(cfg, e.stdout, e.stderr); err != nil {
		t.Fatal(err)
	}
	e.ts = httptest.NewServer(e.srv)
	t.Cleanup(e.ts.Close)

	invoke := func(akid, secret, token string) int {
		body := []byte(`{}`)
		r := e.req(http.MethodPost, lambdaHost, invokePath, body)
		sign(t, r, body, signOpts{akid: akid, secret: secret, token: token})
		resp, _ := e.do(r)
		return resp.StatusCode
	}
	if got := invoke("AKIDFILEOLD", "oldSecret/abc", ""); got != 200 {
		t.Fatalf("old key: %d", got)
	}
	if got := invoke("AKIDFILENEW", "newSecret/xyz", "tok"); got != 403 {
		t.Fatalf("new key before rotation: %d", got)
	}
	// Rotate: new key with a session token, old one gone. Same size would
	// not matter: the file identity and mtime change too.
	write("AKIDFILENEW newSecret/xyz tok\n", base.Add(time.Minute))
	if got := invoke("AKIDFILENEW", "newSecret/xyz", "tok"); got != 200 {
		t.Fatalf("new key after rotation: %d", got)
	}
	if got := invoke("AKIDFILEOLD", "oldSecret/abc", ""); got != 403 {
		t.Fatalf("old key after rotation: %d", got)
	}
	// A broken file keeps the previous keys and says so on stderr, without the line.
	write("AKIDBROKEN only-one-field-but-secret-like x y z\n", base.Add(2*time.Minute))
	if got := invoke("AKIDFILENEW", "newSecret/xyz", "tok"); got != 200 {
		t.Fatalf("after a broken rotation: %d", got)
	}
	if s := e.stderr.String(); !strings.Contains(s, "line 1") || strings.Contains(s, "secret-like") {
		t.Fatalf("stderr %q", s)
	}
}

func TestStatsAndAdmin(t *testing.T) {
	e := newEnv(t)
	get := func(method, path string) (int, string) {
		r := e.req(method, "127.0.0.1", path, nil)
		resp, out := e.do(r)
		return resp.StatusCode, string(out)
	}
	if code, out := get(http.MethodGet, "/__awsv4/health"); code != 200 || strings.TrimSpace(out) != "ok" {
		t.Fatalf("health: %d %q", code, out)
	}
	body := []byte(`{}`)
	for i := 0; i < 3; i++ {
		r := e.req(http.MethodPost, lambdaHost, invokePath, body)
		sign(t, r, body, signOpts{})
		e.do(r)
	}
	r := e.req(http.MethodPost, lambdaHost, invokePath, body)
	sign(t, r, body, signOpts{secret: "wrong", akid: testAKID})
	e.do(r)
	r = e.req(http.MethodPost, lambdaHost, invokePath, body)
	sign(t, r, body, signOpts{time: time.Now().Add(-time.Hour)})
	e.do(r)
	r = e.req(http.MethodGet, vhostS3, "/k", nil)
	sign(t, r, nil, signOpts{service: "s3", akid: "NOPE", secret: "x"})
	e.do(r)

	code, out := get(http.MethodGet, "/__awsv4/stats")
	var st statsSnapshot
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 200 {
		t.Fatalf("stats: %d %s", code, out)
	}
	want := statsSnapshot{Accepted: 3, Rejected: 3, ByReason: map[string]int64{"signature_mismatch": 1, "skew": 1, "unknown_key": 1},
		ByKey: map[string]keyCounts{testAKID: {Accepted: 3, Rejected: 2}, "NOPE": {Rejected: 1}}}
	if fmt.Sprint(st) != fmt.Sprint(want) {
		t.Fatalf("stats %+v, want %+v", st, want)
	}
	if code, _ := get(http.MethodGet, "/__awsv4/reset"); code != 405 {
		t.Errorf("GET reset: %d", code)
	}
	if code, _ := get(http.MethodPost, "/__awsv4/reset"); code != 200 {
		t.Errorf("POST reset: %d", code)
	}
	_, out = get(http.MethodGet, "/__awsv4/stats")
	if strings.TrimSpace(out) != `{"accepted":0,"rejected":0,"by_reason":{},"by_key":{}}` {
		t.Errorf("after reset: %s", out)
	}
	// The sink answers any method, reads the body and counts nothing.
	r = e.req(http.MethodPost, lambdaHost, "/__awsv4/sink", bytes.Repeat([]byte("x"), 100<<10))
	if resp, out := e.do(r); resp.StatusCode != 200 || string(out) != "ok\n" {
		t.Errorf("sink: %d %q", resp.StatusCode, out)
	}
	if _, out = get(http.MethodGet, "/__awsv4/stats"); strings.TrimSpace(out) != `{"accepted":0,"rejected":0,"by_reason":{},"by_key":{}}` {
		t.Errorf("the sink was counted: %s", out)
	}
	if code, _ := get(http.MethodGet, "/__awsv4/nope"); code != 404 {
		t.Errorf("unknown admin path: %d", code)
	}
}

func TestLogLines(t *testing.T) {
	e := newEnv(t)
	body := []byte(`{}`)
	r := e.req(http.MethodPost, lambdaHost, invokePath, body)
	sign(t, r, body, signOpts{akid: tokAKID, secret: tokSecret, token: tokToken})
	e.do(r)
	r = e.req(http.MethodPost, lambdaHost, invokePath, body)
	sign(t, r, body, signOpts{akid: tokAKID, secret: "wrong", token: tokToken})
	e.do(r)
	lines := strings.Split(strings.TrimSpace(e.stdout.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 log lines, got %q", lines)
	}
	if f := strings.Fields(lines[0]); len(f) < 5 || f[0] != "POST" || f[1] != invokePath || f[2] != "accepted" || f[3] != "ok" {
		t.Errorf("accept line %q", lines[0])
	}
	if f := strings.Fields(lines[1]); len(f) < 5 || f[2] != "rejected" || f[3] != "signature_mismatch" ||
		!strings.Contains(lines[1], "canonical_request=") || !strings.Contains(lines[1], "string_to_sign=") ||
		!strings.Contains(lines[1], "x-amz-security-token:<redacted>") {
		t.Errorf("reject line %q", lines[1])
	}
	// (newEnv's cleanup checks that no secret or token is in the output.)
}

func TestFlags(t *testing.T) {
	var stderr bytes.Buffer
	for _, args := range [][]string{
		{"-key", "A:B", "-listen", "0.0.0.0:1"},
		{"-key", "A:B", "-listen", ":18080"},
		{"-key", "A:B", "-listen", "192.0.2.1:80"},
		{"-listen", "127.0.0.1:0"}, // no keys
		{"-key", "nocolon"},
	} {
		if _, err := parseFlags(args, &stderr); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
	for _, args := range [][]string{
		{"-key", "A:B", "-listen", "127.0.0.1:0"},
		{"-key", "A:B", "-listen", "[::1]:0"},
		{"-key", "A:B", "-listen", "localhost:0"},
		{"-key", "A:B", "-listen", "0.0.0.0:0", "-allow-remote"},
	} {
		if _, err := parseFlags(args, &stderr); err != nil {
			t.Errorf("%q: %v", args, err)
		}
	}
	if _, err := parseKeys([]byte("# c\n\n  AK SK\nAK2 SK2 TOK\n"), "f"); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"AK\n", "AK SK TOK extra\n", "AK SK\nAK SK2\n", "A/K SK\n"} {
		if _, err := parseKeys([]byte(bad), "f"); err == nil || strings.Contains(err.Error(), "SK") {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if s := fmt.Sprintf("%v %+v %#v", key{"AK", "SECRET", "TOKEN"}, key{"AK", "SECRET", "TOKEN"}, key{"AK", "SECRET", "TOKEN"}); strings.Contains(s, "SECRET") || strings.Contains(s, "TOKEN") {
		t.Errorf("key formats its secret: %s", s)
	}
}

// TestRun starts the real program loop on an ephemeral port.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-key", testAKID + ":" + testSecret}, &stdout, &stderr, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatal(err)
	case <-time.After(5 * time.Second):
		t.Fatal("not ready")
	}
	if !strings.HasPrefix(stdout.String(), "listening on 127.0.0.1:") {
		t.Errorf("stdout %q", stdout.String())
	}
	resp, err := http.Get("http://" + addr + "/__awsv4/health")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "ok\n" {
		t.Errorf("health %q", b)
	}
	// aws --endpoint-url style: Host is the loopback address; routed by scope.
	body := []byte(`{"x":1}`)
	r, _ := http.NewRequest(http.MethodPost, "http://"+addr+invokePath, bytes.NewReader(body))
	sign(t, r, body, signOpts{})
	resp, err = http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"event":{"x":1}`) {
		t.Errorf("loopback host invoke: %d %s", resp.StatusCode, b)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
