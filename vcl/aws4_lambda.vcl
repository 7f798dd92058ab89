#
# aws4_lambda.vcl - AWS Lambda functions behind Varnish, signed with AWS
# Signature Version 4 by the awsv4 VMOD.
#
# Include this file from your VCL. It maps URLs to Lambda functions (the
# mapping is yours: see "What your VCL provides" below) and calls them in
# one of the two ways Lambda offers:
#
#   Invoke API     POST https://lambda.<region>.amazonaws.com
#                       /2015-03-31/functions/<function>/invocations
#                  The function gets the client's request body as its event
#                  (VCL cannot rebuild a body) and the client's method, path,
#                  query and some headers in its "client context" (see
#                  "Invoke API mode" below). Its JSON result is the response.
#
#   Function URL   https://<url-id>.lambda-url.<region>.on.aws
#                  Method, path, query and body pass through unchanged and are
#                  signed as they are; the function answers like a web server.
#
# Every request to a function is passed (never cached): functions answer
# dynamically. Request bodies up to 6 MB (Lambda's limit for synchronous
# calls) are accepted, kept in memory and hashed; larger ones get a 413.
#
# Keys and secrets never appear in VCL: the signer objects you create in
# vcl_init name a *source* of credentials (an environment, a credentials
# file and profile); see `man vmod_awsv4`.
#
# ---------------------------------------------------------------------------
# What your VCL provides
# ---------------------------------------------------------------------------
#
# 1. `import awsv4;` (or `import awsv4 from "/path/libvmod_awsv4.so";`)
#    BEFORE the include: this file uses the VMOD but cannot know where it
#    is installed. (It imports std and blob, which come with Varnish.)
#
# 2. A backend that reaches AWS. Varnish 7.1 cannot open TLS connections to
#    backends, so in production this is a TLS onloader on loopback (haproxy
#    or stunnel opening verified TLS to the AWS host name, with SNI). The
#    signature always covers the AWS host name, never the onloader's
#    address. Pick it in aws4_lambda_route with req.backend_hint, or let it
#    be the default (first) backend.
#
# 3. One signer per region (and per set of credentials) in vcl_init:
#
#        new lambda_us_east_1 = awsv4.signer("us-east-1", "lambda",
#            credentials = "file:/etc/varnish/aws-credentials",
#            profile = "lambda-gateway");
#
# 4. `sub aws4_lambda_route`, the URL -> function mapping. It runs in
#    vcl_recv and, for the requests it claims, sets these request headers:
#
#      aws4-function       Invoke API: the function, as a name ("orders"),
#                          "name:alias", a partial ARN
#                          ("123456789012:function:orders") or a full ARN
#                          ("arn:aws:lambda:eu-west-1:123456789012:function:orders")
#      aws4-qualifier      Invoke API, optional: a version or an alias ("live")
#      aws4-function-url   Function URL: its host name,
#                          "<url-id>.lambda-url.<region>.on.aws"
#      aws4-region         the function's region ("eu-west-1"). Not needed
#                          with a full ARN or a Function URL: their region is
#                          read from them (and must then agree if both are given)
#      aws4-signer         optional: any name; aws4_lambda_signer may use it
#                          to pick other credentials for this route
#      aws4-invocation-type  optional, Invoke API: "Event" (asynchronous,
#                          Lambda answers 202 at once) or "DryRun"; default
#                          "RequestResponse" (wait for the result)
#      aws4-keep-cookie    optional: any value keeps the client's Cookie
#                          header (removed by default)
#
#    Set exactly one of aws4-function and aws4-function-url; leave both
#    unset for requests that are not for Lambda. Example:
#
#        sub aws4_lambda_route {
#            if (req.url ~ "^/api/orders(/|\?|$)") {
#                set req.http.aws4-function = "orders";
#                set req.http.aws4-qualifier = "live";
#                set req.http.aws4-region = "eu-west-1";
#            } elsif (req.url ~ "^/app/") {
#                set req.http.aws4-function-url =
#                    "abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws";
#            }
#        }
#
# 5. `sub aws4_lambda_signer`, which picks the signer for a request and
#    calls its .sign(). It runs in vcl_backend_fetch, after this file has
#    made the backend request final; bereq.http.aws4-region (and
#    bereq.http.aws4-signer if the route set it) tell which signer to use:
#
#        sub aws4_lambda_signer {
#            if (bereq.http.aws4-region == "us-east-1") {
#                lambda_us_east_1.sign();
#            } elsif (bereq.http.aws4-region == "eu-west-1") {
#                lambda_eu_west_1.sign();
#            }
#        }
#
#    A request left unsigned is answered with a 503 naming the region.
#
# Order: this file adds code to vcl_recv, vcl_backend_fetch and
# vcl_backend_response at the place of the include. Your own vcl_recv code
# placed before the include runs first (ACLs, redirects); requests that the
# route claims end in `return (pass)` here, so vcl_recv code after the include
# only sees the other requests.
#
# ---------------------------------------------------------------------------
# Invoke API mode
# ---------------------------------------------------------------------------
#
# Whatever the client's method, the request to Lambda is
#   POST /2015-03-31/functions/<function, escaped>/invocations[?Qualifier=...]
# to lambda.<region>.amazonaws.com, with the client's body as the payload
# (an empty payload for a request without a body).
#
# The client's request is described to the function in its client context
# (header X-Amz-Client-Context: base64 of a JSON object; in the function:
# context.client_context.custom in Python, context.clientContext.Custom in
# Node.js, ...):
#
#   {"custom":{"method":"GET","path":"/api/orders","query":"id=7&x=%20",
#              "header.host":"www.example.com","header.user-agent":"curl/8.0",...}}
#
#   method, path    as the client sent them (path still %-encoded)
#   query           the raw query string, without "?" ("" if none)
#   header.<name>   these client headers, when present: host, content-type,
#                   accept, accept-language, user-agent, referer,
#                   x-forwarded-for (Varnish appends the client's address)
#
# Every value is a string, flat under "custom": the Java and .NET runtimes
# read the custom client context as a map of strings only (see
# aws/aws-lambda-java-libs#212). Cookies and Authorization are never put in
# it. Values are copied byte for byte with '\' '"' and TAB escaped; a
# header holding bytes that are not UTF-8 makes the context invalid JSON,
# which Lambda may refuse (400).
#
# Lambda takes at most 3583 bytes of encoded client context. When the
# headers make it longer they are left out, and "headers_dropped":"true" is
# added; when method, path and query alone are too long the client gets a
# 414 (URI Too Long).
#
# The response: a function's result is JSON, so a 200 gets
# "Content-Type: application/json". A function that failed (Lambda answers
# 200 with X-Amz-Function-Error) becomes a 502 with the error object as the
# body and "X-Lambda-Error-Type: Unhandled" (or "Handled"). An error from
# the Lambda service itself (403 for a refused signature, 404 for an
# unknown function, 429 throttling, 413, 5xx) keeps its status and JSON
# body and gets X-Lambda-Error-Type (e.g. "InvalidSignatureException").
# Lambda's internal x-amzn-* and X-Amz-* response headers are removed.
# Turning the function's JSON into a full HTTP response (status, headers,
# cookies, base64 bodies, as API Gateway does) is later work.
#
# ---------------------------------------------------------------------------
# Function URL mode
# ---------------------------------------------------------------------------
#
# Method, path, query and body are sent unchanged to the Function URL host;
# the function answers like a web server and its response is passed on as
# it is, apart from Lambda's x-amzn-* headers.
#
# ---------------------------------------------------------------------------
# What is removed before a request leaves Varnish
# ---------------------------------------------------------------------------
#
# The routing headers above (aws4-*), the client's Authorization,
# Proxy-Authorization and Cookie (see aws4-keep-cookie), and the client's
# X-Amz-* and X-Amzn-* headers, all of them (awsv4.strip_amz_headers()):
# otherwise a client could add, say, "X-Amz-Log-Type: Tail" (and read the
# function's logs) and this gateway would sign it.
#
# ---------------------------------------------------------------------------

