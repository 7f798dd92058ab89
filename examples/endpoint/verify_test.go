package main

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

const invokePath = "/2015-03-31/functions/my-function/invocations"

// TestRejections covers what a verifier must refuse, answered like each service.
func TestRejections(t *testing.T) {
	e := newEnv(t)
	body := []byte(`{"k":"v"}`)
	type tc struct {
		name string
		s3   bool
		prep func(t *testing.T, r *http.Request)
		// Lambda: status, x-amzn-ErrorType, message part; S3: status, Code.
		status   int
		code     string
		contains string
		reason   string
	}
	signed := func(o signOpts) func(t *testing.T, r *http.Request) {
		return func(t *testing.T, r *http.Request) { sign(t, r, body, o) }
	}
	s3o := func(o signOpts) signOpts { o.service = "s3"; return o }
	then := func(o signOpts, after func(r *http.Request)) func(t *testing.T, r *http.Request) {
		return func(t *testing.T, r *http.Request) { sign(t, r, body, o); after(r) }
	}
	authz := func(v string) func(t *testing.T, r *http.Request) {
		return func(t *testing.T, r *http.Request) {
			r.Header.Set("X-Amz-Date", time.Now().UTC().Format(amzDateFormat))
			r.Header.Set("Authorization", v)
		}
	}
	day := time.Now().UTC().Format(scopeDateFormat)
	sig := strings.Repeat("0", 64)
	cred := "Credential=" + testAKID + "/" + day + "/us-east-1/lambda/aws4_request"

	cases := []tc{
		{"wrong secret", false, signed(signOpts{akid: testAKID, secret: "not-the-secret"}), 403, "InvalidSignatureException", "does not match", "signature_mismatch"},
		{"wrong secret", true, signed(s3o(signOpts{akid: testAKID, secret: "not-the-secret"})), 403, "SignatureDoesNotMatch", "", "signature_mismatch"},
		{"unknown key", false, signed(signOpts{akid: "AKIDUNKNOWN", secret: testSecret}), 403, "UnrecognizedClientException", "security token included in the request is invalid", "unknown_key"},
		{"unknown key", true, signed(s3o(signOpts{akid: "AKIDUNKNOWN", secret: testSecret})), 403, "InvalidAccessKeyId", "", "unknown_key"},
		{"body changed after signing", false, then(signOpts{}, func(r *http.Request) { setBody(r, []byte(`{"k":"w"}`)) }), 403, "InvalidSignatureException", "does not match", "signature_mismatch"},
		{"body changed after signing", true, then(s3o(signOpts{}), func(r *http.Request) { setBody(r, []byte(`{"k":"w"}`)) }), 400, "XAmzContentSHA256Mismatch", "", "payload_mismatch"},
		{"skew -16 min", false, signed(signOpts{time: time.Now().Add(-16 * time.Minute)}), 403, "InvalidSignatureException", "Signature expired", "skew"},
		{"skew +16 min", false, signed(signOpts{time: time.Now().Add(16 * time.Minute)}), 403, "InvalidSignatureException", "Signature not yet current", "skew"},
		{"skew -16 min", true, signed(s3o(signOpts{time: time.Now().Add(-16 * time.Minute)})), 403, "RequestTimeTooSkewed", "", "skew"},
		{"unsigned x-amz header", false, then(signOpts{}, func(r *http.Request) { r.Header.Set("X-Amz-Log-Type", "Tail") }), 403, "InvalidSignatureException", "x-amz-log-type", "unsigned_header"},
		{"unsigned x-amz header", true, then(s3o(signOpts{}), func(r *http.Request) { r.Header.Set("X-Amz-Meta-Foo", "bar") }), 403, "AccessDenied", "", "unsigned_header"},
		{"signed header changed", false, then(signOpts{}, func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }), 403, "InvalidSignatureException", "does not match", "signature_mismatch"},
		{"wrong region", false, signed(signOpts{region: "eu-west-1"}), 403, "InvalidSignatureException", "Credential should be scoped to a valid region", "wrong_region"},
		{"wrong region", true, signed(s3o(signOpts{region: "eu-west-1"})), 400, "AuthorizationHeaderMalformed", "", "wrong_region"},
		{"wrong service", false, signed(signOpts{service: "execute-api"}), 403, "InvalidSignatureException", "Credential should be scoped to correct service: 'lambda'", "wrong_service"},
		{"wrong service", true, signed(signOpts{service: "lambda"}), 400, "AuthorizationHeaderMalformed", "", "wrong_service"},
		{"UNSIGNED-PAYLOAD", false, func(t *testing.T, r *http.Request) {
			r.Header.Set("X-Amz-Content-Sha256", unsignedPayload)
			sign(t, r, body, signOpts{payloadHash: unsignedPayload})
		}, 403, "InvalidSignatureException", "UNSIGNED-PAYLOAD", "unsigned_payload"},
		{"x-amz-content-sha256 of other data", false, func(t *testing.T, r *http.Request) {
			r.Header.Set("X-Amz-Content-Sha256", hashHex([]byte("other")))
			sign(t, r, body, signOpts{payloadHash: hashHex([]byte("other"))})
		}, 403, "InvalidSignatureException", "x-amz-content-sha256", "payload_mismatch"},
		{"x-amz-content-sha256 not hex", true, signed(s3o(signOpts{payloadHash: "nothex"})), 400, "InvalidArgument", "", "bad_content_sha256"},
		{"x-amz-content-sha256 streaming", true, signed(s3o(signOpts{payloadHash: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"})), 501, "NotImplemented", "", "streaming_payload"},
		{"missing x-amz-content-sha256", true, signed(s3o(signOpts{noContentSHA: true})), 400, "InvalidRequest", "", "missing_content_sha256"},
		{"no auth", false, func(*testing.T, *http.Request) {}, 403, "MissingAuthenticationTokenException", "Missing Authentication Token", "missing_auth"},
		{"no auth", true, func(*testing.T, *http.Request) {}, 403, "AccessDenied", "", "missing_auth"},
		{"session token missing", false, then(signOpts{akid: tokAKID, secret: tokSecret}, func(*http.Request) {}), 403, "UnrecognizedClientException", "needs X-Amz-Security-Token", "bad_token"},
		{"session token wrong", false, signed(signOpts{akid: tokAKID, secret: tokSecret, token: "other"}), 403, "UnrecognizedClientException", "wrong session token", "bad_token"},
		{"scope date != x-amz-date", false, then(signOpts{}, func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/"+day+"/", "/20200101/", 1))
		}), 403, "InvalidSignatureException", "Date in Credential scope does not match", "scope_date"},
		{"x-amz-date not signed", false, then(signOpts{}, func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ";x-amz-date", "", 1))
		}), 403, "InvalidSignatureException", "x-amz-date", "unsigned_header"},
		{"host not signed", false, authz("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=x-amz-date, Signature=" + sig), 403, "InvalidSignatureException", "'Host'", "host_not_signed"},

		// Malformed Authorization headers.
		{"malformed: other algorithm", false, authz("AWS4-HMAC-SHA512 " + cred + ", SignedHeaders=host;x-amz-date, Signature=" + sig), 403, "IncompleteSignatureException", "", "unsupported_algorithm"},
		{"malformed: no Signature", false, authz("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;x-amz-date"), 403, "IncompleteSignatureException", "'Signature'", "malformed_auth"},
		{"malformed: short signature", false, authz("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;x-amz-date, Signature=abc"), 403, "IncompleteSignatureException", "Signature", "malformed_auth"},
		{"malformed: upper-case hex", false, authz("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=host;x-amz-date, Signature=" + strings.Repeat("A", 64)), 403, "IncompleteSignatureException", "Signature", "malformed_auth"},
		{"malformed: 4-part credential", false, authz("AWS4-HMAC-SHA256 Credential=" + testAKID + "/" + day + "/us-east-1/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + sig), 403, "IncompleteSignatureException", "Credential", "malformed_auth"},
		{"malformed: bad terminator", false, authz("AWS4-HMAC-SHA256 Credential=" + testAKID + "/" + day + "/us-east-1/lambda/aws5_request, SignedHeaders=host;x-amz-date, Signature=" + sig), 403, "IncompleteSignatureException", "aws4_request", "malformed_auth"},
		{"malformed: unsorted SignedHeaders", false, authz("AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=x-amz-date;host, Signature=" + sig), 403, "IncompleteSignatureException", "sorted", "malformed_auth"},
		{"malformed: duplicate component", false, authz("AWS4-HMAC-SHA256 " + cred + ", " + cred + ", SignedHeaders=host;x-amz-date, Signature=" + sig), 403, "IncompleteSignatureException", "twice", "malformed_auth"},
		{"malformed: garbage", false, authz("AWS4-HMAC-SHA256 garbage"), 403, "IncompleteSignatureException", "", "malformed_auth"},
		{"malformed: S3", true, authz("AWS4-HMAC-SHA256 Credential=" + testAKID + "/" + day + "/us-east-1/s3/aws4_request, Signature=" + sig), 400, "AuthorizationHeaderMalformed", "", "malformed_auth"},
		{"malformed: no x-amz-date", false, func(t *testing.T, r *http.Request) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 "+cred+", SignedHeaders=host, Signature="+sig)
		}, 403, "IncompleteSignatureException", "X-Amz-Date", "missing_date"},
	}
	for _, c := range cases {
		svc := "lambda"
		if c.s3 {
			svc = "s3"
		}
		t.Run(svc+"/"+c.name, func(t *testing.T) {
			e.srv.stats.reset()
			var r *http.Request
			if c.s3 {
				r = e.req(http.MethodPut, vhostS3, "/obj", body)
			} else {
				r = e.req(http.MethodPost, lambdaHost, invokePath, body)
				r.Header.Set("Content-Type", "application/json")
			}
			c.prep(t, r)
			resp, out := e.do(r)
			if c.s3 {
				s3Err(t, resp, out, c.status, c.code)
			} else {
				lambdaErr(t, resp, out, c.status, c.code, c.contains)
			}
			if st := e.srv.stats.snapshot(); st.Rejected != 1 || st.ByReason[c.reason] != 1 || st.Accepted != 0 {
				t.Errorf("stats %+v, want one rejection %q", st, c.reason)
			}
		})
	}
}

