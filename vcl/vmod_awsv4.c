/*
 * vmod_awsv4.c - the awsv4 VMOD: VCL types <-> libawsv4 (awsv4.h).
 *
 * This file only translates. Canonicalization, hashing, key derivation
 * and signing happen in libawsv4, in one call per request (plus one call
 * per body chunk when a body is hashed). Rules kept here:
 *  - inputs go to the library as pointer+length pairs pointing into
 *    Varnish's own memory (headers, URL, body chunks): nothing is copied;
 *  - outputs are written by the library straight into the workspace;
 *  - every failure is VRT_fail(ctx, "awsv4: ..."), never an assert on
 *    input; the library's messages never hold a secret, and this file
 *    never logs a header value;
 *  - libawsv4 gives each calling thread its own signal stack itself
 *    (awsv4_thread_prepare), so no per-thread setup is needed here, and
 *    this file has no thread-exit hook (the .so is also linked nodelete).
 */

#include "config.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cache/cache.h"
#include "vcl.h"

#include "vcc_if.h"
#include "awsv4.h"

/* Headers this VMOD sets (hdr_t: length byte, name, colon). */
static const char H_X_Amz_Date[] = "\013X-Amz-Date:";
static const char H_X_Amz_Security_Token[] = "\025X-Amz-Security-Token:";
static const char H_X_Amz_Content_Sha256[] = "\025X-Amz-Content-Sha256:";

/* SHA-256 of the empty string. */
static const char empty_sha256[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct VPFX(awsv4_signer) {
	unsigned		magic;
#define AWSV4_SIGNER_MAGIC	0x5a1f4b27
	awsv4_signer		*signer;
	char			*vcl_name;
	unsigned		s3;
	unsigned		unsigned_payload;
};

/*--------------------------------------------------------------------
 * Small helpers
 */

#define STR(p)	((p) != NULL ? (p) : "")

/* A NUL-terminated string (NULL: the empty string) as an awsv4_str. */
static awsv4_str
cstr(const char *s)
{
	awsv4_str r;

	r.ptr = s;
	r.len = s != NULL ? strlen(s) : 0;
	return (r);
}

/* The library's message without its "awsv4: " prefix (we add ours). */
static const char *
lib_msg(const awsv4_err *err, int rc)
{
	const char *m = err->message;

	if (*m == '\0')
		return (awsv4_strerror(rc));
	if (strncmp(m, "awsv4: ", 7) == 0)
		m += 7;
	return (m);
}

/*
 * Keep one library result in the current reservation: move it to the
 * start of the reserved space, NUL-terminated, release the rest and
 * return it. The reservation starts at buf.
 */
static const char *
ws_keep(struct ws *ws, char *buf, awsv4_str s)
{

	if (s.len > 0 && s.ptr != buf)
		memmove(buf, s.ptr, s.len);
	buf[s.len] = '\0';
	WS_Release(ws, (unsigned)s.len + 1);
	return (buf);
}

/* need: bytes the call needed in all (0: unknown), have: bytes it had. */
static void
fail_ws(VRT_CTX, const char *what, size_t need, size_t have)
{
	const char *which = ctx->bo != NULL ? "workspace_backend" :
	    ctx->req != NULL ? "workspace_client" : "the workspace";

	if (need > have)
		VRT_fail(ctx, "awsv4: %s: out of workspace (%zu bytes more "
		    "needed): raise %s", what, need - have, which);
	else
		VRT_fail(ctx, "awsv4: %s: out of workspace: raise %s",
		    what, which);
}

/*--------------------------------------------------------------------
 * A small pool of hashers. A hasher is reset by awsv4_hasher_final, so
 * reusing one saves two library calls (new, destroy) per hashed body.
 * Shared by all VCLs; drained when the last VCL using the VMOD goes.
 */

#define HASHER_POOL_MAX 64

static pthread_mutex_t hasher_mtx = PTHREAD_MUTEX_INITIALIZER;
static awsv4_hasher *hasher_pool[HASHER_POOL_MAX];
static unsigned hasher_npool;

static awsv4_hasher *
hasher_get(awsv4_err *err)
{
	awsv4_hasher *h = NULL;

	AZ(pthread_mutex_lock(&hasher_mtx));
	if (hasher_npool > 0)
		h = hasher_pool[--hasher_npool];
	AZ(pthread_mutex_unlock(&hasher_mtx));
	if (h == NULL)
		h = awsv4_hasher_new(err);
	return (h);
}

/* Give back a hasher that was finalized (i.e. reset). */
static void
hasher_put(awsv4_hasher *h)
{

	AZ(pthread_mutex_lock(&hasher_mtx));
	if (hasher_npool < HASHER_POOL_MAX) {
		hasher_pool[hasher_npool++] = h;
		h = NULL;
	}
	AZ(pthread_mutex_unlock(&hasher_mtx));
	if (h != NULL)
		(void)awsv4_hasher_destroy(h);
}

static void
hasher_drain(void)
{
	awsv4_hasher *h;

	while (1) {
		AZ(pthread_mutex_lock(&hasher_mtx));
		h = hasher_npool > 0 ? hasher_pool[--hasher_npool] : NULL;
		AZ(pthread_mutex_unlock(&hasher_mtx));
		if (h == NULL)
			break;
		(void)awsv4_hasher_destroy(h);
	}
}

/*--------------------------------------------------------------------
 * Body hashing: one library call per storage chunk, the digest taken
 * after the iterator returns (OBJ_ITER_END does not always arrive).
 */

struct body_hash {
	unsigned		magic;
#define BODY_HASH_MAGIC		0x3c0e91d5
	awsv4_hasher		*h;
	int			failed;
	awsv4_err		err;
};

static int v_matchproto_(objiterate_f)
body_hash_cb(void *priv, unsigned flush, const void *ptr, ssize_t len)
{
	struct body_hash *bh;

	CAST_OBJ_NOTNULL(bh, priv, BODY_HASH_MAGIC);
	(void)flush;
	if (len <= 0)
		return (0);
	if (awsv4_hasher_update(bh->h, ptr, (size_t)len, &bh->err) !=
	    AWSV4_OK) {
		bh->failed = 1;
		return (-1);
	}
	return (0);
}

/*
 * Hash the cached request body into hex: the client's (VRB_Iterate,
 * ctx->req) or the backend request's (ObjIterate on bo->bereq_body, with
 * final=0 so that the body is kept). Returns 0, or -1 after VRT_fail.
 */
static int
hash_body(VRT_CTX, const char *what, char hex[AWSV4_HASH_HEX_SIZE])
{
	struct body_hash bh;
	int rc, iter_failed;

	INIT_OBJ(&bh, BODY_HASH_MAGIC);
	bh.h = hasher_get(&bh.err);
	if (bh.h == NULL) {
		VRT_fail(ctx, "awsv4: %s: %s", what, lib_msg(&bh.err, -1));
		return (-1);
	}
	if (ctx->bo != NULL) {
		CHECK_OBJ_NOTNULL(ctx->bo, BUSYOBJ_MAGIC);
		AN(ctx->bo->bereq_body);
		iter_failed = ObjIterate(ctx->bo->wrk, ctx->bo->bereq_body,
		    &bh, body_hash_cb, 0) != 0;
	} else {
		CHECK_OBJ_NOTNULL(ctx->req, REQ_MAGIC);
		iter_failed = VRB_Iterate(ctx->req->wrk, ctx->vsl, ctx->req,
		    body_hash_cb, &bh) < 0;
	}
	if (bh.failed) {
		(void)awsv4_hasher_destroy(bh.h);
		VRT_fail(ctx, "awsv4: %s: hashing the body: %s", what,
		    lib_msg(&bh.err, bh.err.code));
		return (-1);
	}
	if (iter_failed) {
		(void)awsv4_hasher_destroy(bh.h);
		VRT_fail(ctx, "awsv4: %s: could not read the cached request "
		    "body", what);
		return (-1);
	}
	rc = awsv4_hasher_final(bh.h, hex, &bh.err);
	if (rc != AWSV4_OK) {
		(void)awsv4_hasher_destroy(bh.h);
		VRT_fail(ctx, "awsv4: %s: hashing the body: %s", what,
		    lib_msg(&bh.err, rc));
		return (-1);
	}
	hasher_put(bh.h);
	return (0);
}

/*--------------------------------------------------------------------
 * S3 path escaping into the workspace. Paths made of unreserved bytes and
 * '/' only are their own canonical form: no library call for them.
 */

static int
s3_path_is_canonical(const char *p, size_t len)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)p[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~' || c == '/'))
			return (0);
	}
	return (1);
}