import std;
import blob;

# Lambda's limit for the payload of a synchronous call: 6 MB (6291456 bytes).
# The number is also written out in aws4_lambda_recv (VCL has no constants).

sub vcl_recv {
	call aws4_lambda_recv;
}

sub vcl_backend_fetch {
	call aws4_lambda_sign_request;
}

sub vcl_backend_response {
	call aws4_lambda_response;
}

# --- Client side: map the URL, check and hash the body ---------------------

sub aws4_lambda_recv {
	# 1. Forget routing headers a client may have sent: only the route may
	#    set them.
	unset req.http.aws4-function;
	unset req.http.aws4-qualifier;
	unset req.http.aws4-function-url;
	unset req.http.aws4-region;
	unset req.http.aws4-signer;
	unset req.http.aws4-invocation-type;
	unset req.http.aws4-keep-cookie;
	unset req.http.aws4-arn-region;
	unset req.http.aws4-client-context;
	unset req.http.aws4-json;
	unset req.http.aws4-ctx;
	unset req.http.aws4-ctx-min;

	# 2. Ask the admin's mapping. Requests it does not claim are not ours.
	call aws4_lambda_route;
	if (!req.http.aws4-function && !req.http.aws4-function-url) {
		return;
	}

	# 3. Check the route and find the region.
	if (req.http.aws4-function && req.http.aws4-function-url) {
		std.log("aws4_lambda: aws4_lambda_route set both aws4-function and aws4-function-url");
		return (synth(500, "Lambda route misconfigured"));
	}
	if (req.http.aws4-function-url) {
		# The region is part of the host: <url-id>.lambda-url.<region>.on.aws
		set req.http.aws4-arn-region = awsv4.lambda_region(req.http.aws4-function-url);
		if (req.http.aws4-arn-region == "") {
			std.log("aws4_lambda: aws4-function-url is not <url-id>.lambda-url.<region>.on.aws: " + req.http.aws4-function-url);
			return (synth(500, "Lambda route misconfigured"));
		}
	} else {
		# A full ARN names its region; a plain name needs aws4-region.
		set req.http.aws4-arn-region = awsv4.lambda_region(req.http.aws4-function);
	}
	if (req.http.aws4-arn-region != "") {
		if (req.http.aws4-region && req.http.aws4-region != req.http.aws4-arn-region) {
			std.log("aws4_lambda: aws4-region " + req.http.aws4-region + " contradicts the function's region " + req.http.aws4-arn-region);
			return (synth(500, "Lambda route misconfigured"));
		}
		set req.http.aws4-region = req.http.aws4-arn-region;
	}
	unset req.http.aws4-arn-region;
	if (!req.http.aws4-region || req.http.aws4-region !~ "^[a-z0-9-]+$") {
		std.log("aws4_lambda: no valid aws4-region for this route (set it, or use a full ARN)");
		return (synth(500, "Lambda route misconfigured"));
	}

	# 4. The body. Lambda takes at most 6 MB. Varnish 7.1 would close the
	#    connection without an answer when std.cache_req_body() meets a
	#    larger body, so a too large Content-Length gets its 413 here first.
	#    (A chunked body has no length up front: above 6 MB its connection
	#    is closed.)
	if (std.integer(req.http.content-length, 0) > 6291456) {
		return (synth(413, "Payload Too Large"));
	}
	# Keep the body in memory: it is hashed now and sent after that.
	if (!std.cache_req_body(6MB)) {
		return (synth(413, "Payload Too Large"));
	}

	# 5. Remove what the client must not send to AWS.
	call aws4_lambda_clean_request;

	# 6. The SHA-256 of the body, which the signature covers (Lambda does
	#    not accept unsigned payloads). Computed here, from the cached
	#    body, never taken from the client; the signer reads it in
	#    vcl_backend_fetch from this header.
	set req.http.x-amz-content-sha256 = awsv4.hash_req_body();

	# 7. Invoke API: describe the client's request to the function.
	if (req.http.aws4-function) {
		call aws4_lambda_client_context;
	}

	# 8. Never cache: straight to the function.
	return (pass);
}

