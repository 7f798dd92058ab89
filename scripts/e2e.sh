#!/bin/bash
# e2e.sh - the end-to-end test (`make test`, step e2e): a real varnishd with
# the awsv4 VMOD and the VCL library (examples/varnish/demo.vcl, which
# includes vcl/aws4_lambda.vcl and vcl/aws4_s3.vcl) in front of the local
# verifying endpoint, which checks every signature with aws-sdk-go-v2.
#
# What it asserts, through the endpoint's /__awsv4/stats (verdicts in total,
# by reason and by access key id) and the responses:
#   1. each kind of request the demo sends is accepted (or, with the wrong
#      secret, rejected); Lambda's internal headers are stripped; client
#      Authorization, Cookie, X-Amz-* and aws4-* headers never reach AWS;
#   2. bodies of 0 B, 3 KB, 1 MB and 6 MB (random, NUL bytes included), with
#      Content-Length and chunked, are signed, accepted and arrive intact;
#      above 6 MB: 413 (Content-Length) or a closed connection (chunked);
#   3. S3 keys with space, +, @, ~, %, =, ( ) * ! ' ; : , & $ and UTF-8
#      (several spellings of the same key hit the same cached object), a
#      dotted bucket (path style), HEAD, 404, 405;
#   4. the credentials file rotated while varnishd runs: after the signer's
#      re-check interval (about 5 s) the new access key id is used (per-key
#      stats), without a restart;
#   5. LOAD_SECONDS (default 65, at least 60) of concurrent wrk load -c20:
#      POSTs of 100 KiB (body hashing + signing), signed GETs, Function URL
#      POSTs and cache hits; MGT.child_panic and MGT.child_died stay 0,
#      MGT.child_start stays 1, MAIN.uptime never goes back, the endpoint
#      rejects nothing and every response is a 2xx;
#   6. no secret appears in the shared-memory log (varnishlog).
# Exits non-zero with a message for each failure. Run as root.
set -uo pipefail
vc_name=e2e
# shellcheck source=scripts/varnish-common.sh
. "$(dirname "$0")/varnish-common.sh"
LOAD_SECONDS=${LOAD_SECONDS:-65}
[ "$LOAD_SECONDS" -ge 60 ] || vc_die "LOAD_SECONDS must be at least 60 (ARCHITECTURE §4.1 rule 1)"

fails=0
pass() { echo "ok   $*"; }
fail() {
	echo "FAIL $*"
	fails=$((fails + 1))
}
check() { # check DESCRIPTION CONDITION...: pass or fail on the condition
	local d=$1
	shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}
is() { [ "$1" = "$2" ]; }
# accepted SUFFIX: the last request was signed and accepted exactly once.
accepted() { [ "$dacc" = 1 ] && [ "$drej" = 0 ]; }
untouched() { [ "$dacc" = 0 ] && [ "$drej" = 0 ]; }

set -e
vc_build
vc_stage
vc_write_credentials "$VC_AKID1" "$VC_SECRET1"
command -v wrk >/dev/null || vc_die "wrk is missing (run 'make deps')"

# --- fixtures -----------------------------------------------------------------
b=$vc_run/bodies
mkdir -p "$b"
: >"$b/0"
{ printf 'a\000b\000'; head -c 2996 /dev/urandom; } >"$b/3k"
{ printf '\000\000'; head -c 1048574 /dev/urandom; } >"$b/1m"
{ printf '\000\000'; head -c 6291454 /dev/urandom; } >"$b/6m"
{ cat "$b/6m"; printf 'x'; } >"$b/6m+1"

s3=$vc_run/s3/demo-bucket/keys
mkdir -p "$s3" "$vc_run/s3/demo.dotted.bucket" "$s3/café"
# file name -> URL spellings that must all reach it (see the S3 checks)
for k in 'a b.txt' 'a+b.txt' 'user@example.com.txt' '~tilde.txt' '100%.txt' \
	'café/naïve ü.txt' "eq=(1)*!'.txt" 'semi;colon:comma,amp&dollar$.txt'; do
	printf 'object %s\n' "$k" >"$s3/$k"
