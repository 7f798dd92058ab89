# shellcheck shell=bash
# varnish-common.sh - sourced by scripts/demo.sh, scripts/e2e.sh and
# scripts/varnish-bench.sh: build what they need, start the local verifying
# endpoint (examples/endpoint) and a varnishd with the awsv4 VMOD on free
# loopback ports, and stop everything they started when the script exits.
#
# varnishd runs as Debian runs it, as root with its default jail: the manager
# (and the VCL compiler) as user "varnish", the child as "vcache". Both must
# be able to read the VCL, the VMOD, libawsv4 and the credentials file, so
# these are staged in one run directory: build/<name>/ when those users can
# reach it, else a fresh /tmp/awsv4-<name>.XXXXXX (e.g. for a checkout under
# /root), whose logs are copied to build/<name>-logs/ at exit. Nothing is
# installed into the system.
#
# The caller sets vc_name (used in messages and paths) before sourcing.

vc_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
vc_run=""          # the run directory
vc_tmp=""          # set when the run directory is a /tmp one we created
vc_pids=()         # processes we started, stopped in reverse order at exit
vc_eport=""        # endpoint port
vc_vport=""        # varnishd port
vc_vdir=""         # varnishd working directory (-n)
export GOFLAGS=-buildvcs=false

# The AWS documentation's example keys (never real ones). KEY1 is the
# IAM user guide's example, KEY2 the SigV4 test suite's.
VC_AKID1=AKIAIOSFODNN7EXAMPLE
VC_SECRET1=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
VC_AKID2=AKIDEXAMPLE
VC_SECRET2=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
VC_WRONG_SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGSECRET

vc_die() {
	echo "$vc_name: $*" >&2
	exit 1
}

vc_log() { echo "$vc_name: $*"; }

