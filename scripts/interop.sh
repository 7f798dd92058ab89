#!/bin/bash
# interop.sh - signatures checked by a server we did not write (`make test`,
# step interop): versitygw, an S3 gateway with its own SigV4 verifier (not
# the AWS SDK's), built from the Go module proxy at a pinned version into
# build/peers/bin on first use (a minute or two; VERSITYGW=/path skips it).
#
#   1. the Go signer (sigv4/interop_test.go, -tags interop): PUT, GET and
#      HEAD of keys with space, +, @, ~, %, = ( ) * ! ' ; : , & $ and UTF-8,
#      real payload hashes and UNSIGNED-PAYLOAD, odd header values, list
#      queries (unsorted, empty value, '+' vs %2B, UTF-8), a presigned GET,
#      and the server's refusals (wrong secret, tampered presigned URL,
#      a payload hash that is not the body's);
#   2. varnishd with the VMOD and aws4_s3.vcl (examples/varnish/demo.vcl)
#      in front of it: objects under several URL spellings, virtual-host
#      and path-style buckets, served only if versitygw accepted the
#      signature; and URLs presigned by the VMOD (demo.vcl's /download/),
#      fetched from versitygw without credentials.
# Exits non-zero with a message for each failure. Run as root.
set -uo pipefail
vc_name=interop
# shellcheck source=scripts/varnish-common.sh
. "$(dirname "$0")/varnish-common.sh"
VERSITYGW_MODULE=github.com/versity/versitygw/cmd/versitygw@v1.8.0

fails=0
pass() { echo "ok   $*"; }
fail() {
	echo "FAIL $*"
	fails=$((fails + 1))
}

set -e
vc_build
vc_stage
vc_write_credentials "$VC_AKID1" "$VC_SECRET1"

vgw=${VERSITYGW:-$vc_top/build/peers/bin/versitygw}
if [ ! -x "$vgw" ]; then
	vc_log "building versitygw ($VERSITYGW_MODULE) into build/peers/bin, once"
	(cd "$vc_top" && GOBIN="$vc_top/build/peers/bin" go install "$VERSITYGW_MODULE") ||
		vc_die "could not build versitygw"
	vgw=$vc_top/build/peers/bin/versitygw
fi

# The buckets (directories of the posix backend) and the objects Varnish
# fetches; metadata in a sidecar directory (no xattrs needed).
data=$vc_run/vgw-data
mkdir -p "$data/interop-bucket" "$data/demo-bucket/keys/café" "$data/demo.dotted.bucket" "$vc_run/vgw-meta"
for k in 'a b.txt' 'a+b.txt' 'user@example.com.txt' '~tilde.txt' '100%.txt' \
	'café/naïve ü.txt' "eq=(1)*!'.txt" 'semi;colon:comma,amp&dollar$.txt'; do
	printf 'object %s\n' "$k" >"$data/demo-bucket/keys/$k"
done
printf 'dotted\n' >"$data/demo.dotted.bucket/x.txt"

port=$(vc_free_port)
"$vgw" --access "$VC_AKID1" --secret "$VC_SECRET1" --port "127.0.0.1:$port" \
	--health /healthz --quiet --virtual-domain s3.us-east-1.amazonaws.com \
	posix --sidecar "$vc_run/vgw-meta" "$data" >"$vc_run/log/versitygw.log" 2>&1 &
vc_pids+=($!)
vc_wait_health versitygw "http://127.0.0.1:$port/healthz" "$vc_run/log/versitygw.log"
echo "interop: versitygw ${VERSITYGW:-$VERSITYGW_MODULE} on 127.0.0.1:$port, varnishd run dir $vc_run"
set +e

# --- 1. the Go signer ------------------------------------------------------------
if (cd "$vc_top" && AWSV4_INTEROP_S3="http://127.0.0.1:$port" AWSV4_INTEROP_BUCKET=interop-bucket \
	AWSV4_INTEROP_AKID="$VC_AKID1" AWSV4_INTEROP_SECRET="$VC_SECRET1" \
	go test -tags interop -count=1 -run Interop -v ./sigv4/ >"$vc_run/log/go-interop.log" 2>&1); then
	pass "Go signer: $(grep -c '^--- PASS' "$vc_run/log/go-interop.log") interop tests accepted by versitygw"