done
printf 'dotted\n' >"$vc_run/s3/demo.dotted.bucket/x.txt"
set +e

vc_start_endpoint -log
vc_start_varnish demo.vcl
echo "e2e: endpoint 127.0.0.1:$vc_eport, varnishd 127.0.0.1:$vc_vport, run dir $vc_run"
start0=$(vc_stat MGT.child_start)
check "varnishd child running as vcache" \
	test "$(ps -o user= -p "$(pgrep -P "${vc_pids[-1]}" -x cache-main 2>/dev/null || pgrep -P "${vc_pids[-1]}" | head -1)" 2>/dev/null | tr -d ' ')" = vcache

# --- 1. the demo's requests ------------------------------------------------------
echo "== requests of every kind"
vc_send -H 'Cookie: session=secret-cookie' -H 'Authorization: Basic Zm9vOmJhcg==' \
	-H 'X-Amz-Log-Type: Tail' -H 'aws4-function: evil' -H 'User-Agent: e2e "quoted" \agent' \
	"$(vc_url '/api/items?color=red&size=9')"
check "GET /api/items?color=red&size=9 -> 200, signature accepted" accepted
check "  status 200 (got $code)" is "$code" 200
check "  Content-Type application/json" is "$(vc_hdr content-type)" application/json
check "  no x-amzn-*/x-amz-* response headers" test -z "$(printf '%s\n' "$hdrs" | grep -i '^x-amz')"
check "  function items-api, qualifier live" is "$(vc_json 'j["function"] + ":" + j["qualifier"]')" "items-api:live"
check "  client context: method, path, query" is "$(vc_json '"|".join(j["client_context"]["custom"][k] for k in ("method", "path", "query"))')" \
	"GET|/api/items|color=red&size=9"
check "  client context: user-agent with quote and backslash escaped" \
	is "$(vc_json 'j["client_context"]["custom"]["header.user-agent"]')" 'e2e "quoted" \agent'
check "  client context: no cookie, no authorization" \
	is "$(vc_json '[k for k in j["client_context"]["custom"] if "cookie" in k or "authorization" in k]')" "[]"

vc_send -I "$(vc_url '/api/items?head=1')"
check "HEAD /api/items (sent as POST) -> 200 application/json, signature accepted" \
	test "$code $dacc$drej $(vc_hdr content-type)" = "200 10 application/json"

vc_send -X DELETE "$(vc_url '/arn/orders/7?force=1')"
check "DELETE /arn/orders/7 (full ARN, region from the ARN) -> 200 accepted" accepted
check "  method DELETE in the client context, function is the ARN" \
	is "$(vc_json 'j["client_context"]["custom"]["method"] + " " + j["function"]')" \
	"DELETE arn:aws:lambda:us-east-1:123456789012:function:echo"

vc_send -X PATCH --data '{"x":1}' -H 'Content-Type: application/json' -H 'Cookie: c=1' \
	-H 'Authorization: Bearer client-token' -H 'X-Amz-Security-Token: client' -H 'aws4-region: eu-west-1' \
	"$(vc_url '/app/a/b%20c/?q=1&q=2&sp=a+b&e=%3D')"
check "PATCH /app/a/b%20c/?q=1&q=2&sp=a+b&e=%3D (Function URL) -> 200 accepted" accepted
check "  method, path and query unchanged" is "$(vc_json '" ".join((j["method"], j["rawPath"], j["rawQueryString"]))')" \
	"PATCH /app/a/b%20c/ q=1&q=2&sp=a+b&e=%3D"
check "  body and content-type passed" is "$(vc_json 'j["body"] + " " + j["headers"]["content-type"]')" '{"x":1} application/json'
check "  no client cookie, aws4-* or security token reached AWS; Authorization is the signature" \
	is "$(vc_json '[k for k in j["headers"] if k.startswith("aws4") or k == "x-amz-security-token"] + j.get("cookies", []) + [j["headers"]["authorization"][:16]]')" \
	"['AWS4-HMAC-SHA256']"