/*
 * Escape path; when tail is not NULL append "?" tail (a query). Returns a
 * workspace string, or NULL after VRT_fail.
 */
static const char *
s3_escape_ws(VRT_CTX, const char *what, awsv4_str path, awsv4_str tail,
    int with_tail)
{
	awsv4_err err;
	awsv4_str out;
	size_t needed = 0, n;
	unsigned u;
	char *buf;
	int rc;

	u = WS_ReserveAll(ctx->ws);
	buf = WS_Reservation(ctx->ws);
	rc = awsv4_s3_escape_path(path, buf, u, &needed, &out, &err);
	if (rc == AWSV4_E_BUFFER) {
		WS_Release(ctx->ws, 0);
		fail_ws(ctx, what, needed + tail.len + 1, u);
		return (NULL);
	}
	if (rc != AWSV4_OK) {
		WS_Release(ctx->ws, 0);
		VRT_fail(ctx, "awsv4: %s: %s", what, lib_msg(&err, rc));
		return (NULL);
	}
	if (out.len > 0 && out.ptr != buf)
		memmove(buf, out.ptr, out.len);
	n = out.len;
	if (with_tail) {
		if (n + 1 + tail.len + 1 > u) {
			WS_Release(ctx->ws, 0);
			fail_ws(ctx, what, n + 1 + tail.len + 1, u);
			return (NULL);
		}
		buf[n++] = '?';
		if (tail.len > 0)
			memcpy(buf + n, tail.ptr, tail.len);
		n += tail.len;
	}
	buf[n] = '\0';
	WS_Release(ctx->ws, (unsigned)n + 1);
	return (buf);
}

