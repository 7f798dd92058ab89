/*
 * vmod_awsv4_body.c - SHA-256 of a cached request body, chunk by chunk as
 * Varnish stores it (bodies hold NUL bytes: never a C string), through
 * a pool of library hashers.
 */

#include "vmod_awsv4.h"

/* SHA-256 of the empty string. */
static const char empty_sha256[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

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

void
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
int
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
