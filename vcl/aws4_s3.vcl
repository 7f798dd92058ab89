#
# aws4_s3.vcl - a private Amazon S3 bucket as a cacheable origin, with every
# request to S3 signed with AWS Signature Version 4 by the awsv4 VMOD.
#
# Clients GET (or HEAD) objects through Varnish; Varnish fetches them from a
# bucket that is not public, signing each fetch, and caches the answers
# like any other origin's. Only reads are forwarded: other methods get a 405.
#
# Keys and secrets never appear in VCL: the signer objects you create in
# vcl_init name a *source* of credentials; see `man vmod_awsv4`.
#
# ---------------------------------------------------------------------------
# What your VCL provides
# ---------------------------------------------------------------------------
#
# 1. `import awsv4;` (or `import awsv4 from "/path/libvmod_awsv4.so";`)
#    BEFORE the include. (This file imports std, which comes with Varnish.)
#
# 2. A backend that reaches S3: in production a TLS onloader on loopback
#    (Varnish 7.1 cannot open TLS connections to backends; haproxy or
#    stunnel does, with SNI and certificate checks). The signature always
#    covers the S3 host name. Pick it in aws4_s3_route with
#    req.backend_hint, or let it be the default (first) backend.
#
# 3. One S3 signer per region (and per set of credentials) in vcl_init; s3 =
#    true gives S3's rules (the path is signed as sent, x-amz-content-sha256
#    is added):
#
#        new s3_eu_west_1 = awsv4.signer("eu-west-1", "s3", s3 = true,
#            credentials = "file:/etc/varnish/aws-credentials",
#            profile = "static-origin");
#
# 4. `sub aws4_s3_route`, which maps URLs to a bucket. It runs in
#    vcl_recv and, for the requests it claims, sets:
#
#      aws4-s3-bucket   the bucket's name
#      aws4-region      the bucket's region
#      aws4-s3-path     optional: the object's path, "/" + key. Default:
#                       the path of req.url. Use it to strip a prefix.
#      aws4-signer      optional: any name, for aws4_s3_signer
#
#    Example: /static/css/site.css -> key css/site.css in my-assets:
#
#        sub aws4_s3_route {
#            if (req.url ~ "^/static/") {
#                set req.http.aws4-s3-bucket = "my-assets";
#                set req.http.aws4-region = "eu-west-1";
#                set req.http.aws4-s3-path = regsub(req.url, "^/static(/[^?]*).*$", "\1");
#            }
#        }
#
# 5. `sub aws4_s3_signer`, which picks the signer and calls .sign(). It runs
#    in vcl_backend_fetch; bereq.http.aws4-region (and aws4-signer) say
#    which:
#
#        sub aws4_s3_signer {
#            if (bereq.http.aws4-region == "eu-west-1") {
#                s3_eu_west_1.sign();
#            }
#        }
#
#    A request left unsigned is answered with a 503.
#
# Order: this file adds code to vcl_recv, vcl_hash, vcl_backend_fetch,
# vcl_backend_response and vcl_synth at the place of the include. Requests
# that the route claims end in `return (hash)` in vcl_recv and
# `return (lookup)` in vcl_hash here.
#
# ---------------------------------------------------------------------------
# Object keys
# ---------------------------------------------------------------------------
#
# A key may hold any character: spaces, '+', '=', '@', '~', '%', '(', ')',
# UTF-8... Clients send it %-encoded in the URL. The path is brought to its
# one canonical form with awsv4.s3_escape_path() (escapes decoded, then every
# byte but A-Z a-z 0-9 - _ . ~ / encoded as %XX), and that form is what is
# sent to S3, what is signed, and what the cache is keyed on: /a%20b and
# /a%20%62 are the same object, and a '+' in a path is a plus (as for S3),
# never a space. The path "/" alone (the bucket's listing) is refused with
# a 404.
#
# The query string is not sent to S3: S3 gives ?acl, ?tagging, ?versions,
# ?list-type... a meaning, and this gateway signs with the bucket owner's
# credentials. Write a route that adds the parameters you want to allow.
#
# Buckets whose name holds a '.' are addressed path-style
# (s3.<region>.amazonaws.com/<bucket>/<key>): TLS certificates of the
# virtual-hosted form (<bucket>.s3.<region>.amazonaws.com) do not cover
# such names. Other buckets are addressed virtual-hosted style.
#
# ---------------------------------------------------------------------------
# Caching
# ---------------------------------------------------------------------------
#
# The cache key is region + bucket + canonical path (not the client's Host
# or query). Range requests, conditional requests and HEAD are served from
# the cache by Varnish itself; on a miss Varnish fetches the whole object
# with a GET. TTLs follow the object's Cache-Control or Expires metadata,
# else Varnish's default_ttl (parameter). Answers that say the request or
# the signature was wrong, or that S3 failed (400, 403, 5xx), are not
# cached. S3's own x-amz-* bookkeeping headers are removed from responses;
# x-amz-meta-* (the object's metadata) and x-amz-version-id are kept.
#
# Removed from client requests: the routing headers (aws4-*), Cookie,
# Authorization, Proxy-Authorization and every X-Amz-* and X-Amzn-* header
# (awsv4.strip_amz_headers(); for instance x-amz-request-payer would bill
# the bucket owner's account).
#
# ---------------------------------------------------------------------------