func TestSkewWithinWindowAccepted(t *testing.T) {
	e := newEnv(t)
	for _, d := range []time.Duration{-14 * time.Minute, 14 * time.Minute} {
		body := []byte(`{}`)
		r := e.req(http.MethodPost, lambdaHost, invokePath, body)
		sign(t, r, body, signOpts{time: time.Now().Add(d)})
		if resp, out := e.do(r); resp.StatusCode != 200 {
			t.Errorf("skew %v: %d %s", d, resp.StatusCode, out)
		}
	}
}

// Headers aws-sdk-go-v2 never signs itself (User-Agent, Expect…) are verified
// when a client does sign them, and an explicit :port in Host is kept.
func TestUnusualSignedHeaders(t *testing.T) {
	e := newEnv(t)
	now := time.Now().UTC()
	amzDate := now.Format(amzDateFormat)
	body := []byte(`{}`)
	// A wrong signature shows the server's canonical request: it must hold
	// content-length, host with its port, and user-agent.
	r := e.req(http.MethodPost, lambdaHost+":80", invokePath, body)
	r.Header.Set("User-Agent", "my-agent/1.0")
	r.Header.Set("X-Amz-Date", amzDate)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAKID+"/"+amzDate[:8]+"/us-east-1/lambda/aws4_request, SignedHeaders=content-length;host;user-agent;x-amz-date, Signature="+strings.Repeat("1", 64))
	resp, out := e.do(r)
	msg := lambdaErr(t, resp, out, 403, "InvalidSignatureException", "does not match")
	for _, want := range []string{"\ncontent-length:2\n", "\nhost:" + lambdaHost + ":80\n", "\nuser-agent:my-agent/1.0\n", "\ncontent-length;host;user-agent;x-amz-date\n"} {
		if !strings.Contains(msg, want) {
			t.Errorf("canonical request lacks %q:\n%s", want, msg)
		}
	}

	// And accepted when right: the client SDK signs user-agent and expect when
	// they sit under lower-case keys (its ignore list matches canonical keys);
	// then they are moved to their canonical keys so each is sent once.
	r = e.req(http.MethodPost, lambdaHost+":80", invokePath, body)
	r.Header["user-agent"] = []string{"my-agent/1.0"}
	r.Header["x-amzn-trace-id"] = []string{"Root=1-5759e988-bd862e3fe1be46a994272793"}
	sign(t, r, body, signOpts{})
	if !strings.Contains(r.Header.Get("Authorization"), "SignedHeaders=content-length;host;user-agent;x-amz-date;x-amzn-trace-id,") {
		t.Fatalf("client did not sign the headers: %s", r.Header.Get("Authorization"))
	}
	for _, k := range []string{"user-agent", "x-amzn-trace-id"} {
		v := r.Header[k]
		delete(r.Header, k)
		r.Header.Set(k, v[0])
	}
	if resp, out := e.do(r); resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, out)
	}
}

