#!/bin/sh
# Run every fuzz target for real, one after the other, FUZZTIME each
# (default 10m): make fuzz FUZZTIME=10m. `make test` runs only their seed
# corpora (go test does that by itself). Findings land in testdata/fuzz/
# of the package, where go test replays them from then on.
set -eu
t=${1:-10m}
par=${FUZZPARALLEL:-2}
for target in \
	./sigv4:FuzzDifferential \
	./sigv4:FuzzCanonicalize \
	./sigv4/credentials:FuzzParseINI \
	./sigv4/lambda:FuzzParseFunction \
	./sigv4/lambda:FuzzFunctionURLHost
do
	pkg=${target%%:*}
	fn=${target#*:}
	echo "== $fn ($pkg) for $t"
	go test -run='^$' -fuzz="^$fn\$" -fuzztime="$t" -parallel="$par" "$pkg" 2>&1 | tail -3
done
