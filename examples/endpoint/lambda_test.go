package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestLambdaInvokeAccepted(t *testing.T) {
	e := newEnv(t)
	const arn = "arn:aws:lambda:us-east-1:123456789012:function:my-fn"
	const arnPath = "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn"
	cases := []struct {
		name, pathQuery, function, qualifier string
		opts                                 signOpts
	}{
		{"name", "/2015-03-31/functions/my-function/invocations", "my-function", "$LATEST", signOpts{}},
		{"alias via Qualifier", "/2015-03-31/functions/my-function/invocations?Qualifier=prod", "my-function", "prod", signOpts{}},
		{"name:alias", "/2015-03-31/functions/my-function%3Aprod/invocations", "my-function:prod", "prod", signOpts{}},
		{"full ARN with %3A", "/2015-03-31/functions/" + arnPath + "/invocations?Qualifier=%24LATEST", arn, "$LATEST", signOpts{}},
		{"session token", "/2015-03-31/functions/my-function/invocations", "my-function", "$LATEST",
			signOpts{akid: tokAKID, secret: tokSecret, token: tokToken}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := []byte(`{"a":1,"s":"x y"}`)
			r := e.req(http.MethodPost, lambdaHost, c.pathQuery, body)
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("X-Amz-Log-Type", "None")
			sign(t, r, body, c.opts)
			resp, out := e.do(r)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, out)
			}
			if resp.Header.Get("X-Amz-Executed-Version") != "$LATEST" || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("headers %v", resp.Header)
			}
			var res struct {
				Function, Qualifier string
				Event               map[string]any
				Verified            bool
			}
			if err := json.Unmarshal(out, &res); err != nil {
				t.Fatal(err, string(out))
			}
			if res.Function != c.function || res.Qualifier != c.qualifier || !res.Verified || res.Event["a"] != 1.0 || res.Event["s"] != "x y" {
				t.Errorf("got %+v", res)
			}
		})
	}
}

// The canonical request for a Lambda ARN must double-encode the path. The
// expected text is the one the AWS CLI v2 printed for the same request
// (notes/real-peers.md), not something computed by a signer.
func TestLambdaCanonicalDoubleEncoding(t *testing.T) {
	e := newEnv(t)
	body := []byte(`{"a":1}`)
	now := time.Now().UTC()
	amzDate := now.Format(amzDateFormat)
	r := e.req(http.MethodPost, lambdaHost, "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn/invocations?Qualifier=%24LATEST", body)
	r.Header.Set("X-Amz-Date", amzDate)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+testAKID+"/"+amzDate[:8]+"/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature="+strings.Repeat("0", 64))
	resp, out := e.do(r)
	msg := lambdaErr(t, resp, out, 403, "InvalidSignatureException", "The request signature we calculated does not match")
	want := "POST\n" +
		"/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A123456789012%253Afunction%253Amy-fn/invocations\n" +
		"Qualifier=%24LATEST\n" +
		"host:" + lambdaHost + "\n" +
		"x-amz-date:" + amzDate + "\n\n" +
		"host;x-amz-date\n" +
		hashHex(body)
	if !strings.Contains(msg, "'"+want+"'") {
		t.Fatalf("canonical request not found in message:\n%s\nwant:\n%s", msg, want)
	}

	// A signer that encodes the ARN only once (curl 7.88 does) is rejected.
	r = e.req(http.MethodPost, lambdaHost, "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn/invocations", body)
	sign(t, r, body, signOpts{singleEncode: true})
	resp, out = e.do(r)
	lambdaErr(t, resp, out, 403, "InvalidSignatureException", "does not match")
}