/*--------------------------------------------------------------------
 * Event: GOMAXPROCS and the hasher pool.
 */

static unsigned n_loaded;
static int max_procs_done;

int v_matchproto_(vmod_event_f)
VPFX(event_function)(VRT_CTX, struct vmod_priv *priv, enum vcl_event_e e)
{
	long ncpu;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	(void)priv;

	/* Events run in the CLI thread, one at a time: no locking. */
	switch (e) {
	case VCL_EVENT_LOAD:
		n_loaded++;
		/* ARCHITECTURE §4.1 rule 8: about 4 Ps per CPU, once per
		 * process, unless the environment says otherwise. */
		if (!max_procs_done) {
			max_procs_done = 1;
			if (getenv("GOMAXPROCS") == NULL) {
				ncpu = sysconf(_SC_NPROCESSORS_ONLN);
				if (ncpu < 1)
					ncpu = 1;
				if (ncpu > 256)
					ncpu = 256;
				(void)awsv4_set_max_procs((int)(4 * ncpu));
			}
		}
		break;
	case VCL_EVENT_DISCARD:
		if (n_loaded > 0 && --n_loaded == 0)
			hasher_drain();
		break;
	default:
		break;
	}
	return (0);
}

/*--------------------------------------------------------------------
 * Object: signer
 */

/* Split a comma-separated list of names into *out (malloc'ed views into
 * s, which the library copies). Returns the count, or -1 without memory. */
static int
split_names(const char *s, awsv4_str **out)
{
	const char *p, *b, *e;
	size_t n = 1, i = 0;
	awsv4_str *v;

	*out = NULL;
	for (p = s; *p != '\0'; p++)
		if (*p == ',')
			n++;
	v = calloc(n, sizeof *v);
	if (v == NULL)
		return (-1);
	for (p = s; ; p++) {
		b = p;
		while (*p != '\0' && *p != ',')
			p++;
		e = p;
		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > b) {
			assert(i < n);
			v[i].ptr = b;
			v[i].len = (size_t)(e - b);
			i++;
		}
		if (*p == '\0')
			break;
	}
	*out = v;
	return ((int)i);
}

/* RFC 9110 token: what a header name may hold. */
static int
is_token(awsv4_str s)
{
	size_t i;
	unsigned char c;

	if (s.len == 0)
		return (0);
	for (i = 0; i < s.len; i++) {
		c = (unsigned char)s.ptr[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') ||
		    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL)))
			return (0);
	}
	return (1);
}

/* Refuse a list entry that is not a header name. 0 or -1 after VRT_fail. */
static int
check_names(VRT_CTX, const char *name, const char *arg, const awsv4_str *v,
    int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (is_token(v[i]))
			continue;
		VRT_fail(ctx, "awsv4: signer %s: %s: \"%.*s\" is not a header "
		    "name", name, arg, (int)v[i].len, v[i].ptr);
		return (-1);
	}
	return (0);
}

/*
 * The credentials argument names a source. Anything else is refused
 * without being echoed: it may be a key pasted by mistake.
 */
static awsv4_creds *
creds_from_source(VRT_CTX, const char *name, const char *src,
    const char *profile)
{
	awsv4_creds *c = NULL;
	awsv4_err err;
	const char *path;

	memset(&err, 0, sizeof err);
	if (!strcmp(src, "default") || !strcmp(src, "env")) {
		if (*profile != '\0') {
			VRT_fail(ctx, "awsv4: signer %s: profile is only used "
			    "with credentials = \"file:/path\"; write "
			    "credentials = \"profile:%s\" instead", name,
			    profile);
			return (NULL);
		}
		if (!strcmp(src, "env"))
			c = awsv4_creds_env(&err);
		else
			c = awsv4_creds_default_chain(&err);
	} else if (!strncmp(src, "file:", 5)) {
		path = src + 5;
		if (*path != '/') {
			VRT_fail(ctx, "awsv4: signer %s: credentials = "
			    "\"file:...\" needs an absolute path", name);
			return (NULL);
		}
		/* That credentials file only: no config file. The default
		 * one (~/.aws/config) is often unreadable for the jailed
		 * child (HOME of the user who started varnishd), and the
		 * library treats an unreadable file as a hard error. */
		c = awsv4_creds_file(cstr(path),
		    AWSV4_STR("/dev/null"), cstr(profile), &err);
	} else if (!strncmp(src, "profile:", 8)) {
		if (src[8] == '\0') {
			VRT_fail(ctx, "awsv4: signer %s: credentials = "
			    "\"profile:NAME\" needs a profile name", name);
			return (NULL);
		}
		if (*profile != '\0' && strcmp(profile, src + 8)) {
			VRT_fail(ctx, "awsv4: signer %s: profile \"%s\" "
			    "contradicts credentials = \"%s\"", name,
			    profile, src);
			return (NULL);
		}
		c = awsv4_creds_file(cstr(""), cstr(""),
		    cstr(src + 8), &err);
	} else {
		VRT_fail(ctx, "awsv4: signer %s: credentials must name a "
		    "source: \"default\", \"env\", \"file:/path\" or "
		    "\"profile:NAME\" (keys never go into VCL; the value "
		    "given is not shown)", name);
		return (NULL);
	}
	if (c == NULL)
		VRT_fail(ctx, "awsv4: signer %s: %s", name,
		    lib_msg(&err, err.code));
	return (c);
}

