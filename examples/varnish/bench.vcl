#
# bench.vcl - the VCL of scripts/varnish-bench.sh: one varnishd, one VCL,
# signed and unsigned passes chosen per request by the URL, so that both are
# measured in the same process, alternately.
#
#   /plain/...         pass: body cached, sent to the backend unsigned
#   /signed/...        pass: body cached, hashed in vcl_recv, signed in
#                      vcl_backend_fetch (a Lambda Invoke-style signature)
#   /synth-plain/...   as /plain/, but answered by vcl_backend_error: no
#   /synth-signed/...  backend I/O, only Varnish's and the VMOD's own work
#
# The backend is the endpoint's /__awsv4/sink: it reads the body and
# answers "ok" without verifying anything, so that signed and unsigned
# requests cost the backend the same. std.timestamp() marks the body
# hashing in the log (Timestamp awsv4-body-hashed: <abs> <since start>
# <since the previous mark>), for the hashing rate.
#
# Credentials: profile "demo" of AWS_SHARED_CREDENTIALS_FILE; no key here.
#

vcl 4.1;

import std;
import awsv4;

include "demo-backend.vcl";

sub vcl_init {
	new lambda = awsv4.signer("us-east-1", "lambda", credentials = "profile:demo");
}

sub vcl_recv {
	if (req.url == "/_bench/gomaxprocs") {
		return (synth(200, "GOMAXPROCS"));
	}
	if (req.url !~ "^/(synth-)?(plain|signed)/") {
		return (synth(404));
	}
	unset req.http.x-bench-sign;
	unset req.http.x-bench-synth;
	unset req.http.x-amz-content-sha256;
	# Both kinds keep the body in memory (a Lambda gateway must).
	if (!std.cache_req_body(6MB)) {
		return (synth(413));
	}
	std.timestamp("awsv4-body-cached");
	if (req.url ~ "^/(synth-)?signed/") {
		set req.http.x-amz-content-sha256 = awsv4.hash_req_body();
		std.timestamp("awsv4-body-hashed");
		set req.http.x-bench-sign = "1";
	}
	if (req.url ~ "^/synth-") {
		set req.http.x-bench-synth = "1";
	}
	return (pass);
}

sub vcl_backend_fetch {
	# The same request for both kinds; signing is the only difference.
	set bereq.http.host = "lambda.us-east-1.amazonaws.com";
	set bereq.url = "/__awsv4/sink";
	if (bereq.http.x-bench-sign) {
		unset bereq.http.x-bench-sign;
		lambda.sign();
	}
	if (bereq.http.x-bench-synth) {
		return (error(200, "OK"));
	}
}

sub vcl_backend_error {
	if (bereq.http.x-bench-synth) {
		set beresp.status = 200;
		set beresp.http.content-type = "text/plain";
		synthetic("ok" + {"
"});
		return (deliver);
	}
}

sub vcl_synth {
	if (req.url == "/_bench/gomaxprocs") {
		set resp.http.x-gomaxprocs = awsv4.max_procs();
	}
}
