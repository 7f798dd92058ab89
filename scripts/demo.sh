#!/bin/bash
# demo.sh - `make demo`: Varnish signing requests to AWS, end to end, on this
# machine.
#
# It builds libawsv4, the VMOD and the local verifying endpoint, starts the
# endpoint (it answers like Lambda and S3 and checks every signature with
# aws-sdk-go-v2) and a varnishd running examples/varnish/demo.vcl (which
# includes vcl/aws4_lambda.vcl and vcl/aws4_s3.vcl), on free loopback ports;
# sends a few requests through Varnish; prints what the endpoint said about
# each signature; and stops everything it started.
#
# Credentials: the AWS documentation's example keys, in a shared credentials
# file written at run time (build/demo/aws-credentials); never in VCL.
#
# Run as root (varnishd starts its jail from root). `make demo` first installs
# the Debian packages that are missing (scripts/deps.sh).
set -euo pipefail
vc_name=demo
# shellcheck source=scripts/varnish-common.sh
. "$(dirname "$0")/varnish-common.sh"

vc_build
vc_stage
vc_write_credentials "$VC_AKID1" "$VC_SECRET1"

# An object with a key that needs escaping, in the private bucket.
mkdir -p "$vc_run/s3/demo-bucket/photos"
head -c 48213 /dev/urandom >"$vc_run/s3/demo-bucket/photos/2024 summer (1).jpg"
# The 1 MB body: random bytes, NULs included.
head -c 1048576 /dev/urandom >"$vc_run/body-1m"

vc_start_endpoint -log
vc_start_varnish demo.vcl
echo "endpoint (verifying AWS stand-in): 127.0.0.1:$vc_eport    varnishd: 127.0.0.1:$vc_vport"
echo "Go scheduler slots in the varnishd child: GOMAXPROCS=$(curl -s -o /dev/null -w '%header{x-gomaxprocs}' "$(vc_url /_demo/gomaxprocs)") (the VMOD's default: 4 x $(nproc) CPUs)"
echo

failures=0
acc() { vc_endpoint_stats 's["accepted"]'; }
rej() { vc_endpoint_stats 's["rejected"]'; }
verdict() {
	if [ "$dacc" = 1 ] && [ "$drej" = 0 ]; then
		echo "signature verified by endpoint"
	elif [ "$drej" = 1 ]; then
		echo "signature REJECTED by endpoint"
	else
		echo "endpoint not contacted"
	fi
}
ok() { echo "  $*"; }
bad() {
	echo "  $*   <-- UNEXPECTED"
	failures=$((failures + 1))
}

# 1. Invoke API, GET with query args.
vc_send "$(vc_url '/api/items?color=red&size=9')"
cc=$(vc_json '"method=%s path=%s query=%s" % tuple(j["client_context"]["custom"].get(k) for k in ("method", "path", "query"))')
line="GET /api/items?color=red&size=9 -> $code $(verdict) (Invoke API, function items-api:live, Content-Type $(vc_hdr content-type); the function saw $cc)"
[ "$code" = 200 ] && [ "$dacc" = 1 ] && [ "$cc" = "method=GET path=/api/items query=color=red&size=9" ] && ok "$line" || bad "$line"

# 2. Invoke API, POST with a 1 MB body.
vc_send -X POST --data-binary @"$vc_run/body-1m" -H 'Content-Type: application/octet-stream' "$(vc_url /api/items)"
line="POST /api/items (1 MiB body, NUL bytes included) -> $code $(verdict) (payload SHA-256 computed by the VMOD, checked by the endpoint)"
[ "$code" = 200 ] && [ "$dacc" = 1 ] && ok "$line" || bad "$line"