VCL_VOID
vmod_signer__init(VRT_CTX, struct VPFX(awsv4_signer) **sgp,
    const char *vcl_name, VCL_STRING region, VCL_STRING service,
    VCL_STRING credentials, VCL_STRING profile, VCL_BOOL s3,
    VCL_BOOL content_sha256, VCL_BOOL unsigned_payload,
    VCL_STRING sign_headers, VCL_STRING exclude_headers,
    VCL_DURATION presign_expires)
{
	struct VPFX(awsv4_signer) *sg;
	static const awsv4_str host_only[1] = {{ "host", 4 }};
	awsv4_signer_options opts;
	awsv4_str *inc = NULL, *exc = NULL;
	awsv4_creds *creds;
	awsv4_signer *s;
	awsv4_err err;
	int ninc, nexc, rc;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(sgp);
	AZ(*sgp);
	AN(vcl_name);

	if (!(presign_expires >= 1.0 && presign_expires <= 604800.0)) {
		VRT_fail(ctx, "awsv4: signer %s: presign_expires must be "
		    "between 1s and 7d", vcl_name);
		return;
	}

	creds = creds_from_source(ctx, vcl_name, STR(credentials),
	    STR(profile));
	if (creds == NULL)
		return;

	ninc = split_names(STR(sign_headers), &inc);
	nexc = split_names(STR(exclude_headers), &exc);
	if (ninc < 0 || nexc < 0) {
		free(inc);
		free(exc);
		(void)awsv4_creds_destroy(creds);
		VRT_fail(ctx, "awsv4: signer %s: out of memory", vcl_name);
		return;
	}

	if (check_names(ctx, vcl_name, "sign_headers", inc, ninc) ||
	    check_names(ctx, vcl_name, "exclude_headers", exc, nexc)) {
		free(inc);
		free(exc);
		(void)awsv4_creds_destroy(creds);
		return;
	}

	awsv4_signer_options_init(&opts);
	opts.s3 = s3 ? 1 : 0;
	opts.add_content_sha256 = content_sha256 ? 1 : 0;
	opts.unsigned_payload = unsigned_payload ? 1 : 0;
	/* Always an allow-list: host and x-amz-* at least. An empty
	 * list would mean "sign every header" to the library. */
	if (ninc > 0) {
		opts.include_headers = inc;
		opts.ninclude = (size_t)ninc;
	} else {
		opts.include_headers = host_only;
		opts.ninclude = 1;
	}
	opts.exclude_headers = exc;
	opts.nexclude = (size_t)nexc;
	opts.presign_expires = (int64_t)presign_expires;

	s = awsv4_signer_new(cstr(STR(region)), cstr(STR(service)),
	    creds, &opts, &err);
	free(inc);
	free(exc);
	if (s == NULL) {
		(void)awsv4_creds_destroy(creds);
		VRT_fail(ctx, "awsv4: signer %s: %s", vcl_name,
		    lib_msg(&err, err.code));
		return;
	}

	/* Fail the load now rather than answer 503 later. */
	rc = awsv4_creds_check(creds, &err);
	(void)awsv4_creds_destroy(creds);
	if (rc != AWSV4_OK) {
		(void)awsv4_signer_destroy(s);
		VRT_fail(ctx, "awsv4: signer %s: %s", vcl_name,
		    lib_msg(&err, rc));
		return;
	}

	ALLOC_OBJ(sg, AWSV4_SIGNER_MAGIC);
	if (sg == NULL || (sg->vcl_name = strdup(vcl_name)) == NULL) {
		free(sg);
		(void)awsv4_signer_destroy(s);
		VRT_fail(ctx, "awsv4: signer %s: out of memory", vcl_name);
		return;
	}
	sg->signer = s;
	sg->s3 = s3 ? 1 : 0;
	sg->unsigned_payload = unsigned_payload ? 1 : 0;
	*sgp = sg;
}

VCL_VOID
vmod_signer__fini(struct VPFX(awsv4_signer) **sgp)
{
	struct VPFX(awsv4_signer) *sg;

	TAKE_OBJ_NOTNULL(sg, sgp, AWSV4_SIGNER_MAGIC);
	(void)awsv4_signer_destroy(sg->signer);
	free(sg->vcl_name);
	FREE_OBJ(sg);
}

/*--------------------------------------------------------------------
 * .sign()
 */

/* Split hd (a "Name: value" header) into a pair. 0 if malformed. */
static int
header_pair(const txt *hd, awsv4_header *h)
{
	const char *b = hd->b, *e = hd->e, *c;

	if (b == NULL || e == NULL || e <= b)
		return (0);
	c = memchr(b, ':', (size_t)(e - b));
	if (c == NULL || c == b)
		return (0);
	h->name.ptr = b;
	h->name.len = (size_t)(c - b);
	for (c++; c < e && (*c == ' ' || *c == '\t'); c++)
		continue;
	h->value.ptr = c;
	h->value.len = (size_t)(e - c);
	return (1);
}

