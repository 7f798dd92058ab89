package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// invokePrefix and invokeSuffix frame the Lambda Invoke API path
// POST /2015-03-31/functions/{FunctionName}/invocations.
const (
	invokePrefix = "/2015-03-31/functions/"
	invokeSuffix = "/invocations"
)

// functionNameRE is the FunctionName pattern of the Invoke API: a name, a
// name:qualifier, a partial ARN (123456789012:function:name) or a full ARN.
var functionNameRE = regexp.MustCompile(`^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$`)

// maxClientContext is the largest X-Amz-Client-Context the Invoke API takes:
// "Up to 3,583 bytes of base64-encoded data" (Invoke API reference).
const maxClientContext = 3583

// failFunction is the name of the function that always fails: invoking it
// answers like a function that threw (200, X-Amz-Function-Error: Unhandled and
// the error as JSON), so that callers can test their error path.
const failFunction = "fail"

// invokeResult is what the echo function returns.
type invokeResult struct {
	Function  string          `json:"function"`
	Qualifier string          `json:"qualifier"`
	Event     json.RawMessage `json:"event"`
	// ClientContext is the decoded X-Amz-Client-Context (the JSON object the
	// function finds in its context), when the request had one.
	ClientContext json.RawMessage `json:"client_context,omitempty"`
	Verified      bool            `json:"verified"`
}

