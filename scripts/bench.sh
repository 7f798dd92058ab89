#!/bin/sh
# make bench: the signer beside aws-sdk-go-v2 and the crypto floor in one
# `go test -bench -benchmem` run, payload hashing at 6 MB, then the C API
# on the same requests. Compare ratios within one run: this machine is
# shared and noisy. BENCHTIME=2s COUNT=3 make bench for steadier numbers.
set -eu
cd "$(dirname "$0")/.."
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(go version) GOMAXPROCS=${GOMAXPROCS:-default}"
echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs, flags:$(grep -m1 -o -w -E 'sha_ni' /proc/cpuinfo || true)"
go test -run='^$' -bench='^Benchmark(Sign|PayloadHash)$' -benchmem \
	-benchtime="${BENCHTIME:-1s}" -count="${COUNT:-1}" ./sigv4/
if [ -f cexport/tests/Makefile ]; then
	make -s -C cexport/tests bench
fi