vc_send "$(vc_url /fail/x)"
check "GET /fail/x -> 502 with X-Lambda-Error-Type: Unhandled, accepted" \
	test "$code $(vc_hdr x-lambda-error-type) $dacc$drej" = "502 Unhandled 10"

vc_send "$(vc_url /async/job)"
check "GET /async/job (InvocationType Event) -> 202 accepted" test "$code $dacc$drej" = "202 10"

vc_send "$(vc_url /wrong-secret/items)"
check "wrong secret -> 403 InvalidSignatureException, rejected by the endpoint" \
	test "$code $(vc_hdr x-lambda-error-type) $dacc$drej" = "403 InvalidSignatureException 01"
check "  rejected as signature_mismatch" is "$(vc_endpoint_stats 's["by_reason"].get("signature_mismatch", 0)')" 1

vc_send "$(vc_url /nothing/here)"
check "unrouted URL -> 404 from Varnish, endpoint not contacted" test "$code $dacc$drej" = "404 00"

# --- 2. bodies ----------------------------------------------------------------
echo "== request bodies"
for f in 0 3k 1m 6m; do
	want=$(sha256sum <"$b/$f" | cut -c1-64)
	for te in length chunked; do
		extra=()
		[ "$te" = chunked ] && extra=(-H 'Transfer-Encoding: chunked')
		vc_send -X POST --data-binary @"$b/$f" -H 'Content-Type: application/octet-stream' "${extra[@]}" "$(vc_url "/api/body-$f")"
		check "Invoke API POST $f ($te) -> 200 accepted (payload hash verified)" test "$code $dacc$drej" = "200 10"
		vc_send -X POST --data-binary @"$b/$f" -H 'Content-Type: application/octet-stream' "${extra[@]}" "$(vc_url "/app/body-$f")"
		got=$(vc_json '__import__("hashlib").sha256(__import__("base64").b64decode(j["body"]) if j["isBase64Encoded"] else j["body"].encode()).hexdigest()')
		check "Function URL POST $f ($te) -> 200 accepted, body intact" test "$code $dacc$drej $got" = "200 10 $want"
	done
done
vc_send -X POST --data-binary @"$b/6m+1" "$(vc_url /api/too-big)"
check "POST 6 MB + 1 byte (Content-Length) -> 413, endpoint not contacted" test "$code $dacc$drej" = "413 00"
vc_send -X POST --data-binary @"$b/6m+1" -H 'Transfer-Encoding: chunked' "$(vc_url /api/too-big)"
check "POST 6 MB + 1 byte (chunked) -> no answer (Varnish 7.1 closes), endpoint not contacted" \
	test "$code $dacc$drej" = "000 00"

# --- 3. S3 ----------------------------------------------------------------------
echo "== S3 keys"
# s3get FILE URL-PATH EXPECT(miss|hit)
s3get() {
	vc_send "$(vc_url "$2")"
	local same=no
	cmp -s "$vc_run/resp.body" "$s3/$1" && same=yes
	if [ "$3" = miss ]; then
		check "GET $2 -> 200, key '$1', signed and accepted" test "$code $same $dacc$drej" = "200 yes 10"
	else
		check "GET $2 -> 200, key '$1', from the cache" test "$code $same $dacc$drej $(vc_hdr x-cache)" = "200 yes 00 HIT"
	fi
}
s3get 'a b.txt' '/static/keys/a%20b.txt' miss
check "  S3's x-amz-request-id removed from the response" test -z "$(printf '%s\n' "$hdrs" | grep -i '^x-amz-\(id-2\|request-id\)')"
s3get 'a b.txt' '/static/keys/a%20b.txt?acl&x=1' hit
s3get 'a+b.txt' '/static/keys/a+b.txt' miss
s3get 'a+b.txt' '/static/keys/a%2Bb.txt' hit
s3get 'user@example.com.txt' '/static/keys/user@example.com.txt' miss
s3get 'user@example.com.txt' '/static/keys/user%40example.com.txt' hit
s3get '~tilde.txt' '/static/keys/~tilde.txt' miss
s3get '~tilde.txt' '/static/keys/%7etilde.txt' hit
s3get '100%.txt' '/static/keys/100%25.txt' miss
s3get 'café/naïve ü.txt' '/static/keys/caf%C3%A9/na%C3%AFve%20%C3%BC.txt' miss
s3get 'café/naïve ü.txt' "/static/keys/café/naïve%20ü.txt" hit
s3get "eq=(1)*!'.txt" "/static/keys/eq=(1)*!'.txt" miss
s3get "eq=(1)*!'.txt" '/static/keys/eq%3D%281%29%2A%21%27.txt' hit
s3get 'semi;colon:comma,amp&dollar$.txt' '/static/keys/semi;colon:comma,amp&dollar$.txt' miss
vc_send -I "$(vc_url /static/keys/a%20b.txt)"
check "HEAD /static/keys/a%20b.txt -> 200 from the cache, Content-Length $(stat -c %s "$s3/a b.txt")" \
	test "$code $(vc_hdr content-length) $dacc$drej" = "200 $(stat -c %s "$s3/a b.txt") 00"
