#
# demo.vcl - the VCL of `make demo` and of the end-to-end test
# (scripts/demo.sh, scripts/e2e.sh): Lambda functions and an S3 bucket behind
# Varnish, every request to "AWS" signed by the awsv4 VMOD.
#
# Here "AWS" is the local verifying endpoint (examples/endpoint) on a
# loopback port: it answers like Lambda and S3 and checks every signature
# with aws-sdk-go-v2. In production the backend would be a TLS onloader in
# front of the real AWS (see vcl/aws4_lambda.vcl); nothing else changes,
# since the signature always covers the AWS host name.
#
# Credentials: no key in this file. The signers read the profiles "demo"
# and "wrong-secret" of the shared credentials file named by
# AWS_SHARED_CREDENTIALS_FILE in varnishd's environment (the scripts write
# it at run time, with the AWS documentation's example keys). The file is
# re-read every few seconds: a rotated key is used without a restart.
#
# Files: demo-backend.vcl (written by the scripts: the endpoint's port) and
# the libraries aws4_lambda.vcl and aws4_s3.vcl are found via varnishd's
# vcl_path; the awsv4 VMOD via vmod_path.
#

vcl 4.1;

import std;
import awsv4;

# backend aws_endpoint { .host = "127.0.0.1"; .port = "<port>"; }
include "demo-backend.vcl";

sub vcl_init {
	new lambda_us_east_1 = awsv4.signer("us-east-1", "lambda",
	    credentials = "profile:demo");
	new s3_us_east_1 = awsv4.signer("us-east-1", "s3", s3 = true,
	    credentials = "profile:demo");
	# The same access key id with a wrong secret: AWS must refuse it.
	new lambda_wrong_secret = awsv4.signer("us-east-1", "lambda",
	    credentials = "profile:wrong-secret");
}

# Which URL goes to which function or bucket.
sub aws4_lambda_route {
	if (req.url ~ "^/api/") {
		# Invoke API: function "items-api", alias "live".
		set req.http.aws4-function = "items-api";
		set req.http.aws4-qualifier = "live";
		set req.http.aws4-region = "us-east-1";
	} elsif (req.url ~ "^/arn/") {
		# Invoke API by full ARN: the region comes from the ARN.
		set req.http.aws4-function = "arn:aws:lambda:us-east-1:123456789012:function:echo";
	} elsif (req.url ~ "^/fail/") {
		# A function that throws: the client gets a 502.
		set req.http.aws4-function = "fail";
		set req.http.aws4-region = "us-east-1";
	} elsif (req.url ~ "^/async/") {
		# Fire and forget: Lambda answers 202 at once.
		set req.http.aws4-function = "items-api";
		set req.http.aws4-region = "us-east-1";
		set req.http.aws4-invocation-type = "Event";
	} elsif (req.url ~ "^/wrong-secret/") {
		# Signed with a wrong secret, on purpose.
		set req.http.aws4-function = "items-api";
		set req.http.aws4-region = "us-east-1";
		set req.http.aws4-signer = "wrong-secret";
	} elsif (req.url ~ "^/app/") {
		# A Function URL: method, path and query pass through unchanged.
		set req.http.aws4-function-url = "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws";
	}
}

# Which signer signs which request.
sub aws4_lambda_signer {
	if (bereq.http.aws4-signer == "wrong-secret") {
		lambda_wrong_secret.sign();
	} elsif (bereq.http.aws4-region == "us-east-1") {
		lambda_us_east_1.sign();
	}
}

sub aws4_s3_route {
	if (req.url ~ "^/static/") {
		# /static/<key> -> object <key> of the private bucket demo-bucket.
		set req.http.aws4-s3-bucket = "demo-bucket";
		set req.http.aws4-region = "us-east-1";
		set req.http.aws4-s3-path = regsub(req.url, "^/static(/[^?]*).*$", "\1");
	} elsif (req.url ~ "^/dotted/") {
		# A bucket with dots in its name: addressed path-style.
		set req.http.aws4-s3-bucket = "demo.dotted.bucket";
		set req.http.aws4-region = "us-east-1";
		set req.http.aws4-s3-path = regsub(req.url, "^/dotted(/[^?]*).*$", "\1");
	}
}

sub aws4_s3_signer {
	if (bereq.http.aws4-region == "us-east-1") {
		s3_us_east_1.sign();
	}
}

include "aws4_lambda.vcl";
include "aws4_s3.vcl";

sub vcl_recv {
	if (req.url ~ "^/download/" && req.method == "GET") {
		# /download/<key>: a redirect to a presigned URL for the object
		# <key> of demo-bucket, which the client then fetches from S3.
		return (synth(302, "Found"));
	}
	if (req.url == "/_demo/gomaxprocs") {
		# How many Go scheduler slots the VMOD runs with.
		return (synth(200, "GOMAXPROCS"));
	}
	# Not for Lambda or S3.
	return (synth(404, "Not Found"));
}

sub vcl_synth {
	if (resp.status == 302 && req.url ~ "^/download/") {
		set resp.http.location = "https://demo-bucket.s3.us-east-1.amazonaws.com" +
		    s3_us_east_1.presign("GET", regsub(req.url, "^/download(/[^?]*).*$", "\1"),
		    "demo-bucket.s3.us-east-1.amazonaws.com");
		return (deliver);
	}
	if (req.url == "/_demo/gomaxprocs") {
		set resp.http.x-gomaxprocs = awsv4.max_procs();
	}
}

sub vcl_deliver {
	# For the demo's output: was it a cache hit?
	if (obj.hits > 0) {
		set resp.http.x-cache = "HIT";
	} else {
		set resp.http.x-cache = "MISS";
	}
}