else
	grep -E '^(--- FAIL|\s+interop_test)' "$vc_run/log/go-interop.log" | cut -c1-400
	fail "Go signer against versitygw (log: $vc_run/log/go-interop.log)"
fi

# --- 2. Varnish with the VMOD ----------------------------------------------------
vc_write_backend "$port"
vc_start_varnish demo.vcl
v=http://127.0.0.1:$vc_vport

# fetch URL-PATH FILE: the object arrives through Varnish, byte for byte.
fetch() {
	local code
	code=$(curl -sg --path-as-is -o "$vc_run/got" -w '%{http_code}' "$v$1")
	if [ "$code" = 200 ] && cmp -s "$vc_run/got" "$2"; then
		pass "varnish GET $1"
	else
		fail "varnish GET $1: status $code, $(head -c 300 "$vc_run/got" 2>/dev/null)"
	fi
}
k=$data/demo-bucket/keys
fetch '/static/keys/a%20b.txt' "$k/a b.txt"
fetch '/static/keys/a+b.txt' "$k/a+b.txt"
fetch '/static/keys/a%2Bb.txt' "$k/a+b.txt"
fetch '/static/keys/user@example.com.txt' "$k/user@example.com.txt"
fetch '/static/keys/user%40example.com.txt' "$k/user@example.com.txt"
fetch '/static/keys/~tilde.txt' "$k/~tilde.txt"
fetch '/static/keys/%7etilde.txt' "$k/~tilde.txt"
fetch '/static/keys/100%25.txt' "$k/100%.txt"
fetch '/static/keys/caf%C3%A9/na%C3%AFve%20%C3%BC.txt' "$k/café/naïve ü.txt"
fetch "/static/keys/eq=(1)*!'.txt" "$k/eq=(1)*!'.txt"
fetch '/static/keys/eq%3D%281%29%2A%21%27.txt' "$k/eq=(1)*!'.txt"
fetch '/static/keys/semi;colon:comma,amp&dollar$.txt' "$k/semi;colon:comma,amp&dollar\$.txt"
fetch '/static/keys/semi%3Bcolon%3Acomma%2Camp%26dollar%24.txt' "$k/semi;colon:comma,amp&dollar\$.txt"
fetch '/dotted/x.txt' "$data/demo.dotted.bucket/x.txt"

# presigned URL-PATH FILE: /download<URL-PATH> redirects to a URL presigned
# by the VMOD (.presign()); used without credentials, it gives the object.
presigned() {
	local loc code
	loc=$(curl -sg --path-as-is -o /dev/null -w '%{redirect_url}' "$v/download$1")
	code=$(curl -sg --path-as-is -o "$vc_run/got" -w '%{http_code}' \
		-H 'Host: demo-bucket.s3.us-east-1.amazonaws.com' \
		"http://127.0.0.1:$port${loc#https://demo-bucket.s3.us-east-1.amazonaws.com}")
	if [ "$code" = 200 ] && cmp -s "$vc_run/got" "$2"; then
		pass "presigned by varnish, GET without credentials: $1"
	else
		fail "presigned $1: status $code for ${loc:-no redirect}: $(head -c 300 "$vc_run/got" 2>/dev/null)"
	fi
}
presigned '/keys/a%20b.txt' "$k/a b.txt"
presigned '/keys/a+b.txt' "$k/a+b.txt"
presigned '/keys/caf%C3%A9/na%C3%AFve%20%C3%BC.txt' "$k/café/naïve ü.txt"
presigned "/keys/eq=(1)*!'.txt" "$k/eq=(1)*!'.txt"
presigned '/keys/semi;colon:comma,amp&dollar$.txt' "$k/semi;colon:comma,amp&dollar\$.txt"

code=$(curl -s -o /dev/null -w '%{http_code}' "$v/static/keys/missing.txt")
if [ "$code" = 404 ]; then pass "varnish GET of a missing key: 404 (signature accepted)"; else fail "missing key: $code, want 404"; fi

echo "interop: $fails failed"
[ "$fails" = 0 ]