/* Append "name: value\0" at *p if it fits before end. */
static int
put_line(char **p, const char *end, const char *name, awsv4_str v)
{
	size_t nl = strlen(name);

	if ((size_t)(end - *p) < nl + 2 + v.len + 1)
		return (0);
	memcpy(*p, name, nl);
	(*p)[nl] = ':';
	(*p)[nl + 1] = ' ';
	memcpy(*p + nl + 2, v.ptr, v.len);
	(*p)[nl + 2 + v.len] = '\0';
	*p += nl + 2 + v.len + 1;
	return (1);
}

/* A header value Varnish may send as is: no CR, LF, NUL or other control. */
static int
header_value_ok(awsv4_str v)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < v.len; i++) {
		c = (unsigned char)v.ptr[i];
		if (c < 0x20 || c == 0x7f)
			return (0);
	}
	return (1);
}

static size_t
str_end(const char *buf, awsv4_str s)
{
	if (s.ptr == NULL)
		return (0);
	return ((size_t)(s.ptr - buf) + s.len + 1);
}

/* Point r->path and r->query at the two parts of url[0..len); return the
 * '?' or NULL. */
static const char *
split_url(const char *url, size_t len, awsv4_request *r)
{
	const char *q = memchr(url, '?', len);

	r->path.ptr = url;
	r->path.len = q != NULL ? (size_t)(q - url) : len;
	if (q != NULL) {
		r->query.ptr = q + 1;
		r->query.len = len - r->path.len - 1;
	}
	return (q);
}

VCL_VOID
vmod_signer_sign(VRT_CTX, struct VPFX(awsv4_signer) *sg,
    struct VARGS(signer_sign) *a)
{
	char what[128], hex[AWSV4_HASH_HEX_SIZE];
	const char *url, *q, *v, *newurl;
	struct {
		const char	*name;
		awsv4_str	v;
	} set[4] = {
		{ "Authorization", { NULL, 0 } },
		{ "X-Amz-Date", { NULL, 0 } },
		{ "X-Amz-Security-Token", { NULL, 0 } },
		{ "X-Amz-Content-Sha256", { NULL, 0 } },
	};
	const char *lines[4];
	size_t off[4];
	struct busyobj *bo;
	struct http *hp;
	awsv4_header *hdrs;
	awsv4_request r;
	awsv4_signed out;
	awsv4_err err;
	size_t needed = 0, used, ulen, total;
	unsigned u, nh, i, nlines;
	char *buf, *p, *end;
	int rc;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(sg, AWSV4_SIGNER_MAGIC);
	AN(a);

	if (ctx->method != VCL_MET_BACKEND_FETCH) {
		VRT_fail(ctx, "awsv4: sign() must be called in "
		    "vcl_backend_fetch");
		return;
	}
	bo = ctx->bo;
	CHECK_OBJ_NOTNULL(bo, BUSYOBJ_MAGIC);
	hp = ctx->http_bereq;
	CHECK_OBJ_NOTNULL(hp, HTTP_MAGIC);
	(void)snprintf(what, sizeof what, "%s.sign()", sg->vcl_name);

	memset(&r, 0, sizeof r);
	if (a->valid_time) {
		if (!(a->time >= 1.0 && a->time < 253402300800.0)) {
			VRT_fail(ctx, "awsv4: %s: time out of range", what);
			return;
		}
		r.time = (int64_t)a->time;
	}

	if (!http_GetHdr(hp, H_Host, NULL)) {
		VRT_fail(ctx, "awsv4: %s: bereq has no Host header: set "
		    "bereq.http.host to the AWS host name", what);
		return;
	}
	if (hp->hd[HTTP_HDR_METHOD].b == NULL ||
	    hp->hd[HTTP_HDR_URL].b == NULL) {
		VRT_fail(ctx, "awsv4: %s: bereq has no method or URL", what);
		return;
	}
	r.method.ptr = hp->hd[HTTP_HDR_METHOD].b;
	r.method.len = Tlen(hp->hd[HTTP_HDR_METHOD]);

	/* Path and query, from bereq.url. */
	url = hp->hd[HTTP_HDR_URL].b;
	ulen = Tlen(hp->hd[HTTP_HDR_URL]);
	q = split_url(url, ulen, &r);

	/* S3: send the canonical path, so that wire == signed. */
	if (sg->s3 && !s3_path_is_canonical(r.path.ptr, r.path.len)) {
		newurl = s3_escape_ws(ctx, what, r.path, r.query, q != NULL);
		if (newurl == NULL)
			return;
		http_SetH(hp, HTTP_HDR_URL, newurl);
		ulen = strlen(newurl);
		q = memchr(newurl, '?', ulen);
		r.path.ptr = newurl;
		r.path.len = q != NULL ? (size_t)(q - newurl) : ulen;
		r.query.ptr = q != NULL ? q + 1 : NULL;
		r.query.len = q != NULL ? ulen - r.path.len - 1 : 0;
	}