# 3. Function URL: method, path and query unchanged.
vc_send -X PUT --data '{"name":"varnish"}' -H 'Content-Type: application/json' "$(vc_url '/app/hello?lang=en&q=a%20b')"
seen=$(vc_json '"%s %s?%s" % (j["method"], j["rawPath"], j["rawQueryString"])')
line="PUT /app/hello?lang=en&q=a%20b -> $code $(verdict) (Function URL; the function saw: $seen)"
[ "$code" = 200 ] && [ "$dacc" = 1 ] && [ "$seen" = "PUT /app/hello?lang=en&q=a%20b" ] && ok "$line" || bad "$line"

# 4. S3: a private object whose key needs escaping; the second GET is a hit.
key='photos/2024 summer (1).jpg'
vc_send "$(vc_url '/static/photos/2024%20summer%20(1).jpg')"
same=no
cmp -s "$vc_run/resp.body" "$vc_run/s3/demo-bucket/$key" && same=yes
line="GET /static/photos/2024%20summer%20(1).jpg -> $code $(verdict) (S3 bucket demo-bucket, key '$key', $(stat -c %s "$vc_run/resp.body") bytes, identical: $same)"
[ "$code" = 200 ] && [ "$dacc" = 1 ] && [ "$same" = yes ] && ok "$line" || bad "$line"
vc_send "$(vc_url '/static/photos/2024%20summer%20%281%29.jpg')"
line="GET /static/photos/2024%20summer%20%281%29.jpg -> $code from the cache ($(vc_hdr x-cache)), endpoint not contacted: $([ "$dacc$drej" = 00 ] && echo yes || echo no)"
[ "$code" = 200 ] && [ "$(vc_hdr x-cache)" = HIT ] && [ "$dacc$drej" = 00 ] && ok "$line" || bad "$line"

# 5. A function that fails: 502 for the client.
vc_send "$(vc_url /fail/now)"
line="GET /fail/now -> $code $(verdict) (function error: X-Lambda-Error-Type $(vc_hdr x-lambda-error-type))"
[ "$code" = 502 ] && [ "$dacc" = 1 ] && [ "$(vc_hdr x-lambda-error-type)" = Unhandled ] && ok "$line" || bad "$line"

# 6. A deliberately wrong secret: AWS (the endpoint) must refuse it.
vc_send "$(vc_url /wrong-secret/items)"
etype=$(vc_hdr x-lambda-error-type)
if [ "$code" = 403 ] && [ "$drej" = 1 ] && [ "$dacc" = 0 ]; then
	ok "wrong secret -> $code $etype (rejected as expected)"
else
	bad "wrong secret -> $code $etype ($(verdict))"
fi

# 7. A presigned URL: Varnish answers with a redirect, and the client fetches
#    the object from S3 itself, without credentials.
vc_send "$(vc_url '/download/photos/2024%20summer%20(1).jpg')"
rcode=$code
loc=$(vc_hdr location)
vc_send -H 'Host: demo-bucket.s3.us-east-1.amazonaws.com' \
	"http://127.0.0.1:$vc_eport${loc#https://demo-bucket.s3.us-east-1.amazonaws.com}"
same=no
cmp -s "$vc_run/resp.body" "$vc_run/s3/demo-bucket/$key" && same=yes
line="GET /download/photos/2024%20summer%20(1).jpg -> $rcode to a presigned URL (${loc%%\?*}?X-Amz-...); fetched from \"S3\" directly -> $code $(verdict), identical: $same"
[ "$rcode" = 302 ] && [ "$code" = 200 ] && [ "$dacc" = 1 ] && [ "$same" = yes ] && ok "$line" || bad "$line"

echo
echo "endpoint totals: accepted $(acc), rejected $(rej) $(vc_endpoint_stats 'json.dumps(s["by_reason"])')"
echo "varnishd: child restarts $(vc_stat MGT.child_died), panics $(vc_stat MGT.child_panic), uptime $(vc_stat MAIN.uptime) s"
echo "logs: $(vc_logdir)/ (endpoint.log has one line per request with its verdict)"
if [ "$failures" != 0 ]; then
	echo "demo: $failures unexpected outcome(s)" >&2
	exit 1
fi
echo "demo: every outcome as expected; stopping varnishd and the endpoint"