import std;

sub vcl_recv {
	call aws4_s3_recv;
}

sub vcl_hash {
	call aws4_s3_hash;
}

sub vcl_backend_fetch {
	call aws4_s3_sign_request;
}

sub vcl_backend_response {
	call aws4_s3_response;
}

sub vcl_synth {
	call aws4_s3_synth;
}

# --- Client side ------------------------------------------------------------

sub aws4_s3_recv {
	# 1. Forget routing headers a client may have sent.
	unset req.http.aws4-s3-bucket;
	unset req.http.aws4-s3-path;
	unset req.http.aws4-region;
	unset req.http.aws4-signer;

	# 2. Ask the admin's mapping. Requests it does not claim are not ours.
	call aws4_s3_route;
	if (!req.http.aws4-s3-bucket) {
		return;
	}

	# 3. Check the route.
	if (req.http.aws4-s3-bucket !~ "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$") {
		std.log("aws4_s3: aws4-s3-bucket is not a valid bucket name: " + req.http.aws4-s3-bucket);
		return (synth(500, "S3 route misconfigured"));
	}
	if (!req.http.aws4-region || req.http.aws4-region !~ "^[a-z0-9-]+$") {
		std.log("aws4_s3: no valid aws4-region for bucket " + req.http.aws4-s3-bucket);
		return (synth(500, "S3 route misconfigured"));
	}

	# 4. Reads only (HEAD is answered from a GET).
	if (req.method != "GET" && req.method != "HEAD") {
		return (synth(405, "Method Not Allowed"));
	}

	# 5. The object's path in its canonical form: what S3 receives, what
	#    is signed and what the cache is keyed on. The query is dropped.
	if (!req.http.aws4-s3-path) {
		set req.http.aws4-s3-path = regsub(req.url, "\?.*$", "");
	}
	if (req.http.aws4-s3-path !~ "^/") {
		set req.http.aws4-s3-path = "/" + req.http.aws4-s3-path;
	}
	if (req.http.aws4-s3-path ~ "%(?![0-9A-Fa-f]{2})") {
		# A '%' that starts no %XX escape: the client must send '%25'.
		return (synth(400, "Bad Request"));
	}
	set req.http.aws4-s3-path = awsv4.s3_escape_path(req.http.aws4-s3-path);
	if (req.http.aws4-s3-path == "/") {
		# "/" would list the bucket.
		return (synth(404, "Not Found"));
	}

	# 6. Remove what the client must not send to S3.
	call aws4_s3_clean_request;

	# 7. Look the object up in the cache (builtin rules would pass requests
	#    that carried a Cookie or an Authorization).
	return (hash);
}

sub aws4_s3_clean_request {
	unset req.http.cookie;
	unset req.http.authorization;
	unset req.http.proxy-authorization;
	# Every X-Amz-* and X-Amzn-* header the client sent: .sign() signs
	# all x-amz-* headers, so none of the client's may go out.
	awsv4.strip_amz_headers();
}

