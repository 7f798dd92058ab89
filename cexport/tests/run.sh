#!/bin/sh
# run.sh OUTDIR "WRAPPER" TEST... - run each test program OUTDIR/TEST (under
# WRAPPER, e.g. valgrind, when not empty), keep its output in
# OUTDIR/TEST.log, show it, and add up the "ctest-result NAME PASSED FAILED"
# lines the programs print (check.h). A program that exits non-zero (a
# crash, a sanitizer or valgrind report) without a failed check counts as
# one failure. Last line: "ctest: N passed, N failed"; exit 1 on failures.
# With CTEST_SUMMARY set, the two numbers are also written to that file.
out=$1
wrap=$2
shift 2
pass=0
fail=0
for t in "$@"; do
	log=$out/$t.log
	echo "== $t${wrap:+ (under ${wrap%% *})}"
	# shellcheck disable=SC2086 # WRAPPER is a command line
	$wrap "$out/$t" >"$log" 2>&1
	rc=$?
	grep -v '^ctest-result ' "$log"
	line=$(grep '^ctest-result ' "$log" | tail -n 1)
	p=0
	f=0
	if [ -n "$line" ]; then
		p=$(echo "$line" | awk '{print $3}')
		f=$(echo "$line" | awk '{print $4}')
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$t: exit status $rc without a failed check (crash, sanitizer or valgrind error?)"
		f=1
	fi
	echo "-- $t: $p passed, $f failed"
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "ctest: $pass passed, $fail failed"
if [ -n "${CTEST_SUMMARY:-}" ]; then
	echo "$pass $fail" >"$CTEST_SUMMARY"
fi
[ "$fail" -eq 0 ]
