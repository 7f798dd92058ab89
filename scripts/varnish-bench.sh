#!/bin/bash
# varnish-bench.sh - what signing costs inside varnishd, measured with wrk on
# loopback (ARCHITECTURE §4.1 rule 8, §5).
#
# One varnishd, one VCL (examples/varnish/bench.vcl): a request to /plain/
# is a pass with its body cached; one to /signed/ is the same pass with the
# body hashed by awsv4.hash_req_body() and the request signed by .sign().
# Both go to the same backend, the endpoint's /__awsv4/sink, which reads the
# body and answers "ok" without verifying (signed and unsigned cost it the
# same). The /synth-*/ twins answer from vcl_backend_error instead: no
# backend I/O, only Varnish's and the VMOD's work, the strictest ratio.
#
# For each backend (sink, synth), each request kind (GET; POST of 100 KiB)
# and each of ROUNDS rounds, wrk runs plain then signed (the order swapped
# every other round, as in notes/varnish-cgo-overhead.md), DURATION seconds
# each, -t2 -c20 --latency. Printed: req/s of every run, the mean of the
# rounds, the ratio signed/plain per round and its mean [min..max], p99.
#
# Then the body hashing rate: HASH_REQUESTS sequential POSTs of a 6 MB
# body (Content-Length: one storage chunk; and chunked: 16 KiB chunks), the
# time hash_req_body() took read from the Timestamp records that
# std.timestamp() writes around it, next to SHA-256 line rates measured in
# the same run: Go's crypto/sha256 (go test -bench; the code libawsv4 runs),
# OpenSSL (openssl speed; SHA-NI) and sha256sum (coreutils, generic C).
#
# Environment: ROUNDS (3), DURATION (10), CONNS (20), HASH_REQUESTS (20),
# BACKENDS ("sink synth"). Run as root. This machine is shared and noisy:
# compare ratios within one run.
set -euo pipefail
vc_name=varnish-bench
# shellcheck source=scripts/varnish-common.sh
. "$(dirname "$0")/varnish-common.sh"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CONNS=${CONNS:-20}
HASH_REQUESTS=${HASH_REQUESTS:-20}
BACKENDS=${BACKENDS:-sink synth}
command -v wrk >/dev/null || vc_die "wrk is missing (run 'make deps')"

vc_build
vc_stage
vc_write_credentials "$VC_AKID2" "$VC_SECRET2"
vc_start_endpoint
vc_start_varnish bench.vcl
gmp=$(curl -s -o /dev/null -w '%header{x-gomaxprocs}' "$(vc_url /_bench/gomaxprocs)")
out=$vc_run/log
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) varnish-bench: $(varnishd -V 2>&1 | head -1)"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# varnishd child GOMAXPROCS=$gmp (the VMOD's default, 4 x CPUs); wrk -t2 -c$CONNS -d${DURATION}s, $ROUNDS rounds"
echo "# the same varnishd and VCL for both: plain = pass with the body cached; signed = + hash_req_body() + .sign()"

head -c 102400 /dev/urandom >"$vc_run/body-100k"
cat >"$vc_run/post.lua" <<EOF
wrk.method = "POST"
local f = assert(io.open("$vc_run/body-100k", "rb"))
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/octet-stream"
EOF

# run NAME URL-PATH [wrk args]: one wrk run; prints "req/s p99-ms".
run() {
	local name=$1 path=$2
	shift 2
	wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "$@" "$(vc_url "$path")" >"$out/wrk-$name.txt" 2>&1 ||
		vc_die "wrk failed: $(cat "$out/wrk-$name.txt")"
	if grep -qE 'Non-2xx|Socket errors' "$out/wrk-$name.txt"; then
		vc_die "errors in run $name: $(grep -E 'Non-2xx|Socket errors' "$out/wrk-$name.txt")"
	fi
	awk '/^Requests\/sec/ { rps = $2 }
	     $1 == "99%" { v = $2; u = v; sub(/[a-z]+$/, "", v); sub(/^[0-9.]+/, "", u);
	                   p = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : v }
	     END { printf "%.0f %.2f\n", rps, p }' "$out/wrk-$name.txt"
}