	/* Payload hash: VCL's, else the cached body's, else empty. */
	if (http_GetHdr(hp, H_X_Amz_Content_Sha256, &v) && *v != '\0') {
		r.payload_hash.ptr = v;
		r.payload_hash.len = strlen(v);
	} else if (sg->unsigned_payload) {
		/* empty: the library signs UNSIGNED-PAYLOAD */
	} else if (bo->bereq_body != NULL) {
		if (hash_body(ctx, what, hex))
			return;
		r.payload_hash.ptr = hex;
		r.payload_hash.len = AWSV4_HASH_HEX_SIZE - 1;
	} else if (bo->req != NULL) {
		VRT_fail(ctx, "awsv4: request body not cached: call "
		    "std.cache_req_body() in vcl_recv first");
		return;
	}

	/* Every header, as pointer+length views of bereq. */
	assert(hp->nhd >= HTTP_HDR_FIRST);
	nh = hp->nhd - HTTP_HDR_FIRST;
	hdrs = WS_Alloc(ctx->ws, (unsigned)(nh * sizeof *hdrs));
	if (hdrs == NULL) {
		fail_ws(ctx, what, 0, 0);
		return;
	}
	for (i = 0, u = HTTP_HDR_FIRST; u < hp->nhd; u++)
		if (header_pair(&hp->hd[u], &hdrs[i]))
			i++;
	r.headers = hdrs;
	r.nheaders = i;

	/* One library call; the values land in the workspace. */
	u = WS_ReserveAll(ctx->ws);
	buf = WS_Reservation(ctx->ws);
	memset(&out, 0, sizeof out);
	rc = awsv4_sign(sg->signer, &r, buf, u, &needed, &out, &err);
	if (rc == AWSV4_E_BUFFER) {
		WS_Release(ctx->ws, 0);
		fail_ws(ctx, what, needed, u);
		return;
	}
	if (rc != AWSV4_OK) {
		WS_Release(ctx->ws, 0);
		VRT_fail(ctx, "awsv4: %s: %s", what, lib_msg(&err, rc));
		return;
	}

	/* Build the header lines after the values, then move them to the
	 * start of the reservation and keep only them. */
	used = str_end(buf, out.authorization);
	if (str_end(buf, out.date) > used)
		used = str_end(buf, out.date);
	if (str_end(buf, out.security_token) > used)
		used = str_end(buf, out.security_token);
	if (str_end(buf, out.content_sha256) > used)
		used = str_end(buf, out.content_sha256);
	if (str_end(buf, out.signed_headers) > used)
		used = str_end(buf, out.signed_headers);
	assert(used <= u);
	set[0].v = out.authorization;
	set[1].v = out.date;
	set[2].v = out.security_token;
	set[3].v = out.content_sha256;
	if (set[0].v.len == 0 || set[1].v.len == 0) {
		WS_Release(ctx->ws, 0);
		VRT_fail(ctx, "awsv4: %s: the library returned no signature",
		    what);
		return;
	}
	p = buf + used;
	end = buf + u;
	nlines = 0;
	for (i = 0; i < 4; i++) {
		if (set[i].v.len == 0)
			continue;
		/* Never let a value (say, a token read from a file) split
		 * the request: no control characters. */
		if (!header_value_ok(set[i].v)) {
			WS_Release(ctx->ws, 0);
			VRT_fail(ctx, "awsv4: %s: refusing a %s value with "
			    "control characters", what, set[i].name);
			return;
		}
		off[nlines] = (size_t)(p - (buf + used));
		if (!put_line(&p, end, set[i].name, set[i].v)) {
			WS_Release(ctx->ws, 0);
			fail_ws(ctx, what, 0, 0);
			return;
		}
		nlines++;
	}
	total = (size_t)(p - (buf + used));
	memmove(buf, buf + used, total);
	WS_Release(ctx->ws, (unsigned)total);
	for (i = 0; i < nlines; i++)
		lines[i] = buf + off[i];

	/* Replace what was there. */
	http_Unset(hp, H_Authorization);
	http_Unset(hp, H_X_Amz_Date);
	http_Unset(hp, H_X_Amz_Security_Token);
	if (out.content_sha256.len > 0)
		http_Unset(hp, H_X_Amz_Content_Sha256);
	if ((unsigned)hp->nhd + nlines > hp->shd) {
		VRT_fail(ctx, "awsv4: %s: too many bereq headers: raise "
		    "http_max_hdr", what);
		return;
	}
	for (i = 0; i < nlines; i++)
		http_SetHeader(hp, lines[i]);
}

/*--------------------------------------------------------------------
 * .presign()
 */

VCL_STRING
vmod_signer_presign(VRT_CTX, struct VPFX(awsv4_signer) *sg,
    struct VARGS(signer_presign) *a)
{
	char what[128];
	const char *url, *host, *path;
	const struct http *hp = NULL;
	awsv4_header hdr;
	awsv4_request r;
	awsv4_str query;
	awsv4_err err;
	size_t needed = 0, ulen, plen;
	unsigned u;
	char *buf;
	int rc;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	CHECK_OBJ_NOTNULL(sg, AWSV4_SIGNER_MAGIC);
	AN(a);
	(void)snprintf(what, sizeof what, "%s.presign()", sg->vcl_name);

	if (ctx->http_req != NULL)
		hp = ctx->http_req;
	else if (ctx->http_bereq != NULL)
		hp = ctx->http_bereq;