# A free TCP port on 127.0.0.1.
vc_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Stop what we started, newest first; keep logs of a /tmp run directory.
vc_cleanup() {
	local i pid n
	for ((i = ${#vc_pids[@]} - 1; i >= 0; i--)); do
		pid=${vc_pids[$i]}
		kill -TERM "$pid" 2>/dev/null || continue
		for n in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	vc_pids=()
	if [ -n "$vc_tmp" ] && [ -d "$vc_tmp" ]; then
		rm -rf "$vc_top/build/$vc_name-logs"
		mkdir -p "$vc_top/build"
		cp -r "$vc_tmp/log" "$vc_top/build/$vc_name-logs" 2>/dev/null || true
		rm -rf "$vc_tmp"
		vc_tmp=""
	fi
}
trap vc_cleanup EXIT
trap 'exit 130' INT TERM

# Check the tools; build libawsv4, the VMOD and the endpoint.
vc_build() {
	local t
	for t in varnishd varnishadm varnishstat varnishlog curl go python3 runuser pkg-config; do
		command -v "$t" >/dev/null || vc_die "$t is missing (run 'make deps' as root)"
	done
	[ "$(id -u)" = 0 ] || vc_die "run as root: varnishd starts its jail (users varnish and vcache) from root"
	id vcache >/dev/null 2>&1 && id varnish >/dev/null 2>&1 ||
		vc_die "users varnish and vcache are missing: is the Debian varnish package installed?"
	(cd "$vc_top" && make -s cexport vmod) >&2 || vc_die "building libawsv4 and the VMOD failed"
	mkdir -p "$vc_top/build/bin"
	(cd "$vc_top" && go build -o build/bin/awsv4-endpoint ./examples/endpoint) ||
		vc_die "building the endpoint failed"
}

# Can both varnish users read $1?
vc_jail_can_read() {
	runuser -u vcache -- test -r "$1" 2>/dev/null && runuser -u varnish -- test -r "$1" 2>/dev/null
}

# Create the run directory and stage the files varnishd reads into it.
vc_stage() {
	vc_run=$vc_top/build/$vc_name
	rm -rf "$vc_run"
	mkdir -p "$vc_run"
	chmod 0755 "$vc_run"
	: >"$vc_run/.probe"
	chmod 0644 "$vc_run/.probe"
	if ! vc_jail_can_read "$vc_run/.probe"; then
		vc_tmp=$(mktemp -d "/tmp/awsv4-$vc_name.XXXXXX")
		chmod 0755 "$vc_tmp"
		vc_log "the varnish users cannot read $vc_run; running in $vc_tmp instead"
		rm -rf "$vc_run"
		vc_run=$vc_tmp
	fi
	rm -f "$vc_run/.probe"
	mkdir -p "$vc_run/lib" "$vc_run/vcl" "$vc_run/log" "$vc_run/s3"
	install -m 0644 "$vc_top/build/libawsv4.so.0" "$vc_top/build/vmod/libvmod_awsv4.so" "$vc_run/lib/"
	install -m 0644 "$vc_top"/vcl/aws4_lambda.vcl "$vc_top"/vcl/aws4_s3.vcl "$vc_top"/examples/varnish/*.vcl "$vc_run/vcl/"
	vc_jail_can_read "$vc_run/lib/libawsv4.so.0" || vc_die "the varnish users cannot read $vc_run/lib"
	vc_vdir=$vc_run/varnishd
}

# vc_write_credentials AKID SECRET: the shared credentials file the
# signers read, profiles "demo" (AKID, SECRET) and "wrong-secret" (key 1
# with a wrong secret). Replaced atomically (as a rotation script would),
# readable by the child's user vcache only.
vc_write_credentials() {
	local f=$vc_run/aws-credentials
	(umask 077 && cat >"$f.tmp") <<-EOF
		# written by scripts/$vc_name.sh; example keys from the AWS documentation
		[demo]
		aws_access_key_id = $1
		aws_secret_access_key = $2

		[wrong-secret]
		aws_access_key_id = $VC_AKID1
		aws_secret_access_key = $VC_WRONG_SECRET
	EOF
	chown vcache:varnish "$f.tmp"
	chmod 0400 "$f.tmp"
	mv -f "$f.tmp" "$f"
}

# Start the endpoint; it knows both example keys. Extra arguments go to it.
vc_start_endpoint() {
	printf '%s %s\n%s %s\n' "$VC_AKID1" "$VC_SECRET1" "$VC_AKID2" "$VC_SECRET2" >"$vc_run/endpoint-keys"
	chmod 0600 "$vc_run/endpoint-keys"
	vc_eport=$(vc_free_port)
	"$vc_top/build/bin/awsv4-endpoint" -listen "127.0.0.1:$vc_eport" -keys "$vc_run/endpoint-keys" \
		-s3-root "$vc_run/s3" "$@" >"$vc_run/log/endpoint.log" 2>&1 &
	vc_pids+=($!)
	vc_wait_health "the endpoint" "http://127.0.0.1:$vc_eport/__awsv4/health" "$vc_run/log/endpoint.log"
	vc_write_backend "$vc_eport"
}

# vc_wait_health NAME URL LOG: wait until the server started last (the
# newest of vc_pids) answers URL; if it exits or stays silent, die with
# the end of its LOG.
vc_wait_health() {
	local n
	for n in $(seq 100); do
		curl -sf "$2" >/dev/null 2>&1 && return 0
		kill -0 "${vc_pids[-1]}" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$3" >&2
	vc_die "$1 did not start (no answer from $2)"
}

# vc_write_backend PORT: the backend demo.vcl sends every AWS request to.
vc_write_backend() {
	printf 'backend aws_endpoint {\n\t.host = "127.0.0.1";\n\t.port = "%s";\n}\n' "$1" >"$vc_run/vcl/demo-backend.vcl"
	chmod 0644 "$vc_run/vcl/demo-backend.vcl"
}

# vc_start_varnish VCL [varnishd arguments...]: start varnishd in the
# foreground (-F, so that the process we started is the manager), with the
# VMOD and libawsv4 from the run directory and only the credentials file
# as a source of keys.
vc_start_varnish() {
	local vcl=$1 n
	shift
	vc_vport=$(vc_free_port)
	: >"$vc_run/aws-config"
	chmod 0644 "$vc_run/aws-config"
	env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN \
		-u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u GOMAXPROCS \
		LD_LIBRARY_PATH="$vc_run/lib" \
		AWS_SHARED_CREDENTIALS_FILE="$vc_run/aws-credentials" \
		AWS_CONFIG_FILE="$vc_run/aws-config" \
		varnishd -F -n "$vc_vdir" -a "127.0.0.1:$vc_vport" -T 127.0.0.1:0 \
		-f "$vc_run/vcl/$vcl" \
		-p vcl_path="$vc_run/vcl" \
		-p vmod_path="$vc_run/lib:$(pkg-config --variable=vmoddir varnishapi)" \
		-s malloc,256m "$@" >"$vc_run/log/varnishd.log" 2>&1 &
	vc_pids+=($!)
	for n in $(seq 150); do
		if ! kill -0 "${vc_pids[-1]}" 2>/dev/null; then
			tail -n 30 "$vc_run/log/varnishd.log" >&2
			vc_die "varnishd did not start (log: $vc_run/log/varnishd.log)"
		fi
		if varnishadm -n "$vc_vdir" status 2>/dev/null | grep -q "running" &&
			curl -s -o /dev/null "http://127.0.0.1:$vc_vport/" 2>/dev/null; then
			return 0
		fi
		sleep 0.2
	done
	tail -n 30 "$vc_run/log/varnishd.log" >&2
	vc_die "varnishd is not ready after 30 s"
}

# vc_stat NAME: one varnishstat counter (e.g. MAIN.uptime, MGT.child_panic).
vc_stat() {
	varnishstat -n "$vc_vdir" -1 -f "$1" 2>/dev/null | awk -v n="$1" '$1 == n { print $2; exit }'
}

# vc_endpoint_stats EXPR: a value from the endpoint's /__awsv4/stats, by a
# Python expression over the decoded JSON `s`, e.g. 's["accepted"]' or
# 's["by_key"].get("AKIDEXAMPLE", {}).get("accepted", 0)'.
vc_endpoint_stats() {
	curl -sf "http://127.0.0.1:$vc_eport/__awsv4/stats" |
		python3 -c 'import json, sys; s = json.load(sys.stdin); print('"$1"')'
}

vc_url() { echo "http://127.0.0.1:$vc_vport$1"; }

# Where the logs are once the script has ended.
vc_logdir() {
	if [ -n "$vc_tmp" ]; then echo "$vc_top/build/$vc_name-logs"; else echo "$vc_run/log"; fi
}

# vc_send CURL-ARGS...: one request through Varnish (give the URL with
# vc_url). Sets code (HTTP status, 000 when curl failed), hdrs (response
# headers), the body in $vc_run/resp.body, and dacc/drej: how many requests
# the endpoint accepted and rejected meanwhile (stats before and after).
vc_send() {
	local a0 r0
	a0=$(vc_endpoint_stats 's["accepted"]')
	r0=$(vc_endpoint_stats 's["rejected"]')
	code=$(curl -s -m 120 -o "$vc_run/resp.body" -D "$vc_run/resp.hdrs" -w '%{http_code}' "$@") || code=000
	hdrs=$(tr -d '\r' <"$vc_run/resp.hdrs" 2>/dev/null || true)
	dacc=$(($(vc_endpoint_stats 's["accepted"]') - a0))
	drej=$(($(vc_endpoint_stats 's["rejected"]') - r0))
}

# vc_hdr NAME: a header of the last vc_send response ("" if absent).
vc_hdr() {
	printf '%s\n' "$hdrs" | awk -v h="$(echo "$1" | tr 'A-Z' 'a-z')" -F': ' 'tolower($1) == h { print $2; exit }'
}

# vc_json EXPR: a Python expression over the last response body decoded as
# JSON (`j`); prints "?" when the body is not JSON.
vc_json() {
	python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print('"$1"')' "$vc_run/resp.body" 2>/dev/null || echo "?"
}