# warm-up: threads, connections, the Go runtime's Ps
for p in /plain/w /signed/w /synth-plain/w /synth-signed/w; do
	wrk -t2 -c"$CONNS" -d2s "$(vc_url "$p")" >/dev/null 2>&1
done

summary=()
for be in $BACKENDS; do
	prefix=""
	[ "$be" = synth ] && prefix="synth-"
	for kind in GET POST100K; do
		args=()
		[ "$kind" = POST100K ] && args=(-s "$vc_run/post.lua")
		echo
		echo "## backend=$be kind=$kind"
		printf '%-6s %12s %12s %8s %10s %10s\n' round plain_req/s signed_req/s ratio p99_plain p99_signed
		ratios=() plains=() signeds=() pp=() ps=()
		for r in $(seq "$ROUNDS"); do
			if [ $((r % 2)) = 1 ]; then
				a=$(run "$be-$kind-$r-plain" "/${prefix}plain/$kind" "${args[@]}")
				b=$(run "$be-$kind-$r-signed" "/${prefix}signed/$kind" "${args[@]}")
			else
				b=$(run "$be-$kind-$r-signed" "/${prefix}signed/$kind" "${args[@]}")
				a=$(run "$be-$kind-$r-plain" "/${prefix}plain/$kind" "${args[@]}")
			fi
			set -- $a
			pr=$1 pp99=$2
			set -- $b
			sr=$1 sp99=$2
			ratio=$(awk -v s="$sr" -v p="$pr" 'BEGIN { printf "%.3f", s / p }')
			printf '%-6s %12s %12s %8s %8sms %8sms\n' "$r" "$pr" "$sr" "$ratio" "$pp99" "$sp99"
			ratios+=("$ratio") plains+=("$pr") signeds+=("$sr") pp+=("$pp99") ps+=("$sp99")
		done
		line=$(printf '%s\n' "${ratios[@]}" | awk -v P="${plains[*]}" -v S="${signeds[*]}" -v PP="${pp[*]}" -v PS="${ps[*]}" '
			{ s += $1; if (NR == 1 || $1 < lo) lo = $1; if (NR == 1 || $1 > hi) hi = $1 }
			END {
				n = split(P, a, " "); split(S, b, " "); split(PP, c, " "); split(PS, d, " ")
				for (i = 1; i <= n; i++) { mp += a[i]; ms += b[i]; cp += c[i]; cs += d[i] }
				printf "%.0f %.0f %.3f %.3f %.3f %.2f %.2f", mp / n, ms / n, s / NR, lo, hi, cp / n, cs / n
			}')
		set -- $line
		printf '%-6s %12s %12s %8s %8sms %8sms   ratio range [%s..%s]\n' mean "$1" "$2" "$3" "$6" "$7" "$4" "$5"
		summary+=("$(printf '%-6s %-9s %12s %12s %7s [%s..%s] %8sms %8sms' "$be" "$kind" "$1" "$2" "$3" "$4" "$5" "$6" "$7")")
	done
done

# --- body hashing rate ---------------------------------------------------------
echo
echo "## SHA-256 of a 6 MB body (6291456 bytes; MB = 10^6 bytes)"
{ printf '\000\000'; head -c 6291454 /dev/urandom; } >"$vc_run/body-6m"
sleep 1
for te in length chunked; do
	extra=()
	[ "$te" = chunked ] && extra=(-H 'Transfer-Encoding: chunked')
	for i in $(seq "$HASH_REQUESTS"); do
		curl -sf -o /dev/null -H 'Expect:' "${extra[@]}" --data-binary @"$vc_run/body-6m" "$(vc_url "/synth-signed/hash-$te-$i")" ||
			vc_die "POST 6 MB ($te) failed"
	done
done
sleep 1
varnishlog -n "$vc_vdir" -d -g request -i ReqURL -i Timestamp >"$out/hash-vsl.txt" 2>/dev/null || true
hash_rate() { # TE -> "median-MB/s min max n"
	awk -v te="$1" '
		$2 == "ReqURL" { want = ($3 ~ "^/synth-signed/hash-" te "-") }
		want && $2 == "Timestamp" && $3 == "awsv4-body-hashed:" { print 6.291456 / $6 }' "$out/hash-vsl.txt" |
		sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.0f %.0f %.0f %d", v[int((NR + 1) / 2)], v[1], v[NR], NR; else print "0 0 0 0" }'
}
read -r vm_cl vm_cl_lo vm_cl_hi vm_cl_n <<<"$(hash_rate length)"
read -r vm_ch vm_ch_lo vm_ch_hi vm_ch_n <<<"$(hash_rate chunked)"

# Line rates in the same run: sha256sum over 60 MB (best of 3), Go's crypto/sha256.
for i in $(seq 10); do cat "$vc_run/body-6m"; done >"$vc_run/body-60m"
best=0
for i in 1 2 3; do
	t0=$(date +%s%N)
	sha256sum "$vc_run/body-60m" >/dev/null
	t1=$(date +%s%N)
	r=$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f", 62.91456 / (ns / 1e9) }')
	[ "$r" -gt "$best" ] && best=$r
done
sum_rate=$best
rm -f "$vc_run/body-60m"
(cd "$vc_top" && go test -run '^$' -bench '^BenchmarkPayloadHash$' -benchtime 30x -count 3 ./sigv4/) >"$out/go-hash.txt" 2>&1 || true
ossl_rate=0
if command -v openssl >/dev/null; then
	ossl_rate=$(openssl speed -bytes 6291456 -seconds 2 -evp sha256 2>/dev/null |
		awk '$1 == "sha256" { v = $2; sub(/k$/, "", v); printf "%.0f", v / 1000 }')
fi
go_rate() { awk -v n="$1" '$1 ~ n { for (i = 1; i <= NF; i++) if ($(i + 1) == "MB/s" && $i + 0 > best) best = $i + 0 } END { printf "%.0f", best }' "$out/go-hash.txt"; }
go_std=$(go_rate 'crypto-sha256')
go_lib=$(go_rate 'awsv4-hasher')

pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "n/a" }'; }
printf '%-58s %10s\n' "what" "MB/s"
printf '%-58s %10s  (%s of Go crypto/sha256, %s of OpenSSL; %d requests, %s..%s)\n' \
	"VMOD hash_req_body(), Content-Length (1 chunk), median" "$vm_cl" "$(pct "$vm_cl" "$go_std")" "$(pct "$vm_cl" "$ossl_rate")" "$vm_cl_n" "$vm_cl_lo" "$vm_cl_hi"