func TestLambdaRouting(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		method, path string
		status       int
		code         string
	}{
		{http.MethodGet, "/2015-03-31/functions/f/invocations", 405, "MethodNotAllowedException"},
		{http.MethodPost, "/2015-03-31/functions/f/configuration", 404, "UnknownOperationException"},
		{http.MethodGet, "/", 404, "UnknownOperationException"},
		{http.MethodPost, "/2015-03-31/functions/bad%20name/invocations", 400, "ValidationException"},
	} {
		r := e.req(c.method, lambdaHost, c.path, nil)
		sign(t, r, nil, signOpts{})
		resp, out := e.do(r)
		if resp.StatusCode != c.status || resp.Header.Get("X-Amzn-ErrorType") != c.code {
			t.Errorf("%s %s: %d %s %s", c.method, c.path, resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), out)
		}
		var m map[string]string
		if err := json.Unmarshal(out, &m); err != nil || m["Type"] != "User" || m["message"] == "" {
			t.Errorf("%s %s: body %s", c.method, c.path, out)
		}
	}
	// Invocation type Event: 202, no body; a non-JSON body is echoed as a string.
	r := e.req(http.MethodPost, lambdaHost, "/2015-03-31/functions/f/invocations", []byte("plain"))
	r.Header.Set("X-Amz-Invocation-Type", "Event")
	sign(t, r, []byte("plain"), signOpts{})
	if resp, out := e.do(r); resp.StatusCode != 202 {
		t.Errorf("Event: %d %s", resp.StatusCode, out)
	}
	r = e.req(http.MethodPost, lambdaHost, "/2015-03-31/functions/f/invocations", []byte("plain"))
	sign(t, r, []byte("plain"), signOpts{})
	if _, out := e.do(r); !strings.Contains(string(out), `"event":"plain"`) {
		t.Errorf("string event: %s", out)
	}
}

func TestFunctionURL(t *testing.T) {
	e := newEnv(t)
	type event struct {
		Method, RawPath, RawQueryString string
		Headers                         map[string]string
		QueryStringParameters           map[string]string
		Body                            string
		IsBase64Encoded                 bool
		Verified                        bool
		RequestContext                  struct {
			HTTP struct{ Method, Path string }
		}
	}
	t.Run("GET with query", func(t *testing.T) {
		const pq = "/some/path%20x/caf%C3%A9+plus%2B?b=2&a=1&sp=a%20b&plus=x%2By&arn=arn%3Aaws%3Ax&flag&a=0"
		r := e.req(http.MethodGet, furlHost, pq, nil)
		r.Header.Set("X-Custom", "  v1   v2 ")
		sign(t, r, nil, signOpts{})
		// SignHTTP rewrites RawQuery into its canonical form; send the
		// original, unsorted one: the server must canonicalize it itself.
		r.URL.RawQuery = strings.SplitN(pq, "?", 2)[1]
		resp, out := e.do(r)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, out)
		}
		var ev event
		if err := json.Unmarshal(out, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Method != "GET" || ev.RawPath != "/some/path%20x/caf%C3%A9+plus%2B" || ev.RawQueryString != strings.SplitN(pq, "?", 2)[1] || !ev.Verified {
			t.Errorf("event %+v", ev)
		}
		if ev.RequestContext.HTTP.Path != "/some/path x/café+plus+" || ev.QueryStringParameters["sp"] != "a b" || ev.QueryStringParameters["a"] != "1,0" {
			t.Errorf("event %+v", ev)
		}
		if ev.Headers["host"] != furlHost || ev.Headers["x-custom"] == "" {
			t.Errorf("headers %v", ev.Headers)
		}
	})
	t.Run("POST 1 MiB with NUL bytes", func(t *testing.T) {
		body := bytes.Repeat([]byte("ab\x00\xff{}"), 1<<20/6+1)[:1<<20]
		r := e.req(http.MethodPost, furlHost, "/upload", body)
		r.Header.Set("Content-Type", "application/octet-stream")
		sign(t, r, body, signOpts{})
		resp, out := e.do(r)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %.300s", resp.StatusCode, out)
		}
		var ev event
		if err := json.Unmarshal(out, &ev); err != nil {
			t.Fatal(err)
		}
		got, err := base64.StdEncoding.DecodeString(ev.Body)
		if err != nil || !ev.IsBase64Encoded || !bytes.Equal(got, body) {
			t.Fatalf("body not echoed (base64 %v, %d bytes)", ev.IsBase64Encoded, len(got))
		}
		// The same body changed in one byte after signing is refused.
		r = e.req(http.MethodPost, furlHost, "/upload", body)
		sign(t, r, body, signOpts{})
		body2 := bytes.Clone(body)
		body2[len(body2)/2] ^= 1
		setBody(r, body2)
		resp, out = e.do(r)
		lambdaErr(t, resp, out, 403, "InvalidSignatureException", "does not match")
	})
	t.Run("path normalization", func(t *testing.T) {
		// AWS normalizes non-S3 paths: signed as /a/b, sent as /a/./x/../b.
		r := e.req(http.MethodGet, furlHost, "/a/b", nil)
		sign(t, r, nil, signOpts{})
		r2 := e.req(http.MethodGet, furlHost, "/a/./x/../b", nil)
		r2.Header = r.Header
		if resp, out := e.do(r2); resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, out)
		}
		// aws-sdk-go-v2 does not normalize: a path with "//" signed as is fails.
		r = e.req(http.MethodGet, furlHost, "/a//b", nil)
		sign(t, r, nil, signOpts{})
		resp, out := e.do(r)
		lambdaErr(t, resp, out, 403, "InvalidSignatureException", "\n/a/b\n")
	})
}