func TestNormalizePath(t *testing.T) {
	// Expected values: the aws-c-auth v4 suite (*-normalized vectors).
	for in, want := range map[string]string{
		"/":                        "/",
		"//example//":              "/example/",
		"/./":                      "/",
		"/example/..":              "/",
		"/example1/example2/../..": "/",
		"/example/.":               "/example/",
		"/example space/":          "/example space/",
		"/2015-03-31/functions/f%3Ab/invocations": "/2015-03-31/functions/f%3Ab/invocations",
	} {
		if got := normalizePath(in); got != want {
			t.Errorf("normalizePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestS3CanonicalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/bkt/a%20b%2Bc": "/bkt/a%20b%2Bc",
		"/bkt/a+b":       "/bkt/a%2Bb",
		"/bkt/caf%c3%a9": "/bkt/caf%C3%A9",
		"/bkt/%7Ex":      "/bkt/~x",
		"/bkt/x%2Fy":     "/bkt/x%2Fy",
		"/bkt//a/./b":    "/bkt//a/./b",
		"/bkt/a:b@c":     "/bkt/a%3Ab%40c",
	} {
		got, err := s3CanonicalPath(in)
		if err != nil || got != want {
			t.Errorf("s3CanonicalPath(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := s3CanonicalPath("/bkt/%zz"); err == nil {
		t.Error("bad escape accepted")
	}
}
