/*
 * vmod_awsv4_funcs.c - the VMOD's functions besides body hashing: Lambda Invoke
 * URLs and regions, S3 path escaping, stripping client X-Amz-* headers,
 * GOMAXPROCS.
 */

#include "vmod_awsv4.h"

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
	if (rc != AWSV4_OK) {
		fail_reserved(ctx, "lambda_invoke_url()", rc, &err, needed, u);
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
	if (rc != AWSV4_OK) {
		fail_reserved(ctx, "lambda_region()", rc, &err, needed, u);
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