	url = STR(a->url);
	if (*url == '\0' && hp != NULL)
		url = hp->hd[HTTP_HDR_URL].b;
	if (url == NULL || *url == '\0') {
		VRT_fail(ctx, "awsv4: %s: no url", what);
		return (NULL);
	}
	host = STR(a->host);
	if (*host == '\0' && hp != NULL && !http_GetHdr(hp, H_Host, &host))
		host = NULL;
	if (host == NULL || *host == '\0') {
		VRT_fail(ctx, "awsv4: %s: no host", what);
		return (NULL);
	}

	memset(&r, 0, sizeof r);
	if (a->valid_time) {
		if (!(a->time >= 1.0 && a->time < 253402300800.0)) {
			VRT_fail(ctx, "awsv4: %s: time out of range", what);
			return (NULL);
		}
		r.time = (int64_t)a->time;
	}
	r.method = cstr(STR(a->method));

	ulen = strlen(url);
	(void)split_url(url, ulen, &r);
	if (sg->s3 && !s3_path_is_canonical(r.path.ptr, r.path.len)) {
		path = s3_escape_ws(ctx, what, r.path, r.query, 0);
		if (path == NULL)
			return (NULL);
		r.path = cstr(path);
	}

	/* S3 wants UNSIGNED-PAYLOAD in presigned URLs: the body is not known
	 * when the URL is made (AWS S3 docs, "Authenticating Requests: Using
	 * Query Parameters"). Other services: the empty body's hash. */
	if (sg->s3)
		r.payload_hash = AWSV4_STR("UNSIGNED-PAYLOAD");

	/* A presigned URL is used by other clients: sign the host only. */
	hdr.name = AWSV4_STR("Host");
	hdr.value = cstr(host);
	r.headers = &hdr;
	r.nheaders = 1;

	/* Result: "<path>?<query>", the path written first. */
	plen = r.path.len;
	u = WS_ReserveAll(ctx->ws);
	buf = WS_Reservation(ctx->ws);
	if (u < plen + 2) {
		WS_Release(ctx->ws, 0);
		fail_ws(ctx, what, plen + 2, u);
		return (NULL);
	}
	memcpy(buf, r.path.ptr, plen);
	buf[plen] = '?';
	rc = awsv4_presign(sg->signer, &r, buf + plen + 1, u - plen - 1,
	    &needed, &query, &err);
	if (rc == AWSV4_E_BUFFER) {
		WS_Release(ctx->ws, 0);
		fail_ws(ctx, what, needed + plen + 1, u);
		return (NULL);
	}
	if (rc != AWSV4_OK) {
		WS_Release(ctx->ws, 0);
		VRT_fail(ctx, "awsv4: %s: %s", what, lib_msg(&err, rc));
		return (NULL);
	}
	if (query.len > 0 && query.ptr != buf + plen + 1)
		memmove(buf + plen + 1, query.ptr, query.len);
	buf[plen + 1 + query.len] = '\0';
	WS_Release(ctx->ws, (unsigned)(plen + 1 + query.len + 1));
	return (buf);
}

/*--------------------------------------------------------------------
 * Functions
 */

VCL_STRING
vmod_hash_req_body(VRT_CTX)
{
	char hex[AWSV4_HASH_HEX_SIZE];
	const char *s;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	if (ctx->req == NULL || ctx->bo != NULL) {
		VRT_fail(ctx, "awsv4: hash_req_body() must be called on the "
		    "client side (vcl_recv)");
		return (NULL);
	}
	CHECK_OBJ_NOTNULL(ctx->req, REQ_MAGIC);
	if (ctx->req->req_body_status == BS_NONE)
		return (empty_sha256);
	if (ctx->req->req_body_status != BS_CACHED) {
		VRT_fail(ctx, "awsv4: hash_req_body(): request body not "
		    "cached: call std.cache_req_body() first");
		return (NULL);
	}
	if (hash_body(ctx, "hash_req_body()", hex))
		return (NULL);
	s = WS_Copy(ctx->ws, hex, AWSV4_HASH_HEX_SIZE);
	if (s == NULL)
		fail_ws(ctx, "hash_req_body()", 0, 0);
	return (s);
}

VCL_STRING
vmod_lambda_invoke_url(VRT_CTX, VCL_STRING function, VCL_STRING qualifier)
{
	awsv4_str path, query, region;
	awsv4_err err;
	size_t needed = 0, used;
	unsigned u;
	char *buf, *p;
	int rc;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	u = WS_ReserveAll(ctx->ws);
	buf = WS_Reservation(ctx->ws);
	rc = awsv4_lambda_invoke_path(cstr(STR(function)),
	    cstr(STR(qualifier)), buf, u, &needed, &path, &query,
	    &region, &err);
	if (rc == AWSV4_E_BUFFER) {
		WS_Release(ctx->ws, 0);
		fail_ws(ctx, "lambda_invoke_url()", needed, u);
		return (NULL);
	}
	if (rc != AWSV4_OK) {
		WS_Release(ctx->ws, 0);
		VRT_fail(ctx, "awsv4: lambda_invoke_url(): %s",
		    lib_msg(&err, rc));
		return (NULL);
	}
	if (query.len == 0)
		return (ws_keep(ctx->ws, buf, path));
	/* "path?query", composed after the results, then moved down. */
	used = str_end(buf, path);
	if (str_end(buf, query) > used)
		used = str_end(buf, query);
	if (str_end(buf, region) > used)
		used = str_end(buf, region);
	if (used + path.len + 1 + query.len + 1 > u) {
		WS_Release(ctx->ws, 0);
		fail_ws(ctx, "lambda_invoke_url()",
		    used + path.len + query.len + 2, u);
		return (NULL);
	}
	p = buf + used;
	memcpy(p, path.ptr, path.len);
	p[path.len] = '?';
	memcpy(p + path.len + 1, query.ptr, query.len);
	p[path.len + 1 + query.len] = '\0';
	memmove(buf, p, path.len + query.len + 2);
	WS_Release(ctx->ws, (unsigned)(path.len + query.len + 2));
	return (buf);
}

