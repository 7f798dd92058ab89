/*
 * vmod_awsv4_util.c - helpers the VMOD's files share: library strings and
 * messages, workspace results and failures, S3 path escaping.
 */

#include "vmod_awsv4.h"

/* A NUL-terminated string (NULL: the empty string) as an awsv4_str. */
awsv4_str
cstr(const char *s)
{
	awsv4_str r;

	r.ptr = s;
	r.len = s != NULL ? strlen(s) : 0;
	return (r);
}

/* The library's message without its "awsv4: " prefix (we add ours). */
const char *
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
const char *
ws_keep(struct ws *ws, char *buf, awsv4_str s)
{

	if (s.len > 0 && s.ptr != buf)
		memmove(buf, s.ptr, s.len);
	buf[s.len] = '\0';
	WS_Release(ws, (unsigned)s.len + 1);
	return (buf);
}

/* need: bytes the call needed in all (0: unknown), have: bytes it had. */
void
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

/*
 * A library call that wrote into a workspace reservation failed with rc:
 * release the reservation and fail the VCL. need: the bytes the whole
 * result would have needed (for AWSV4_E_BUFFER), have: the reserved bytes.
 */
void
fail_reserved(VRT_CTX, const char *what, int rc, const awsv4_err *err,
    size_t need, unsigned have)
{

	WS_Release(ctx->ws, 0);
	if (rc == AWSV4_E_BUFFER)
		fail_ws(ctx, what, need, have);
	else
		VRT_fail(ctx, "awsv4: %s: %s", what, lib_msg(err, rc));
}

/* The offset just past s and its NUL in buf (0 for a NULL s). */
size_t
str_end(const char *buf, awsv4_str s)
{
	if (s.ptr == NULL)
		return (0);
	return ((size_t)(s.ptr - buf) + s.len + 1);
}

/*--------------------------------------------------------------------
 * S3 path escaping into the workspace. Paths made of unreserved bytes and
 * '/' only are their own canonical form: no library call for them.
 */

int
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
const char *
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
	if (rc != AWSV4_OK) {
		fail_reserved(ctx, what, rc, &err, needed + tail.len + 1, u);
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