// setBody replaces the body of an already signed request.
func setBody(r *http.Request, body []byte) {
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = nil
	r.ContentLength = int64(len(body))
}

func TestLambdaClientContext(t *testing.T) {
	e := newEnv(t)
	invoke := func(cc string) (*http.Response, []byte) {
		body := []byte(`{"k":"v"}`)
		r := e.req(http.MethodPost, lambdaHost, invokePath, body)
		if cc != "" {
			r.Header.Set("X-Amz-Client-Context", cc)
		}
		sign(t, r, body, signOpts{})
		return e.do(r)
	}
	ctx := `{"custom":{"method":"GET","path":"/api/items","query":"color=red&size=9"}}`
	resp, out := invoke(base64.StdEncoding.EncodeToString([]byte(ctx)))
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, out)
	}
	var res struct {
		Event         map[string]string
		ClientContext map[string]map[string]string `json:"client_context"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatal(err, string(out))
	}
	if c := res.ClientContext["custom"]; c["method"] != "GET" || c["path"] != "/api/items" || c["query"] != "color=red&size=9" || res.Event["k"] != "v" {
		t.Errorf("got %s", out)
	}
	// Without a context there is no client_context in the echo.
	if resp, out = invoke(""); resp.StatusCode != 200 || strings.Contains(string(out), "client_context") {
		t.Errorf("no context: %d %s", resp.StatusCode, out)
	}
	for name, cc := range map[string]string{
		"not base64":  "{not base64}",
		"not JSON":    base64.StdEncoding.EncodeToString([]byte("plain text")),
		"JSON array":  base64.StdEncoding.EncodeToString([]byte(`[1,2]`)),
		"over 3583 B": base64.StdEncoding.EncodeToString([]byte(`{"custom":{"x":"` + strings.Repeat("y", 2700) + `"}}`)),
	} {
		resp, out := invoke(cc)
		if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-ErrorType") != "InvalidRequestContentException" {
			t.Errorf("%s: %d %s", name, resp.StatusCode, out)
		}
	}
}

func TestLambdaFunctionError(t *testing.T) {
	e := newEnv(t)
	for _, fn := range []string{"fail", "fail%3Alive", "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Afail"} {
		body := []byte(`{}`)
		r := e.req(http.MethodPost, lambdaHost, "/2015-03-31/functions/"+fn+"/invocations", body)
		sign(t, r, body, signOpts{})
		resp, out := e.do(r)
		if resp.StatusCode != 200 || resp.Header.Get("X-Amz-Function-Error") != "Unhandled" ||
			!strings.Contains(string(out), `"errorMessage"`) || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: %d %v %s", fn, resp.StatusCode, resp.Header, out)
		}
	}
	// Other names run normally.
	body := []byte(`{}`)
	r := e.req(http.MethodPost, lambdaHost, "/2015-03-31/functions/failover/invocations", body)
	sign(t, r, body, signOpts{})
	if resp, out := e.do(r); resp.StatusCode != 200 || resp.Header.Get("X-Amz-Function-Error") != "" {
		t.Errorf("failover: %d %s", resp.StatusCode, out)
	}
}