vc_send "$(vc_url /dotted/x.txt)"
check "GET /dotted/x.txt (bucket demo.dotted.bucket, path style) -> 200 accepted" test "$code $dacc$drej" = "200 10"
vc_send "$(vc_url /static/keys/missing.txt)"
check "GET of a missing key -> 404 (signed, accepted, NoSuchKey)" test "$code $dacc$drej" = "404 10"
vc_send -X POST --data x "$(vc_url /static/keys/a%20b.txt)"
check "POST to S3 -> 405 with Allow: GET, HEAD, endpoint not contacted" test "$code $(vc_hdr allow) $dacc$drej" = "405 GET, HEAD 00"
vc_send "$(vc_url /static/keys/100%.txt)"
check "GET /static/keys/100%.txt (a '%' starting no escape) -> 400, endpoint not contacted" test "$code $dacc$drej" = "400 00"
vc_send "$(vc_url /static/)"
check "GET /static/ (bucket listing) -> 404, endpoint not contacted" test "$code $dacc$drej" = "404 00"

# --- 4. rotation ------------------------------------------------------------------
echo "== credentials rotation"
k1() { vc_endpoint_stats 's["by_key"].get("'"$VC_AKID1"'", {}).get("accepted", 0)'; }
k2() { vc_endpoint_stats 's["by_key"].get("'"$VC_AKID2"'", {}).get("accepted", 0)'; }
up0=$(vc_stat MAIN.uptime)
vc_send "$(vc_url /api/rotation-before)"
check "before: signed with the old key $VC_AKID1, accepted" test "$code $dacc$drej $(k2)" = "200 10 0"
vc_write_credentials "$VC_AKID2" "$VC_SECRET2"
t0=$(date +%s.%N)
switched=""
for i in $(seq 60); do
	vc_send "$(vc_url "/api/rotation-$i")"
	[ "$code" = 200 ] && [ "$drej" = 0 ] || { fail "during rotation: $code, rejected $drej"; break; }
	if [ "$(k2)" -gt 0 ]; then
		switched=$(python3 -c "import time; print('%.1f' % (time.time() - $t0))")
		break
	fi
	sleep 0.5
done
check "after the rotation the new key $VC_AKID2 is used (after ${switched:-never} s; re-check interval ~5 s)" test -n "$switched"
old=$(k1)
new=$(k2)
for i in $(seq 10); do vc_send "$(vc_url "/api/rotated-$i")"; done
check "then every request uses the new key (10 more: old key +$(($(k1) - old)), new key +$(($(k2) - new)))" \
	test "$(($(k1) - old)) $(($(k2) - new))" = "0 10"
check "without a restart (MGT.child_start $(vc_stat MGT.child_start), MAIN.uptime $up0 -> $(vc_stat MAIN.uptime) s)" \
	test "$(vc_stat MGT.child_start)" = "$start0" -a "$(vc_stat MAIN.uptime)" -ge "$up0"

