#!/bin/bash
# make test: every test of the project, one step after the other, each
# step's output kept in build/test-logs/<step>.log. Ends with one line per
# step and the summary "test summary: N passed, N failed"; exits 1 if any
# step failed. Tests that need Varnish run the real varnishd/varnishtest.
set -u
cd "$(dirname "$0")/.."
top=$PWD
suite=${SUITE:-$top/../shared/aws-signing-test-suite/v4}
logs=$top/build/test-logs
mkdir -p "$logs"
export GOFLAGS=-buildvcs=false

names=() results=()
step() { # step NAME COMMAND...
	local name=$1
	shift
	printf '== %-14s ' "$name"
	local start=$SECONDS
	if "$@" >"$logs/$name.log" 2>&1; then
		results+=("PASS")
		echo "PASS ($((SECONDS - start))s)"
	else
		results+=("FAIL")
		echo "FAIL ($((SECONDS - start))s) - last lines of build/test-logs/$name.log:"
		tail -n 25 "$logs/$name.log" | sed 's/^/   | /'
	fi
	names+=("$name")
}

gofmt_check() { out=$(gofmt -l $(git ls-files '*.go')) && [ -z "$out" ] || { echo "not gofmt'ed: $out"; return 1; }; }
conformance() { go run ./cmd/awsv4-conformance "$suite" | tee /dev/stderr | tail -n 1 | grep -qx '76 passed, 0 failed'; }
own_vectors() { go run ./cmd/awsv4-conformance testdata/v4 | tail -n 1 | tee /dev/stderr | grep -q ' 0 failed'; }
c_example() {
	local stage=$top/build/stage
	rm -rf "$stage"
	make -s install-lib PREFIX="$stage" &&
		PKG_CONFIG_PATH=$stage/lib/pkgconfig LD_LIBRARY_PATH=$stage/lib make -C examples/c run
}

step gofmt gofmt_check
step go-vet go vet -tags interop ./...
step go-test go test -race -count=1 ./...
step conformance conformance
step own-vectors own_vectors
step cexport make -s cexport
step c-tests make -C cexport/tests test
step c-sanitize make -C cexport/tests sanitize
step c-example c_example
step vmod make -s vmod
step vtc make -C vcl test
step e2e scripts/e2e.sh
step interop scripts/interop.sh

echo
echo "conformance (official v4 suite): $(tail -n 1 "$logs/conformance.log")"
pass=0 fail=0
for i in "${!names[@]}"; do
	printf '  %-14s %s\n' "${names[$i]}" "${results[$i]}"
	if [ "${results[$i]}" = PASS ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "test summary: $pass passed, $fail failed"
[ "$fail" = 0 ]
