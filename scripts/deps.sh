#!/bin/sh
# Install what the build and the tests need and the machine lacks:
# Debian packages via apt-get (as root, or through sudo) and Go modules.
set -eu
pkgs="varnish libvarnishapi-dev pkg-config python3-docutils wrk curl valgrind gcc"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing Debian packages:$missing"
	sudo=""
	[ "$(id -u)" = 0 ] || sudo="sudo"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi
# varnishd must not keep running as a service on a build machine: tests
# start their own instances on loopback ports.
go mod download