# The client headers that must not reach AWS. The X-Amz-* ones are those
# with a meaning to Lambda or to the signature.
sub aws4_lambda_clean_request {
	unset req.http.authorization;
	unset req.http.proxy-authorization;
	if (!req.http.aws4-keep-cookie) {
		unset req.http.cookie;
	}
	# Every X-Amz-* and X-Amzn-* header the client sent: .sign() signs
	# all x-amz-* headers, so only the ones set below may go out.
	awsv4.strip_amz_headers();
}

# Build req.http.aws4-client-context: base64 of
#   {"custom":{"method":"..","path":"..","query":"..","header.<name>":"..",...}}
# JSON is written piece by piece: each value goes through
# aws4_lambda_json_escape in req.http.aws4-json. ({"..."} is a VCL string
# that may hold '"'; {"""} is one '"'.)
sub aws4_lambda_client_context {
	set req.http.aws4-json = req.method;
	call aws4_lambda_json_escape;
	set req.http.aws4-ctx = {"{"custom":{"method":""} + req.http.aws4-json + {"""};

	set req.http.aws4-json = regsub(req.url, "\?.*$", "");
	call aws4_lambda_json_escape;
	set req.http.aws4-ctx = req.http.aws4-ctx + {","path":""} + req.http.aws4-json + {"""};

	if (req.url ~ "\?") {
		set req.http.aws4-json = regsub(req.url, "^[^?]*\?", "");
	} else {
		set req.http.aws4-json = "";
	}
	call aws4_lambda_json_escape;
	set req.http.aws4-ctx = req.http.aws4-ctx + {","query":""} + req.http.aws4-json + {"""};

	# Without headers, in case the whole is too long.
	set req.http.aws4-ctx-min = req.http.aws4-ctx;

	if (req.http.host) {
		set req.http.aws4-json = req.http.host;
		call aws4_lambda_json_escape;
		set req.http.aws4-ctx = req.http.aws4-ctx + {","header.host":""} + req.http.aws4-json + {"""};
	}
	if (req.http.content-type) {
		set req.http.aws4-json = req.http.content-type;
		call aws4_lambda_json_escape;
		set req.http.aws4-ctx = req.http.aws4-ctx + {","header.content-type":""} + req.http.aws4-json + {"""};
	}
	if (req.http.accept) {
		set req.http.aws4-json = req.http.accept;
		call aws4_lambda_json_escape;
		set req.http.aws4-ctx = req.http.aws4-ctx + {","header.accept":""} + req.http.aws4-json + {"""};
	}
	if (req.http.accept-language) {
		set req.http.aws4-json = req.http.accept-language;
		call aws4_lambda_json_escape;
		set req.http.aws4-ctx = req.http.aws4-ctx + {","header.accept-language":""} + req.http.aws4-json + {"""};
	}
	if (req.http.user-agent) {
		set req.http.aws4-json = req.http.user-agent;
		call aws4_lambda_json_escape;
		set req.http.aws4-ctx = req.http.aws4-ctx + {","header.user-agent":""} + req.http.aws4-json + {"""};
	}
	if (req.http.referer) {
		set req.http.aws4-json = req.http.referer;
		call aws4_lambda_json_escape;
		set req.http.aws4-ctx = req.http.aws4-ctx + {","header.referer":""} + req.http.aws4-json + {"""};
	}
	if (req.http.x-forwarded-for) {
		set req.http.aws4-json = req.http.x-forwarded-for;
		call aws4_lambda_json_escape;
		set req.http.aws4-ctx = req.http.aws4-ctx + {","header.x-forwarded-for":""} + req.http.aws4-json + {"""};
	}

	set req.http.aws4-client-context = blob.encode(BASE64,
	    blob = blob.decode(IDENTITY, encoded = req.http.aws4-ctx + "}}"));
	# Lambda's limit: 3583 bytes, encoded.
	if (req.http.aws4-client-context ~ "^.{3584}") {
		set req.http.aws4-client-context = blob.encode(BASE64,
		    blob = blob.decode(IDENTITY, encoded = req.http.aws4-ctx-min +
		    {","headers_dropped":"true"} + {"""} + "}}"));
		if (req.http.aws4-client-context ~ "^.{3584}") {
			return (synth(414, "URI Too Long"));
		}
	}
	unset req.http.aws4-json;
	unset req.http.aws4-ctx;
	unset req.http.aws4-ctx-min;
}