printf '%-58s %10s  (%s of Go crypto/sha256, %s of OpenSSL; %d requests, %s..%s)\n' \
	"VMOD hash_req_body(), chunked (16 KiB chunks), median" "$vm_ch" "$(pct "$vm_ch" "$go_std")" "$(pct "$vm_ch" "$ossl_rate")" "$vm_ch_n" "$vm_ch_lo" "$vm_ch_hi"
printf '%-58s %10s\n' "Go crypto/sha256, 6 MB (go test -bench, best of 3)" "$go_std"
printf '%-58s %10s\n' "Go awsv4 PayloadHasher, 64 KiB writes (best of 3)" "$go_lib"
printf '%-58s %10s\n' "OpenSSL EVP sha256, 6 MB blocks (openssl speed)" "$ossl_rate"
printf '%-58s %10s\n' "sha256sum (coreutils), 60 MB file, best of 3" "$sum_rate"

echo
echo "## summary (means over $ROUNDS rounds; ratio = signed/plain req/s [min..max])"
printf '%-6s %-9s %12s %12s %7s %-15s %10s %10s\n' backend kind plain_req/s signed_req/s ratio range p99_plain p99_signed
printf '%s\n' "${summary[@]}"
echo "varnishd: MGT.child_panic $(vc_stat MGT.child_panic), MGT.child_died $(vc_stat MGT.child_died), MAIN.uptime $(vc_stat MAIN.uptime) s"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (raised by this run's own wrk and varnishd threads; the header has it before the run: other work on the machine skews the ratios)"
echo "raw wrk output: $(vc_logdir)/"