sub aws4_s3_hash {
	if (req.http.aws4-s3-bucket) {
		hash_data(req.http.aws4-region);
		hash_data(req.http.aws4-s3-bucket);
		hash_data(req.http.aws4-s3-path);
		return (lookup);
	}
}

sub aws4_s3_synth {
	if (resp.status == 405 && req.http.aws4-s3-bucket) {
		set resp.http.allow = "GET, HEAD";
	}
}

# --- Backend side -----------------------------------------------------------

sub aws4_s3_sign_request {
	if (!bereq.http.aws4-s3-bucket) {
		return;
	}
	if (bereq.http.aws4-s3-bucket ~ "\.") {
		# Path style: a bucket name with dots does not fit the TLS
		# certificate of <bucket>.s3.<region>.amazonaws.com.
		set bereq.http.host = "s3." + bereq.http.aws4-region + ".amazonaws.com";
		set bereq.url = "/" + bereq.http.aws4-s3-bucket + bereq.http.aws4-s3-path;
	} else {
		set bereq.http.host = bereq.http.aws4-s3-bucket + ".s3." + bereq.http.aws4-region + ".amazonaws.com";
		set bereq.url = bereq.http.aws4-s3-path;
	}

	# A GET has no body: sign the empty body's SHA-256, so that S3 checks
	# it (rather than UNSIGNED-PAYLOAD, which some signer settings give).
	set bereq.http.x-amz-content-sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

	# The admin picks the signer and signs: method, path, host, every
	# x-amz-* header and the body's hash.
	call aws4_s3_signer;
	if (!bereq.http.authorization) {
		std.log("aws4_s3: aws4_s3_signer signed nothing for region " + bereq.http.aws4-region + " (signer " + bereq.http.aws4-signer + ")");
		return (error(503, "No S3 signer for this region"));
	}

	# Routing headers are for Varnish only (not signed: removing them
	# leaves the signature intact).
	unset bereq.http.aws4-s3-bucket;
	unset bereq.http.aws4-s3-path;
	unset bereq.http.aws4-region;
	unset bereq.http.aws4-signer;
}

sub aws4_s3_response {
	if (bereq.http.host !~ "(^|\.)s3\.[a-z0-9-]+\.amazonaws\.com$") {
		return;
	}
	if (beresp.status == 400 || beresp.status == 403 || beresp.status >= 500) {
		# A refused signature, missing permissions or an S3 fault: never
		# cache it (a short hit-for-miss only keeps requests from queueing).
		set beresp.ttl = 10s;
		set beresp.uncacheable = true;
	}
	# S3's bookkeeping headers are not for the client.
	unset beresp.http.x-amz-id-2;
	unset beresp.http.x-amz-request-id;
	unset beresp.http.x-amz-server-side-encryption;
	unset beresp.http.x-amz-server-side-encryption-aws-kms-key-id;
	unset beresp.http.x-amz-server-side-encryption-bucket-key-enabled;
	unset beresp.http.x-amz-server-side-encryption-customer-algorithm;
	unset beresp.http.x-amz-server-side-encryption-customer-key-md5;
	unset beresp.http.x-amz-expiration;
	unset beresp.http.x-amz-replication-status;
	unset beresp.http.x-amz-restore;
	unset beresp.http.x-amz-storage-class;
	unset beresp.http.x-amz-bucket-region;
	unset beresp.http.x-amz-request-charged;
	unset beresp.http.x-amz-object-lock-mode;
	unset beresp.http.x-amz-object-lock-retain-until-date;
	unset beresp.http.x-amz-object-lock-legal-hold;
	unset beresp.http.x-amz-checksum-crc32;
	unset beresp.http.x-amz-checksum-crc32c;
	unset beresp.http.x-amz-checksum-sha1;
	unset beresp.http.x-amz-checksum-sha256;
	unset beresp.http.x-amz-mp-parts-count;
	unset beresp.http.x-amz-tagging-count;
	unset beresp.http.x-amz-website-redirect-location;
}