# Escape req.http.aws4-json for use inside a JSON string: '\' -> '\\',
# '"' -> '\"', TAB -> '\t' (the only control character a header may hold).
# In regsuball's replacement a '\' escapes the next character.
sub aws4_lambda_json_escape {
	set req.http.aws4-json = regsuball(req.http.aws4-json, {"\\"}, {"\\\\"});
	set req.http.aws4-json = regsuball(req.http.aws4-json, {"""}, {"\\""});
	set req.http.aws4-json = regsuball(req.http.aws4-json, "\t", {"\\t"});
}

# --- Backend side: build the AWS request and sign it -----------------------

# The seed's name (Vladimir Vuksan's lambda.vcl, 2016), now with the
# signature computed by the VMOD: no key ever passes through VCL.
sub aws4_lambda_sign_request {
	if (!bereq.http.aws4-function && !bereq.http.aws4-function-url) {
		return;
	}

	if (bereq.http.aws4-function) {
		# Invoke API: always POST to the function's invocations path; the
		# client's method, path and query travel in the client context.
		set bereq.method = "POST";
		set bereq.url = awsv4.lambda_invoke_url(bereq.http.aws4-function,
		    bereq.http.aws4-qualifier);
		set bereq.http.host = "lambda." + bereq.http.aws4-region + ".amazonaws.com";
		set bereq.http.x-amz-client-context = bereq.http.aws4-client-context;
		if (bereq.http.aws4-invocation-type) {
			set bereq.http.x-amz-invocation-type = bereq.http.aws4-invocation-type;
		}
		# The payload's type means nothing to the Invoke API; the
		# function finds the client's in the client context.
		unset bereq.http.content-type;
		# A request without a body (GET, HEAD...) becomes a POST with an
		# empty payload, which must say so: HTTP front ends may answer
		# 411 Length Required to a POST without a length. (A body cached
		# in vcl_recv already has its Content-Length.)
		if (!bereq.http.content-length && !bereq.http.transfer-encoding) {
			set bereq.http.content-length = "0";
		}
	} else {
		# Function URL: method, path and query stay as the client sent
		# them; only the host changes.
		set bereq.http.host = bereq.http.aws4-function-url;
	}

	# The admin picks the signer (credentials and region) and signs: the
	# signature covers method, path, query, host, content-type, every
	# x-amz-* header and the body's hash; it adds Authorization,
	# X-Amz-Date, X-Amz-Security-Token and X-Amz-Content-Sha256.
	call aws4_lambda_signer;
	if (!bereq.http.authorization) {
		std.log("aws4_lambda: aws4_lambda_signer signed nothing for region " + bereq.http.aws4-region + " (signer " + bereq.http.aws4-signer + ")");
		return (error(503, "No Lambda signer for this region"));
	}

	# The routing headers are for Varnish only. They are not signed, so
	# removing them now leaves the signature intact.
	unset bereq.http.aws4-function;
	unset bereq.http.aws4-qualifier;
	unset bereq.http.aws4-function-url;
	unset bereq.http.aws4-region;
	unset bereq.http.aws4-signer;
	unset bereq.http.aws4-invocation-type;
	unset bereq.http.aws4-keep-cookie;
	unset bereq.http.aws4-client-context;
}

# --- Backend side: the response --------------------------------------------

sub aws4_lambda_response {
	if (bereq.http.host ~ "^lambda\.[a-z0-9-]+\.amazonaws\.com$") {
		# Invoke API.
		if (beresp.http.x-amz-function-error) {
			# The function ran and failed: its error object is the body.
			set beresp.http.x-lambda-error-type = beresp.http.x-amz-function-error;
			set beresp.status = 502;
			set beresp.reason = "Lambda Function Error";
			set beresp.http.content-type = "application/json";
		} elsif (beresp.status == 200) {
			# A function's result is JSON.
			set beresp.http.content-type = "application/json";
		}
	} elsif (bereq.http.host !~ "\.lambda-url\.[a-z0-9-]+\.on\.aws$") {
		return;
	}
	# Lambda service errors name their type in x-amzn-ErrorType, sometimes
	# followed by ":<url>".
	if (beresp.status >= 400 && beresp.http.x-amzn-errortype) {
		set beresp.http.x-lambda-error-type = regsub(beresp.http.x-amzn-errortype, ":.*$", "");
	}
	# Lambda's internal headers are not for the client.
	unset beresp.http.x-amzn-errortype;
	unset beresp.http.x-amzn-requestid;
	unset beresp.http.x-amzn-trace-id;
	unset beresp.http.x-amzn-remapped-content-length;
	unset beresp.http.x-amzn-remapped-connection;
	unset beresp.http.x-amzn-remapped-date;
	unset beresp.http.x-amzn-remapped-server;
	unset beresp.http.x-amz-executed-version;
	unset beresp.http.x-amz-function-error;
	unset beresp.http.x-amz-log-result;
	unset beresp.http.x-amz-apigw-id;
}
