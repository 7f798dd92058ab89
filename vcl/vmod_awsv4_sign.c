/*
 * vmod_awsv4_sign.c - .sign() and .presign(): bereq (or a URL) in, one
 * libawsv4 call, signed headers (or a presigned URL) out, in the
 * workspace.
 */

#include "vmod_awsv4.h"

/* Headers this VMOD sets (hdr_t: length byte, name, colon). */
static const char H_X_Amz_Date[] = "\013X-Amz-Date:";
static const char H_X_Amz_Security_Token[] = "\025X-Amz-Security-Token:";
static const char H_X_Amz_Content_Sha256[] = "\025X-Amz-Content-Sha256:";

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
	if (rc != AWSV4_OK) {
		fail_reserved(ctx, what, rc, &err, needed, u);
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
	if (rc != AWSV4_OK) {
		fail_reserved(ctx, what, rc, &err, needed + plen + 1, u);
		return (NULL);
	}
	if (query.len > 0 && query.ptr != buf + plen + 1)
		memmove(buf + plen + 1, query.ptr, query.len);
	buf[plen + 1 + query.len] = '\0';
	WS_Release(ctx->ws, (unsigned)(plen + 1 + query.len + 1));
	return (buf);
}