# --- 5. load ----------------------------------------------------------------------
echo "== $LOAD_SECONDS s of concurrent load (wrk -t2 -c20)"
cat >"$vc_run/load.lua" <<'EOF'
-- One request in four of each kind: an Invoke API POST of 100 KiB (body
-- hashing + signing), a signed Invoke API GET with a query, a Function URL
-- POST of 100 KiB, and an S3 cache hit (no signing).
local body = string.rep("abcdefghijklmn\0\255", 6400) -- 102400 bytes, NULs included
local hdrs = { ["Content-Type"] = "application/octet-stream" }
local n = 0
request = function()
	n = n + 1
	local k = n % 4
	if k == 0 then
		return wrk.format("POST", "/api/load?i=" .. n, hdrs, body)
	elseif k == 1 then
		return wrk.format("GET", "/api/items?color=red&i=" .. n)
	elseif k == 2 then
		return wrk.format("POST", "/app/load?i=" .. n, hdrs, body)
	end
	return wrk.format("GET", "/static/keys/a%20b.txt")
end
EOF
a0=$(vc_endpoint_stats 's["accepted"]')
r0=$(vc_endpoint_stats 's["rejected"]')
panic0=$(vc_stat MGT.child_panic)
died0=$(vc_stat MGT.child_died)
wrk -t2 -c20 -d"${LOAD_SECONDS}s" --latency -s "$vc_run/load.lua" "$(vc_url /)" >"$vc_run/log/wrk-load.txt" 2>&1 &
wrk_pid=$!
vc_pids+=("$wrk_pid")
prev=$(vc_stat MAIN.uptime)
resets=0
while kill -0 "$wrk_pid" 2>/dev/null; do
	sleep 5
	cur=$(vc_stat MAIN.uptime)
	if [ -z "$cur" ] || [ "$cur" -lt "$prev" ]; then
		resets=$((resets + 1))
		echo "     MAIN.uptime went from $prev to ${cur:-nothing}"
	fi
	prev=${cur:-0}
done
wait "$wrk_pid"
wrk_rc=$?
sed 's/^/     | /' "$vc_run/log/wrk-load.txt"
reqs=$(awk '/requests in/ { print $1 }' "$vc_run/log/wrk-load.txt")
dacc=$(($(vc_endpoint_stats 's["accepted"]') - a0))
drej=$(($(vc_endpoint_stats 's["rejected"]') - r0))
check "wrk ran (exit $wrk_rc, $reqs requests)" test "$wrk_rc" = 0 -a "${reqs:-0}" -gt 0
check "every response a 2xx and no socket error" test -z "$(grep -E 'Non-2xx|Socket errors' "$vc_run/log/wrk-load.txt")"
check "endpoint accepted $dacc signatures and rejected $drej" test "$drej" = 0 -a "$dacc" -gt 0
check "MGT.child_panic $panic0 -> $(vc_stat MGT.child_panic), MGT.child_died $died0 -> $(vc_stat MGT.child_died)" \
	test "$(vc_stat MGT.child_panic) $(vc_stat MGT.child_died)" = "0 0"
check "MGT.child_start stayed $start0 and MAIN.uptime never went back (now $(vc_stat MAIN.uptime) s)" \
	test "$(vc_stat MGT.child_start)" = "$start0" -a "$resets" = 0
# Anything the child printed besides "Child starts" (Go writes its fatal
# errors to the child's stderr, which the manager logs as "said").
odd=$(grep -E 'died|[Pp]anic|said' "$vc_run/log/varnishd.log" | grep -v 'said Child starts$')
check "varnishd log: no child death, panic or message from the child${odd:+: $odd}" test -z "$odd"

# --- 6. secrets ---------------------------------------------------------------------
leaks=$(varnishlog -n "$vc_vdir" -d -g raw 2>/dev/null | grep -cF -e "$VC_SECRET1" -e "$VC_SECRET2" -e "$VC_WRONG_SECRET")
check "no secret in the shared-memory log (varnishlog -d)" is "$leaks" 0

echo
if [ "$fails" != 0 ]; then
	echo "e2e: $fails check(s) FAILED (logs: $(vc_logdir)/)"
	exit 1
fi
echo "e2e: all checks passed"