// serveInvoke emulates the Lambda Invoke API for a verified request. The
// function echoes its event: the body as JSON if it is valid JSON, else as a
// JSON string.
func serveInvoke(w http.ResponseWriter, in *incoming, reqID string) {
	r := in.r
	p := in.rawPath
	if !strings.HasPrefix(p, invokePrefix) || !strings.HasSuffix(p, invokeSuffix) ||
		len(p) <= len(invokePrefix)+len(invokeSuffix) {
		writeLambdaError(w, http.StatusNotFound, "UnknownOperationException",
			"Unknown operation "+r.Method+" "+p+"; this endpoint emulates POST "+invokePrefix+"{FunctionName}"+invokeSuffix, reqID)
		return
	}
	rawName := p[len(invokePrefix) : len(p)-len(invokeSuffix)]
	if strings.Contains(rawName, "/") {
		writeLambdaError(w, http.StatusNotFound, "UnknownOperationException", "Unknown operation "+r.Method+" "+p, reqID)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeLambdaError(w, http.StatusMethodNotAllowed, "MethodNotAllowedException",
			"The Invoke API takes POST, not "+r.Method, reqID)
		return
	}
	name, err := url.PathUnescape(rawName)
	if err != nil || !functionNameRE.MatchString(name) || len(name) > 170 {
		writeLambdaError(w, http.StatusBadRequest, "ValidationException",
			"1 validation error detected: Value '"+rawName+"' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "+functionNameRE.String(), reqID)
		return
	}
	qualifier := embeddedQualifier(name)
	for _, q := range in.query {
		if q.Key == "Qualifier" {
			if qualifier != "" && qualifier != q.Value {
				writeLambdaError(w, http.StatusBadRequest, "InvalidParameterValueException",
					"The derived qualifier from the function name does not match the specified qualifier.", reqID)
				return
			}
			qualifier = q.Value
		}
	}
	if qualifier == "" {
		qualifier = "$LATEST"
	}
	cc, ok := clientContext(r.Header.Get("X-Amz-Client-Context"))
	if !ok {
		// The message is the one Lambda gives (quoted in aws/aws-sdk-js#1388).
		writeLambdaError(w, http.StatusBadRequest, "InvalidRequestContentException",
			"Client context must be a valid Base64-encoded JSON object.", reqID)
		return
	}
	res := invokeResult{Function: name, Qualifier: qualifier, Event: eventJSON(in.body), ClientContext: cc, Verified: true}
	w.Header().Set("X-Amz-Executed-Version", "$LATEST")
	w.Header().Set("X-Amzn-RequestId", reqID)
	switch r.Header.Get("X-Amz-Invocation-Type") {
	case "Event":
		w.WriteHeader(http.StatusAccepted)
		return
	case "DryRun":
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if baseName(name) == failFunction {
		// A function error is a 200 of the Invoke API: the function ran and
		// threw; the error object is the payload.
		w.Header().Set("X-Amz-Function-Error", "Unhandled")
		writeJSON(w, http.StatusOK, map[string]any{
			"errorType":    "Error",
			"errorMessage": "awsv4-endpoint: function '" + failFunction + "' fails on purpose",
			"trace":        []string{},
		})
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// clientContext decodes an X-Amz-Client-Context header: base64 (standard
// alphabet, padded) of a JSON object, at most maxClientContext bytes encoded.
// An absent header gives (nil, true).
func clientContext(h string) (json.RawMessage, bool) {
	if h == "" {
		return nil, true
	}
	if len(h) > maxClientContext {
		return nil, false
	}
	b, err := base64.StdEncoding.DecodeString(h)
	if err != nil {
		return nil, false
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(b, &obj) != nil || obj == nil {
		return nil, false
	}
	return json.RawMessage(b), true
}

// baseName is the bare function name of a name, name:qualifier, partial ARN
// (123456789012:function:name[:qualifier]) or full ARN.
func baseName(name string) string {
	parts := strings.Split(name, ":")
	for i, p := range parts {
		if p == "function" && i+1 < len(parts) {
			return parts[i+1]
		}
	}
	return parts[0]
}

// embeddedQualifier returns the qualifier inside a function name, if any:
// "name:alias" or an ARN ending in ":function:name:alias".
func embeddedQualifier(name string) string {
	parts := strings.Split(name, ":")
	switch {
	case strings.HasPrefix(name, "arn:") && len(parts) == 8:
		return parts[7]
	case !strings.HasPrefix(name, "arn:") && len(parts) == 2:
		return parts[1] // name:alias
	case !strings.HasPrefix(name, "arn:") && len(parts) == 4:
		return parts[3] // 123456789012:function:name:alias
	}
	return ""
}

// eventJSON is the body as JSON when it is valid JSON, else as a JSON string.
func eventJSON(body []byte) json.RawMessage {
	if len(body) > 0 && json.Valid(body) {
		return json.RawMessage(body)
	}
	s, _ := json.Marshal(string(body))
	return s
}

// functionURLEvent is the echo of a Function URL request, shaped like the
// Lambda Function URL (API Gateway payload v2) event, plus "method" and
// "verified" at the top for convenience.
type functionURLEvent struct {
	Version               string            `json:"version"`
	RouteKey              string            `json:"routeKey"`
	Method                string            `json:"method"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Cookies               []string          `json:"cookies,omitempty"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters,omitempty"`
	RequestContext        struct {
		DomainName   string `json:"domainName"`
		DomainPrefix string `json:"domainPrefix"`
		HTTP         struct {
			Method   string `json:"method"`
			Path     string `json:"path"`
			Protocol string `json:"protocol"`
		} `json:"http"`
		RequestID string `json:"requestId"`
		TimeEpoch int64  `json:"timeEpoch"`
	} `json:"requestContext"`
	Body            string `json:"body"`
	IsBase64Encoded bool   `json:"isBase64Encoded"`
	Verified        bool   `json:"verified"`
}

// serveFunctionURL answers any method, path and query with the event a
// Function URL would hand to its function. Bodies that are not UTF-8 text
// (invalid UTF-8 or holding NUL bytes) are base64-encoded.
func serveFunctionURL(w http.ResponseWriter, in *incoming, t target, reqID string) {
	r := in.r
	ev := functionURLEvent{Version: "2.0", RouteKey: "$default", Method: r.Method, RawPath: in.rawPath,
		RawQueryString: in.rawQuery, Headers: map[string]string{}, Verified: true}
	for name, vals := range r.Header {
		ln := strings.ToLower(name)
		if ln == "cookie" {
			ev.Cookies = append(ev.Cookies, vals...)
			continue
		}
		if prev, ok := ev.Headers[ln]; ok {
			vals = append([]string{prev}, vals...)
		}
		ev.Headers[ln] = strings.Join(vals, ",")
	}
	ev.Headers["host"] = r.Host
	if len(in.query) > 0 {
		ev.QueryStringParameters = map[string]string{}
		for _, q := range in.query {
			if prev, ok := ev.QueryStringParameters[q.Key]; ok {
				ev.QueryStringParameters[q.Key] = prev + "," + q.Value
			} else {
				ev.QueryStringParameters[q.Key] = q.Value
			}
		}
	}
	ev.RequestContext.DomainName = strings.ToLower(r.Host)
	ev.RequestContext.DomainPrefix = t.urlID
	ev.RequestContext.HTTP.Method = r.Method
	if p, err := url.PathUnescape(in.rawPath); err == nil {
		ev.RequestContext.HTTP.Path = p
	} else {
		ev.RequestContext.HTTP.Path = in.rawPath
	}
	ev.RequestContext.HTTP.Protocol = r.Proto
	ev.RequestContext.RequestID = reqID
	ev.RequestContext.TimeEpoch = time.Now().UnixMilli()
	if isText(in.body) {
		ev.Body = string(in.body)
	} else {
		ev.Body = base64.StdEncoding.EncodeToString(in.body)
		ev.IsBase64Encoded = true
	}
	w.Header().Set("X-Amzn-RequestId", reqID)
	writeJSON(w, http.StatusOK, ev)
}

// isText reports whether b is UTF-8 text without NUL bytes.
func isText(b []byte) bool {
	return utf8.Valid(b) && !strings.ContainsRune(string(b), 0)
}

// writeLambdaError answers a Lambda API error: JSON {"Type":"User","message":…}
// and the error code in x-amzn-ErrorType.
func writeLambdaError(w http.ResponseWriter, status int, code, msg, reqID string) {
	w.Header().Set("X-Amzn-ErrorType", code)
	w.Header().Set("X-Amzn-RequestId", reqID)
	writeJSON(w, status, map[string]string{"Type": "User", "message": msg})
}

// writeLambdaAuthError answers an authentication failure the way AWS's
// front end does for Lambda: JSON {"message":…} and x-amzn-ErrorType.
func writeLambdaAuthError(w http.ResponseWriter, status int, code, msg, reqID string) {
	w.Header().Set("X-Amzn-ErrorType", code)
	w.Header().Set("X-Amzn-RequestId", reqID)
	writeJSON(w, status, map[string]string{"message": msg})
}

// writeJSON answers v as JSON, without the HTML escaping of '&', '<', '>'
// (query strings and canonical requests stay readable).
func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}