VCL_STRING
vmod_lambda_region(VRT_CTX, VCL_STRING s)
{
	awsv4_str path, query, region;
	awsv4_err err;
	size_t needed = 0;
	unsigned u;
	char *buf;
	int rc;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	if (s == NULL || *s == '\0')
		return ("");
	u = WS_ReserveAll(ctx->ws);
	buf = WS_Reservation(ctx->ws);
	memset(&region, 0, sizeof region);
	if (!strncmp(s, "arn:", 4))
		rc = awsv4_lambda_invoke_path(cstr(s), cstr(""),
		    buf, u, &needed, &path, &query, &region, &err);
	else
		rc = awsv4_lambda_url_region(cstr(s), buf, u, &needed,
		    &region, &err);
	if (rc == AWSV4_E_INVALID) {
		/* Not an ARN or Function URL host: no region. */
		WS_Release(ctx->ws, 0);
		return ("");
	}
	if (rc == AWSV4_E_BUFFER) {
		WS_Release(ctx->ws, 0);
		fail_ws(ctx, "lambda_region()", needed, u);
		return (NULL);
	}
	if (rc != AWSV4_OK) {
		WS_Release(ctx->ws, 0);
		VRT_fail(ctx, "awsv4: lambda_region(): %s", lib_msg(&err, rc));
		return (NULL);
	}
	return (ws_keep(ctx->ws, buf, region));
}

VCL_STRING
vmod_s3_escape_path(VRT_CTX, VCL_STRING path)
{
	awsv4_str none = { NULL, 0 };

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	return (s3_escape_ws(ctx, "s3_escape_path()", cstr(STR(path)),
	    none, 0));
}

/* Whether a header line is X-Amz-* or X-Amzn-*. */
static int
is_amz_header(const txt *t)
{
	static const char p[] = "x-amz";
	size_t n = sizeof p - 1;

	return (Tlen(*t) > n + 1 && strncasecmp(t->b, p, n) == 0 &&
	    (t->b[n] == '-' || ((t->b[n] == 'n' || t->b[n] == 'N') &&
	    t->b[n + 1] == '-')));
}

VCL_VOID
vmod_strip_amz_headers(VRT_CTX)
{
	struct http *hp;
	char name[256];
	const char *colon;
	unsigned u;
	size_t n;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	if (ctx->method & VCL_MET_TASK_B)
		hp = ctx->http_bereq;
	else if (ctx->method & VCL_MET_TASK_C)
		hp = ctx->http_req;
	else
		hp = NULL;
	if (hp == NULL) {
		VRT_fail(ctx, "awsv4: strip_amz_headers() needs a request: "
		    "call it in vcl_recv or vcl_backend_fetch");
		return;
	}
	/* http_Unset() removes every copy of one name and logs it; take the
	 * names one at a time, as "<length>name:" like Varnish's H_ strings. */
	for (u = HTTP_HDR_FIRST; u < hp->nhd; ) {
		if (!is_amz_header(&hp->hd[u])) {
			u++;
			continue;
		}
		colon = memchr(hp->hd[u].b, ':', Tlen(hp->hd[u]));
		n = colon != NULL ? (size_t)(colon - hp->hd[u].b) : Tlen(hp->hd[u]);
		if (n + 3 > sizeof name) { /* too long for a name string: drop the line */
			memmove(&hp->hd[u], &hp->hd[u + 1],
			    (hp->nhd - u - 1) * sizeof *hp->hd);
			memmove(&hp->hdf[u], &hp->hdf[u + 1],
			    (hp->nhd - u - 1) * sizeof *hp->hdf);
			hp->nhd--;
			continue;
		}
		name[0] = (char)(n + 1);
		memcpy(name + 1, hp->hd[u].b, n);
		name[n + 1] = ':';
		name[n + 2] = '\0';
		http_Unset(hp, name);
	}
}

VCL_INT
vmod_max_procs(VRT_CTX, VCL_INT n)
{
	int rc;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	if (n > INT_MAX)
		n = INT_MAX;
	rc = awsv4_set_max_procs(n > 0 ? (int)n : 0);
	if (rc < 0) {
		VRT_fail(ctx, "awsv4: max_procs(): %s", awsv4_strerror(rc));
		return (0);
	}
	return (rc);
}
