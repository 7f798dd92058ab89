# awsv4 - build, test, benchmark, install.
#   make demo        build everything and run Varnish signing requests to a local Lambda endpoint
#   make test        every test, ending with the summary line
# Other targets: cexport vmod vtc e2e conformance interop bench varnish-bench fuzz install install-lib uninstall clean deps

GO        ?= go
PREFIX    ?= /usr/local
DESTDIR   ?=
SUITE     ?= ../shared/aws-signing-test-suite/v4
FUZZTIME  ?= 10m
VERSION   := 0.1.0
SOMAJOR   := 0
BUILD     := $(CURDIR)/build
LIB       := $(BUILD)/libawsv4.so.$(SOMAJOR)
export GOFLAGS := -buildvcs=false

.PHONY: all deps cexport vmod vtc e2e conformance interop test bench varnish-bench fuzz demo install install-lib uninstall clean

all: cexport vmod

deps:
	@scripts/deps.sh

# The C library: libawsv4.so.0 (soname), libawsv4.so, awsv4.h, awsv4.pc.
cexport: $(LIB)
$(LIB): go.mod go.sum $(shell find sigv4 cexport -name '*.go' -not -name '*_test.go') cexport/wrap.c cexport/awsv4.h cexport/awsv4.map
	@mkdir -p $(BUILD)
	$(GO) build -buildmode=c-shared -trimpath \
	  -ldflags "-s -extldflags '-Wl,-soname,libawsv4.so.$(SOMAJOR) -Wl,--version-script=$(CURDIR)/cexport/awsv4.map'" \
	  -o $@ ./cexport
	@rm -f $(BUILD)/libawsv4.so.h
	ln -sf libawsv4.so.$(SOMAJOR) $(BUILD)/libawsv4.so

vmod: cexport deps
	$(MAKE) -C vcl all

conformance:
	$(GO) run ./cmd/awsv4-conformance $(SUITE)

test: deps
	@scripts/test.sh

# The VMOD's varnishtest suite (vcl/tests/*.vtc, the 60 s load test last);
# TESTS=vcl/tests/x.vtc for one file, STRESS_SECONDS=N to shorten the load.
vtc: deps cexport
	@$(MAKE) -s -C vcl test $(if $(TESTS),TESTS="$(TESTS:vcl/%=%)") $(if $(STRESS_SECONDS),STRESS_SECONDS=$(STRESS_SECONDS))

# varnishd, the VMOD and demo.vcl in front of the verifying endpoint: bodies,
# S3 keys, credential rotation, 65 s of load, no secret in the log.
e2e: deps
	@scripts/e2e.sh

# The Go signer and the VMOD against versitygw, an S3 server with its own
# SigV4 verifier (built from the Go module proxy on first use).
interop: deps
	@scripts/interop.sh

bench: cexport
	@scripts/bench.sh

# wrk through varnishd: signed vs plain pass, and 6 MB body hashing rate.
varnish-bench: deps
	@scripts/varnish-bench.sh

fuzz:
	@scripts/fuzz.sh $(FUZZTIME)

demo: deps
	@scripts/demo.sh

install: install-lib
	@if [ -f $(BUILD)/vmod/libvmod_awsv4.so ]; then $(MAKE) -C vcl install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR); fi
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then ldconfig; fi

# The C library alone, for PREFIX-relative (staged) installs: the VMOD
# belongs in varnishd's vmoddir, outside PREFIX.
install-lib: cexport
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 0755 $(LIB) $(DESTDIR)$(PREFIX)/lib/libawsv4.so.$(SOMAJOR)
	ln -sf libawsv4.so.$(SOMAJOR) $(DESTDIR)$(PREFIX)/lib/libawsv4.so
	install -m 0644 cexport/awsv4.h $(DESTDIR)$(PREFIX)/include/awsv4.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' cexport/awsv4.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/awsv4.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/lib/libawsv4.so.$(SOMAJOR) $(DESTDIR)$(PREFIX)/lib/libawsv4.so \
	      $(DESTDIR)$(PREFIX)/include/awsv4.h $(DESTDIR)$(PREFIX)/lib/pkgconfig/awsv4.pc
	-$(MAKE) -C vcl uninstall PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then ldconfig; fi

clean:
	rm -rf $(BUILD)
