/*
 * errors_test.c - every error path of every function in awsv4.h, held to
 * the header's contract:
 *   - NULL, wrong-kind, destroyed and made-up handles, and double
 *     destroy: AWSV4_E_HANDLE, never a crash; a wrong-kind destroy must
 *     not destroy the other object;
 *   - {NULL, n>0} strings: AWSV4_E_INVALID; NULL out pointers too;
 *   - buffers: buflen 0 and one byte short give AWSV4_E_BUFFER with the
 *     exact *needed and nothing written; exactly *needed bytes succeed;
 *   - malformed request fields, bad credentials, regions, expiry;
 *   - err: NULL accepted by every call (each EXPECT runs its call twice,
 *     with &err and with NULL); on success code 0 and message ""; on
 *     failure the same code as returned; the message is NUL-terminated
 *     inside the struct and never holds a secret, a session token or a
 *     derived key (every message this program gets is searched);
 *   - awsv4_strerror, awsv4_version, awsv4_set_max_procs,
 *     awsv4_thread_prepare, awsv4_signer_options_init;
 *   - the environment source, run in child processes started with a
 *     controlled environment.
 */
#define _XOPEN_SOURCE 700

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "awsv4.h"
#include "check.h"

/* The suite's credentials (FORMAT.md §5) and a session token. */
#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN "FQoGZXIvYXdzEXAMPLESESSIONTOKEN/+/aGVsbG8=="
/* The v4 signing key of SECRET for 20150830/us-east-1/service (FORMAT.md §8). */
#define DERIVED "938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75"
#define T20150830 1440938160 /* 2015-08-30T12:36:00Z */

/* Strings that must never appear in an error message. */
static const char *const secrets[] = {
	SECRET, "AWS4" SECRET, TOKEN, DERIVED, "EXAMPLEKEY", "SECRETMARK", "SESSIONTOKEN", NULL
};

static int messages_seen;
static const char *ctx_note; /* printed with a failure: which input of a loop */

/* Checks one returned code and the err that came with it. */
static void
expect_at(const char *file, int line, const char *expr, int rc, int want,
    const awsv4_err *e, const char *mention)
{
	const char *nul = memchr(e->message, '\0', sizeof e->message);
	int i;

	if (rc != want) {
		ct_fail_at(file, line, expr, "%s%s%sreturned %d (%s), want %d (%s); message: %.*s",
		    ctx_note ? "input \"" : "", ctx_note ? ctx_note : "", ctx_note ? "\": " : "",
		    rc, awsv4_strerror(rc), want, awsv4_strerror(want),
		    nul ? (int)(nul - e->message) : 0, e->message);
		return;
	}
	atomic_fetch_add(&ct_passed, 1);
	if (nul == NULL) {
		ct_fail_at(file, line, expr, "err->message is not NUL-terminated");
		return;
	}
	if (e->code != want)
		ct_fail_at(file, line, expr, "err->code %d, want %d", e->code, want);
	else
		atomic_fetch_add(&ct_passed, 1);
	if (want == AWSV4_OK) {
		if (e->message[0] != '\0')
			ct_fail_at(file, line, expr, "success with message \"%s\"", e->message);
		return;
	}
	messages_seen++;
	if (e->message[0] == '\0')
		ct_fail_at(file, line, expr, "failure without a message");
	for (i = 0; secrets[i] != NULL; i++)
		if (strstr(e->message, secrets[i]) != NULL)
			ct_fail_at(file, line, expr, "message holds a secret (%s): %s", secrets[i], e->message);
	if (mention != NULL && strstr(e->message, mention) == NULL)
		ct_fail_at(file, line, expr, "message does not name \"%s\": %s", mention, e->message);
	if (getenv("CTEST_VERBOSE") != NULL)
		fprintf(stderr, "  %s:%d: %s\n", file, line, e->message);
}

/*
 * EXPECT(want, call): call may use E as its awsv4_err *; it runs twice,
 * with E pointing to a struct full of garbage and with E NULL.
 * EXPECTM adds a word the message must contain (the input at fault).
 */
#define EXPECTM(want, mention, call) do { \
	awsv4_err ebuf_; \
	awsv4_err *E = &ebuf_; \
	int rc_; \
	memset(&ebuf_, 0x5a, sizeof ebuf_); \
	rc_ = (call); \
	expect_at(__FILE__, __LINE__, #call, rc_, (want), &ebuf_, (mention)); \
	E = NULL; \
	rc_ = (call); \
	CHECKF(rc_ == (want), "%s with err NULL returned %d", #call, rc_); \
} while (0)
#define EXPECT(want, call) EXPECTM(want, NULL, call)

/* The same for the functions that return a handle: NULL and err->code. */
#define EXPECT_NULLM(want, mention, call) do { \
	awsv4_err ebuf_; \
	awsv4_err *E = &ebuf_; \
	void *h_; \
	memset(&ebuf_, 0x5a, sizeof ebuf_); \
	h_ = (void *)(call); \
	CHECKF(h_ == NULL, "%s returned a handle", #call); \
	expect_at(__FILE__, __LINE__, #call, h_ ? AWSV4_OK : ebuf_.code, (want), &ebuf_, (mention)); \
	E = NULL; \
	h_ = (void *)(call); \
	CHECKF(h_ == NULL, "%s with err NULL returned a handle", #call); \
} while (0)
#define EXPECT_NULL(want, call) EXPECT_NULLM(want, NULL, call)

/* A handle value no call ever returned (handles are small integers). */
#define BOGUS(type) ((type *)(uintptr_t)0x7ffe12345678ull)
#define NULLSTR(n) ((awsv4_str){ NULL, (n) })
#define BIN(s) ((awsv4_str){ (s), sizeof(s) - 1 }) /* a literal, NUL bytes included */

/* AWSV4_CSTR for arrays: gcc's -Waddress rejects the macro's NULL test
 * on an array under -Werror. */
static awsv4_str
cstr(const char *s)
{
	return (AWSV4_CSTR(s));
}

/* ---- fixtures ----------------------------------------------------------- */

static awsv4_creds *creds;    /* static: AKID, SECRET, TOKEN */
static awsv4_signer *signer;  /* us-east-1 / service, presign 3600 */
static awsv4_hasher *hasher;

static awsv4_header hdrs[3];

static awsv4_request
good_req(void)
{
	awsv4_request r;

	hdrs[0] = (awsv4_header){ AWSV4_STR("Host"), AWSV4_STR("example.amazonaws.com") };
	hdrs[1] = (awsv4_header){ AWSV4_STR("Content-Type"), AWSV4_STR("application/json") };
	hdrs[2] = (awsv4_header){ AWSV4_STR("X-Amz-Target"), AWSV4_STR("Service.Op") };
	memset(&r, 0, sizeof r);
	r.method = AWSV4_STR("POST");
	r.path = AWSV4_STR("/a/b");
	r.query = AWSV4_STR("x=1&y=2");
	r.headers = hdrs;
	r.nheaders = 3;
	r.payload_hash = AWSV4_STR("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	r.time = T20150830;
	return (r);
}

/* Sign (mode 0) or presign (mode 1) with a large buffer. */
static char bigbuf[16384];

static int
sign_mode(int mode, awsv4_signer *s, const awsv4_request *r, awsv4_err *e)
{
	awsv4_signed out;
	awsv4_str q;
	size_t need;

	if (mode == 0)
		return (awsv4_sign(s, r, bigbuf, sizeof bigbuf, &need, &out, e));
	return (awsv4_presign(s, r, bigbuf, sizeof bigbuf, &need, &q, e));
}

/* ---- buffer contract, for every function with (buf, buflen, needed) ----- */

typedef int (*buf_fn)(void *ctx, char *buf, size_t buflen, size_t *needed, awsv4_err *e);

/* Checks the E_BUFFER protocol of fn; verify checks a successful result
 * (it gets the buffer and its length). */
static void
check_buffer(const char *name, buf_fn fn, void *ctx, int (*verify)(void *ctx, const char *buf, size_t len))
{
	size_t need = 0, need2 = 0;
	char *buf;
	awsv4_err e;
	size_t i;
	int rc;

	/* buflen 0, buf NULL: the size only. */
	memset(&e, 0x5a, sizeof e);
	rc = fn(ctx, NULL, 0, &need, &e);
	expect_at(__FILE__, __LINE__, name, rc, AWSV4_E_BUFFER, &e, NULL);
	CHECKF(need > 0 && need < 1 << 20, "%s: needed %zu", name, need);
	if (rc != AWSV4_E_BUFFER || need == 0 || need >= 1 << 20)
		return;
	/* buflen 0 with a real buffer. */
	buf = xmalloc(need + 16);
	memset(buf, 0xA5, need + 16);
	rc = fn(ctx, buf, 0, &need2, &e);
	expect_at(__FILE__, __LINE__, name, rc, AWSV4_E_BUFFER, &e, NULL);
	CHECKF(need2 == need, "%s: needed %zu then %zu", name, need, need2);
	/* One byte short: E_BUFFER, same size, nothing written. */
	need2 = 0;
	rc = fn(ctx, buf, need - 1, &need2, &e);
	expect_at(__FILE__, __LINE__, name, rc, AWSV4_E_BUFFER, &e, NULL);
	CHECKF(need2 == need, "%s: one short: needed %zu, first said %zu", name, need2, need);
	for (i = 0; i < need + 16 && (unsigned char)buf[i] == 0xA5; i++)
		;
	CHECKF(i == need + 16, "%s: E_BUFFER wrote into the buffer (byte %zu)", name, i);
	/* needed NULL: still E_BUFFER, no crash. */
	rc = fn(ctx, buf, need - 1, NULL, NULL);
	CHECKF(rc == AWSV4_E_BUFFER, "%s: needed NULL, small buffer: %d", name, rc);
	/* buf NULL with a length: a bad argument. */
	rc = fn(ctx, NULL, need, &need2, &e);
	expect_at(__FILE__, __LINE__, name, rc, AWSV4_E_INVALID, &e, NULL);
	/* Exactly needed: success, nothing written past it. */
	need2 = 0;
	memset(&e, 0x5a, sizeof e);
	rc = fn(ctx, buf, need, &need2, &e);
	expect_at(__FILE__, __LINE__, name, rc, AWSV4_OK, &e, NULL);
	CHECKF(need2 == need, "%s: success: needed %zu, want %zu", name, need2, need);
	for (i = need; i < need + 16 && (unsigned char)buf[i] == 0xA5; i++)
		;
	CHECKF(i == need + 16, "%s: wrote past *needed bytes", name);
	if (rc == AWSV4_OK && verify != NULL)
		CHECKF(verify(ctx, buf, need), "%s: result", name);
	for (i = 0; secrets[i] != NULL && rc == AWSV4_OK; i++)
		CHECKF(find_bytes(buf, need, secrets[i], strlen(secrets[i])) == NULL ||
		    strcmp(secrets[i], TOKEN) == 0 || strcmp(secrets[i], "SESSIONTOKEN") == 0,
		    "%s: output holds a secret", name);
	/* needed NULL with a big enough buffer. */
	rc = fn(ctx, buf, need, NULL, NULL);
	CHECKF(rc == AWSV4_OK, "%s: needed NULL: %d", name, rc);
	free(buf);
}

/* Is s a NUL-terminated string lying inside buf[0..len)? */
static int
in_buf(awsv4_str s, const char *buf, size_t len)
{
	return (s.ptr >= buf && s.ptr + s.len < buf + len && s.ptr[s.len] == '\0' &&
	    strlen(s.ptr) == s.len);
}

static awsv4_signed last_signed;
static awsv4_str last_str[3];

static int
thunk_sign(void *ctx, char *buf, size_t buflen, size_t *needed, awsv4_err *e)
{
	return (awsv4_sign(signer, ctx, buf, buflen, needed, &last_signed, e));
}

#define AUTH_PREFIX "AWS4-HMAC-SHA256 Credential=" AKID "/20150830/us-east-1/service/aws4_request, SignedHeaders="

static int
verify_sign(void *ctx, const char *buf, size_t len)
{
	awsv4_signed *o = &last_signed;

	(void)ctx;
	return (in_buf(o->authorization, buf, len) && in_buf(o->date, buf, len) &&
	    in_buf(o->security_token, buf, len) && in_buf(o->content_sha256, buf, len) &&
	    in_buf(o->signed_headers, buf, len) &&
	    o->authorization.len + o->date.len + o->security_token.len + o->content_sha256.len +
	    o->signed_headers.len + 5 == len &&
	    strncmp(o->authorization.ptr, AUTH_PREFIX, sizeof AUTH_PREFIX - 1) == 0 &&
	    strcmp(o->date.ptr, "20150830T123600Z") == 0 &&
	    strcmp(o->security_token.ptr, TOKEN) == 0);
}

static int
thunk_presign(void *ctx, char *buf, size_t buflen, size_t *needed, awsv4_err *e)
{
	return (awsv4_presign(signer, ctx, buf, buflen, needed, &last_str[0], e));
}

/* awsv4.h: "the request's own parameters, then X-Amz-Algorithm,
 * -Credential, -Date, -Expires, -SignedHeaders, -Security-Token,
 * -Signature". */
static int
verify_presign(void *ctx, const char *buf, size_t len)
{
	static const char *const order[] = { "x=1&y=2&X-Amz-Algorithm=AWS4-HMAC-SHA256&",
	    "&X-Amz-Credential=" AKID "%2F20150830%2Fus-east-1%2Fservice%2Faws4_request&",
	    "&X-Amz-Date=20150830T123600Z&", "&X-Amz-Expires=3600&", "&X-Amz-SignedHeaders=",
	    "&X-Amz-Security-Token=", "&X-Amz-Signature=", NULL };
	const char *q = last_str[0].ptr, *at = q, *p;
	int i;

	(void)ctx;
	if (!in_buf(last_str[0], buf, len) || last_str[0].len + 1 != len)
		return (0);
	for (i = 0; order[i] != NULL; i++) {
		p = strstr(at, order[i]);
		if (p == NULL || (i == 0 && p != q)) {
			fprintf(stderr, "  presigned query: \"%s\" missing or out of order in %s\n", order[i], q);
			return (0);
		}
		at = p + 1;
	}
	p = strstr(q, "&X-Amz-Signature=");
	return (is_hex64(p + 17, strlen(p + 17)));
}

struct invoke_args {
	awsv4_str fn, qual;
	const char *path, *query, *region;
};

static int
thunk_invoke(void *ctx, char *buf, size_t buflen, size_t *needed, awsv4_err *e)
{
	struct invoke_args *a = ctx;
	return (awsv4_lambda_invoke_path(a->fn, a->qual, buf, buflen, needed,
	    &last_str[0], &last_str[1], &last_str[2], e));
}

static int
verify_invoke(void *ctx, const char *buf, size_t len)
{
	struct invoke_args *a = ctx;
	int i, ok = 1;

	for (i = 0; i < 3; i++)
		ok = ok && in_buf(last_str[i], buf, len);
	ok = ok && last_str[0].len + last_str[1].len + last_str[2].len + 3 == len;
	ok = ok && strcmp(last_str[0].ptr, a->path) == 0 && strcmp(last_str[1].ptr, a->query) == 0 &&
	    strcmp(last_str[2].ptr, a->region) == 0;
	if (!ok)
		fprintf(stderr, "  invoke path: got [%s] [%s] [%s], want [%s] [%s] [%s]\n",
		    last_str[0].ptr, last_str[1].ptr, last_str[2].ptr, a->path, a->query, a->region);
	return (ok);
}

struct one_arg {
	awsv4_str in;
	const char *want;
};

static int
thunk_url(void *ctx, char *buf, size_t buflen, size_t *needed, awsv4_err *e)
{
	return (awsv4_lambda_url_region(((struct one_arg *)ctx)->in, buf, buflen, needed, &last_str[0], e));
}

static int
thunk_s3(void *ctx, char *buf, size_t buflen, size_t *needed, awsv4_err *e)
{
	return (awsv4_s3_escape_path(((struct one_arg *)ctx)->in, buf, buflen, needed, &last_str[0], e));
}

static int
verify_one(void *ctx, const char *buf, size_t len)
{
	struct one_arg *a = ctx;
	int ok = in_buf(last_str[0], buf, len) && last_str[0].len + 1 == len &&
	    strcmp(last_str[0].ptr, a->want) == 0;

	if (!ok)
		fprintf(stderr, "  got [%s], want [%s]\n", last_str[0].ptr, a->want);
	return (ok);
}

/* ---- library functions -------------------------------------------------- */

static void *
altstack_thread(void *arg)
{
	int mode = (int)(intptr_t)arg;
	stack_t before, after, again, host;
	static char host_stack[64 * 1024]; /* like varnishd's one shared stack */

	memset(&host, 0, sizeof host);
	if (mode == 2) {
		host.ss_sp = host_stack;
		host.ss_size = sizeof host_stack;
		CHECK(sigaltstack(&host, NULL) == 0);
	}
	CHECK(sigaltstack(NULL, &before) == 0); /* ASan gives every thread one too */
	if (mode == 0 || mode == 2) {
		CHECK(awsv4_thread_prepare() == AWSV4_OK);
	} else {
		awsv4_hasher *h = awsv4_hasher_new(NULL); /* any call prepares */
		CHECK(h != NULL);
		CHECK(awsv4_hasher_destroy(h) == AWSV4_OK);
	}
	CHECK(sigaltstack(NULL, &after) == 0);
	CHECKF(!(after.ss_flags & SS_DISABLE) && after.ss_size >= 128 * 1024,
	    "mode %d: no private 128 KiB signal stack after the first call (flags %d, size %zu)",
	    mode, after.ss_flags, after.ss_size);
	if (mode == 2)
		CHECKF(before.ss_sp == (void *)host_stack && after.ss_sp != (void *)host_stack,
		    "the host's shared signal stack was kept; the library must install its own");
	CHECK(awsv4_thread_prepare() == AWSV4_OK);
	CHECK(sigaltstack(NULL, &again) == 0);
	CHECK(again.ss_sp == after.ss_sp);
	return (NULL);
}

static void
t_library(void)
{
	char v[32];
	const char *s[6];
	int i, j, prev, cur;
	static const int unknown[] = { 1, 2, -6, -100, INT_MIN, INT_MAX };
	pthread_t th;

	/* awsv4_version */
	CHECK(awsv4_version() != NULL);
	snprintf(v, sizeof v, "%d.%d.%d", AWSV4_VERSION_MAJOR, AWSV4_VERSION_MINOR, AWSV4_VERSION_PATCH);
	CHECKF(strcmp(awsv4_version(), v) == 0, "awsv4_version() %s, header %s", awsv4_version(), v);
	CHECK(awsv4_version() == awsv4_version()); /* static storage */

	/* awsv4_strerror: each code its own text; unknown codes still a string */
	for (i = 0; i < 6; i++) {
		s[i] = awsv4_strerror(-i);
		CHECKF(s[i] != NULL && s[i][0] != '\0', "awsv4_strerror(%d)", -i);
		for (j = 0; j < i && s[i] != NULL; j++)
			CHECKF(s[j] == NULL || strcmp(s[i], s[j]) != 0, "strerror(%d) == strerror(%d)", -i, -j);
	}
	CHECK(strstr(awsv4_strerror(AWSV4_E_BUFFER), "buffer") != NULL);
	CHECK(strstr(awsv4_strerror(AWSV4_E_HANDLE), "handle") != NULL);
	for (i = 0; i < 6; i++) {
		const char *u = awsv4_strerror(unknown[i]);
		CHECKF(u != NULL && u[0] != '\0', "awsv4_strerror(%d)", unknown[i]);
		for (j = 0; j < 6 && u != NULL; j++)
			CHECKF(s[j] == NULL || strcmp(u, s[j]) != 0, "strerror(%d) == strerror(%d)", unknown[i], -j);
	}

	/* awsv4_set_max_procs: n <= 0 reports; n > 0 sets and returns the previous */
	prev = awsv4_set_max_procs(0);
	CHECKF(prev >= 1, "GOMAXPROCS %d", prev);
	CHECK(awsv4_set_max_procs(-1) == prev);
	CHECK(awsv4_set_max_procs(INT_MIN) == prev);
	CHECK(awsv4_set_max_procs(3) == prev);
	CHECK(awsv4_set_max_procs(0) == 3);
	cur = awsv4_set_max_procs(7);
	CHECK(cur == 3);
	CHECK(awsv4_set_max_procs(prev) == 7);
	CHECK(awsv4_set_max_procs(0) == prev);

	/* awsv4_thread_prepare: a private signal stack per thread (mode 0),
	 * installed by any call too (mode 1), replacing a host's (mode 2). */
	for (i = 0; i < 3; i++) {
		REQUIRE(pthread_create(&th, NULL, altstack_thread, (void *)(intptr_t)i) == 0);
		pthread_join(th, NULL);
	}
	CHECK(awsv4_thread_prepare() == AWSV4_OK);

	/* awsv4_signer_options_init */
	{
		awsv4_signer_options o;

		memset(&o, 0xff, sizeof o);
		awsv4_signer_options_init(&o);
		/* "all off, no lists, 900 s" (0 means 900) */
		CHECK(o.s3 == 0 && o.disable_double_encoding == 0 && o.disable_normalization == 0 &&
		    o.add_content_sha256 == 0 && o.unsigned_payload == 0 && o.omit_session_token == 0 &&
		    o.include_headers == NULL && o.ninclude == 0 && o.exclude_headers == NULL &&
		    o.nexclude == 0 && (o.presign_expires == 0 || o.presign_expires == 900));
		awsv4_signer_options_init(NULL); /* no crash */
		CHECK(1);
	}
}

/* ---- credentials -------------------------------------------------------- */

static char tmpdir[64];

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	REQUIRE(f != NULL);
	fputs(text, f);
	fclose(f);
}

static void
t_creds(void)
{
	awsv4_creds *c;
	awsv4_signer *s;
	char path[128], bad[128], missing[128];
	awsv4_request r = good_req();
	char auth_static[256];

	/* awsv4_creds_static */
	EXPECT_NULLM(AWSV4_E_INVALID, "access_key_id", awsv4_creds_static(NULLSTR(3), AWSV4_STR(SECRET), AWSV4_STR(""), E));
	EXPECT_NULLM(AWSV4_E_INVALID, "secret", awsv4_creds_static(AWSV4_STR(AKID), NULLSTR(1), AWSV4_STR(""), E));
	EXPECT_NULLM(AWSV4_E_INVALID, "token", awsv4_creds_static(AWSV4_STR(AKID), AWSV4_STR(SECRET), NULLSTR(8), E));
	EXPECT_NULLM(AWSV4_E_INVALID, "secret", awsv4_creds_static(AWSV4_STR(AKID), AWSV4_STR(""), AWSV4_STR(""), E));
	EXPECT_NULLM(AWSV4_E_INVALID, "access key", awsv4_creds_static(AWSV4_STR(""), AWSV4_STR(SECRET), AWSV4_STR(""), E));
	EXPECT_NULL(AWSV4_E_INVALID, awsv4_creds_static(AWSV4_STR(""), AWSV4_STR(""), AWSV4_STR(""), E));
	EXPECT_NULLM(AWSV4_E_INVALID, "secret", awsv4_creds_static(AWSV4_STR(AKID), AWSV4_STR("bad secret SECRETMARK"), AWSV4_STR(""), E));
	EXPECT_NULLM(AWSV4_E_INVALID, "secret", awsv4_creds_static(AWSV4_STR(AKID), BIN("SECRETMARK\0tail"), AWSV4_STR(""), E));
	EXPECT_NULLM(AWSV4_E_INVALID, "secret", awsv4_creds_static(AWSV4_STR(AKID), AWSV4_STR("SECRETMARK\n"), AWSV4_STR(""), E));
	EXPECT_NULLM(AWSV4_E_INVALID, "token", awsv4_creds_static(AWSV4_STR(AKID), AWSV4_STR(SECRET), AWSV4_STR("SESSIONTOKEN with space"), E));
	EXPECT_NULL(AWSV4_E_INVALID, awsv4_creds_static(AWSV4_STR("AKID EXAMPLE"), AWSV4_STR(SECRET), AWSV4_STR(""), E));
	{	/* success clears err; token may be empty */
		awsv4_err e;
		memset(&e, 0x5a, sizeof e);
		c = awsv4_creds_static(AWSV4_STR(AKID), AWSV4_STR(SECRET), AWSV4_STR(""), &e);
		CHECK(c != NULL);
		expect_at(__FILE__, __LINE__, "creds_static ok", c ? 0 : e.code, AWSV4_OK, &e, NULL);
		EXPECT(AWSV4_OK, awsv4_creds_check(c, E));
		CHECK(awsv4_creds_destroy(c) == AWSV4_OK);
		c = awsv4_creds_static(AWSV4_STR(AKID), AWSV4_STR(SECRET), (awsv4_str){ NULL, 0 }, NULL);
		CHECK(c != NULL);
		CHECK(awsv4_creds_destroy(c) == AWSV4_OK);
	}
	/*
	 * An access key ID that cannot go into Credential= ('/' is the scope
	 * separator): either creds_static refuses it, or creds_check and
	 * signing both report it, as AWSV4_E_CREDENTIALS ("credentials
	 * missing, unreadable or invalid"). awsv4_creds_check promises to
	 * "report whether signing would succeed".
	 */
	{
		awsv4_err e1, e2;
		int rc_check, rc_sign;

		c = awsv4_creds_static(AWSV4_STR("AKID/EXAMPLE"), AWSV4_STR(SECRET), AWSV4_STR(""), &e1);
		if (c == NULL) {
			expect_at(__FILE__, __LINE__, "creds_static(\"AKID/EXAMPLE\")", e1.code, AWSV4_E_INVALID, &e1, NULL);
		} else {
			s = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("service"), c, NULL, NULL);
			CHECK(s != NULL);
			rc_check = awsv4_creds_check(c, &e1);
			rc_sign = sign_mode(0, s, &r, &e2);
			CHECKF(rc_check == rc_sign,
			    "access key ID \"AKID/EXAMPLE\": awsv4_creds_check says %d (%s) but awsv4_sign says %d (%s)",
			    rc_check, e1.message, rc_sign, e2.message);
			expect_at(__FILE__, __LINE__, "sign with access key ID \"AKID/EXAMPLE\"", rc_sign,
			    AWSV4_E_CREDENTIALS, &e2, NULL);
			awsv4_signer_destroy(s);
			awsv4_creds_destroy(c);
		}
	}

	/* awsv4_creds_file */
	EXPECT_NULLM(AWSV4_E_INVALID, "credentials_file", awsv4_creds_file(NULLSTR(2), AWSV4_STR(""), AWSV4_STR(""), E));
	EXPECT_NULLM(AWSV4_E_INVALID, "config_file", awsv4_creds_file(AWSV4_STR(""), NULLSTR(2), AWSV4_STR(""), E));
	EXPECT_NULLM(AWSV4_E_INVALID, "profile", awsv4_creds_file(AWSV4_STR(""), AWSV4_STR(""), NULLSTR(2), E));

	snprintf(path, sizeof path, "%s/credentials", tmpdir);
	snprintf(bad, sizeof bad, "%s/bad-credentials", tmpdir);
	snprintf(missing, sizeof missing, "%s/no-such-file", tmpdir);
	write_text(path,
	    "[default]\naws_access_key_id = " AKID "\naws_secret_access_key = " SECRET "\n"
	    "aws_session_token = " TOKEN "\n"
	    "[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = otherSECRETMARK\n");
	write_text(bad, "[default]\naws_access_key_id = " AKID "\naws_secret_access_key = bad SECRETMARK value\n");

	/* a missing file: the handle is made, reading it fails */
	c = awsv4_creds_file(cstr(missing), cstr(missing), AWSV4_STR("default"), NULL);
	CHECK(c != NULL);
	EXPECT(AWSV4_E_CREDENTIALS, awsv4_creds_check(c, E));
	s = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("service"), c, NULL, NULL);
	CHECK(s != NULL);
	EXPECT(AWSV4_E_CREDENTIALS, sign_mode(0, s, &r, E));
	EXPECT(AWSV4_E_CREDENTIALS, sign_mode(1, s, &r, E));
	CHECK(awsv4_signer_destroy(s) == AWSV4_OK);
	CHECK(awsv4_creds_destroy(c) == AWSV4_OK);

	/* a malformed secret in the file: refused, and not repeated */
	c = awsv4_creds_file(cstr(bad), cstr(missing), AWSV4_STR(""), NULL);
	CHECK(c != NULL);
	EXPECT(AWSV4_E_CREDENTIALS, awsv4_creds_check(c, E));
	s = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("service"), c, NULL, NULL);
	EXPECT(AWSV4_E_CREDENTIALS, sign_mode(0, s, &r, E));
	awsv4_signer_destroy(s);
	CHECK(awsv4_creds_destroy(c) == AWSV4_OK);

	/* a profile that is not there */
	c = awsv4_creds_file(cstr(path), cstr(missing), AWSV4_STR("nope"), NULL);
	CHECK(c != NULL);
	EXPECT(AWSV4_E_CREDENTIALS, awsv4_creds_check(c, E));
	CHECK(awsv4_creds_destroy(c) == AWSV4_OK);

	/* a good file signs like the same keys given statically */
	{
		awsv4_signed out;
		size_t need;
		char buf[2048];

		CHECK(awsv4_sign(signer, &r, buf, sizeof buf, &need, &out, NULL) == AWSV4_OK);
		snprintf(auth_static, sizeof auth_static, "%s", out.authorization.ptr);
		c = awsv4_creds_file(cstr(path), cstr(missing), AWSV4_STR(""), NULL);
		CHECK(c != NULL);
		EXPECT(AWSV4_OK, awsv4_creds_check(c, E));
		s = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("service"), c, NULL, NULL);
		CHECK(s != NULL);
		CHECK(awsv4_sign(s, &r, buf, sizeof buf, &need, &out, NULL) == AWSV4_OK &&
		    strcmp(out.authorization.ptr, auth_static) == 0 &&
		    strcmp(out.security_token.ptr, TOKEN) == 0);
		CHECK(awsv4_signer_destroy(s) == AWSV4_OK);
		CHECK(awsv4_creds_destroy(c) == AWSV4_OK);
	}

	/* awsv4_creds_check and awsv4_creds_destroy on bad handles */
	EXPECT(AWSV4_E_HANDLE, awsv4_creds_check(NULL, E));
	EXPECT(AWSV4_E_HANDLE, awsv4_creds_check((awsv4_creds *)hasher, E));
	EXPECT(AWSV4_E_HANDLE, awsv4_creds_check((awsv4_creds *)signer, E));
	EXPECT(AWSV4_E_HANDLE, awsv4_creds_check(BOGUS(awsv4_creds), E));
	CHECK(awsv4_creds_destroy(NULL) == AWSV4_E_HANDLE);
	CHECK(awsv4_creds_destroy(BOGUS(awsv4_creds)) == AWSV4_E_HANDLE);
	CHECK(awsv4_creds_destroy((awsv4_creds *)hasher) == AWSV4_E_HANDLE);
	CHECK(awsv4_creds_destroy((awsv4_creds *)signer) == AWSV4_E_HANDLE);
	/* ... and the objects behind those wrong-kind handles still work */
	EXPECT(AWSV4_OK, sign_mode(0, signer, &r, E));
	EXPECT(AWSV4_OK, awsv4_hasher_update(hasher, "x", 1, E));

	/* destroyed: every use is E_HANDLE; a signer made from it still works */
	c = awsv4_creds_static(AWSV4_STR(AKID), AWSV4_STR(SECRET), AWSV4_STR(TOKEN), NULL);
	REQUIRE(c != NULL);
	s = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("service"), c, NULL, NULL);
	REQUIRE(s != NULL);
	CHECK(awsv4_creds_destroy(c) == AWSV4_OK);
	CHECK(awsv4_creds_destroy(c) == AWSV4_E_HANDLE);
	CHECK(awsv4_creds_destroy(c) == AWSV4_E_HANDLE);
	EXPECT(AWSV4_E_HANDLE, awsv4_creds_check(c, E));
	EXPECT_NULL(AWSV4_E_HANDLE, awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("service"), c, NULL, E));
	{
		awsv4_signed out;
		size_t need;
		char buf[2048];

		CHECK(awsv4_sign(s, &r, buf, sizeof buf, &need, &out, NULL) == AWSV4_OK &&
		    strcmp(out.authorization.ptr, auth_static) == 0);
	}
	CHECK(awsv4_signer_destroy(s) == AWSV4_OK);
	/* a new handle is not the destroyed one's value (values not reused) */
	{
		awsv4_creds *c2 = awsv4_creds_static(AWSV4_STR(AKID), AWSV4_STR(SECRET), AWSV4_STR(""), NULL);
		CHECK(c2 != NULL && c2 != c);
		EXPECT(AWSV4_E_HANDLE, awsv4_creds_check(c, E));
		CHECK(awsv4_creds_destroy(c2) == AWSV4_OK);
	}

	/* awsv4_creds_env / _default_chain: the handles themselves */
	c = awsv4_creds_env(NULL);
	CHECK(c != NULL);
	CHECK(awsv4_creds_destroy(c) == AWSV4_OK);
	c = awsv4_creds_default_chain(NULL);
	CHECK(c != NULL);
	CHECK(awsv4_creds_destroy(c) == AWSV4_OK);
	{
		awsv4_err e;
		memset(&e, 0x5a, sizeof e);
		c = awsv4_creds_env(&e);
		expect_at(__FILE__, __LINE__, "awsv4_creds_env", c ? 0 : e.code, AWSV4_OK, &e, NULL);
		CHECK(awsv4_creds_destroy(c) == AWSV4_OK);
		memset(&e, 0x5a, sizeof e);
		c = awsv4_creds_default_chain(&e);
		expect_at(__FILE__, __LINE__, "awsv4_creds_default_chain", c ? 0 : e.code, AWSV4_OK, &e, NULL);
		CHECK(awsv4_creds_destroy(c) == AWSV4_OK);
	}
}

/* ---- signer -------------------------------------------------------------- */

static void
t_signer_new(void)
{
	awsv4_signer_options o;
	awsv4_signer *s;
	awsv4_creds *dead;
	const awsv4_str good[] = { AWSV4_STR("Content-Type") };
	const awsv4_str empty[] = { AWSV4_STR("Content-Type"), AWSV4_STR("") };
	const awsv4_str nullent[] = { NULLSTR(4) };
	const awsv4_str badname[] = { AWSV4_STR("Content Type") };
	static const int64_t bad_exp[] = { -1, 604801, INT64_MAX, INT64_MIN, -604800 };
	static const int64_t good_exp[] = { 1, 60, 3600, 604800 };
	size_t i;

	awsv4_signer_options_init(&o);
	EXPECT_NULL(AWSV4_E_HANDLE, awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), NULL, &o, E));
	EXPECT_NULL(AWSV4_E_HANDLE, awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), (awsv4_creds *)hasher, &o, E));
	EXPECT_NULL(AWSV4_E_HANDLE, awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), (awsv4_creds *)signer, &o, E));
	EXPECT_NULL(AWSV4_E_HANDLE, awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), BOGUS(awsv4_creds), &o, E));
	dead = awsv4_creds_static(AWSV4_STR(AKID), AWSV4_STR(SECRET), AWSV4_STR(""), NULL);
	CHECK(awsv4_creds_destroy(dead) == AWSV4_OK);
	EXPECT_NULL(AWSV4_E_HANDLE, awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), dead, &o, E));

	EXPECT_NULLM(AWSV4_E_INVALID, "region", awsv4_signer_new(NULLSTR(9), AWSV4_STR("s"), creds, &o, E));
	EXPECT_NULLM(AWSV4_E_INVALID, "service", awsv4_signer_new(AWSV4_STR("us-east-1"), NULLSTR(1), creds, &o, E));
	EXPECT_NULLM(AWSV4_E_INVALID, "region", awsv4_signer_new(AWSV4_STR(""), AWSV4_STR("s"), creds, &o, E));
	EXPECT_NULLM(AWSV4_E_INVALID, "region", awsv4_signer_new(AWSV4_STR("us east-1"), AWSV4_STR("s"), creds, &o, E));
	EXPECT_NULLM(AWSV4_E_INVALID, "region", awsv4_signer_new(AWSV4_STR("us-east-1/x"), AWSV4_STR("s"), creds, &o, E));
	EXPECT_NULLM(AWSV4_E_INVALID, "region", awsv4_signer_new(AWSV4_STR("us-east-1\n"), AWSV4_STR("s"), creds, &o, E));
	EXPECT_NULLM(AWSV4_E_INVALID, "region", awsv4_signer_new(BIN("us-east-1\0x"), AWSV4_STR("s"), creds, &o, E));
	EXPECT_NULLM(AWSV4_E_INVALID, "region", awsv4_signer_new(AWSV4_STR("us-east-1%2F"), AWSV4_STR("s"), creds, &o, E));
	EXPECT_NULLM(AWSV4_E_INVALID, "service", awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR(""), creds, &o, E));
	EXPECT_NULLM(AWSV4_E_INVALID, "service", awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("lam bda"), creds, &o, E));
	EXPECT_NULLM(AWSV4_E_INVALID, "service", awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("a/b"), creds, &o, E));

	for (i = 0; i < sizeof bad_exp / sizeof bad_exp[0]; i++) {
		o.presign_expires = bad_exp[i];
		EXPECT_NULLM(AWSV4_E_INVALID, "presign_expires", awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, &o, E));
	}
	for (i = 0; i < sizeof good_exp / sizeof good_exp[0]; i++) {
		awsv4_request r = good_req();
		char want[32];

		o.presign_expires = good_exp[i];
		s = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, &o, NULL);
		CHECKF(s != NULL, "presign_expires %lld", (long long)good_exp[i]);
		snprintf(want, sizeof want, "&X-Amz-Expires=%lld&", (long long)good_exp[i]);
		CHECK(sign_mode(1, s, &r, NULL) == AWSV4_OK && strstr(bigbuf, want) != NULL);
		CHECK(awsv4_signer_destroy(s) == AWSV4_OK);
	}
	o.presign_expires = 0; /* 0 means 900 */
	s = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, &o, NULL);
	{
		awsv4_request r = good_req();
		CHECK(sign_mode(1, s, &r, NULL) == AWSV4_OK && strstr(bigbuf, "&X-Amz-Expires=900&") != NULL);
	}
	CHECK(awsv4_signer_destroy(s) == AWSV4_OK);

	o.include_headers = NULL;
	o.ninclude = 1;
	EXPECT_NULLM(AWSV4_E_INVALID, "include_headers", awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, &o, E));
	o.include_headers = empty;
	o.ninclude = 2;
	EXPECT_NULLM(AWSV4_E_INVALID, "include_headers", awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, &o, E));
	o.include_headers = nullent;
	o.ninclude = 1;
	EXPECT_NULLM(AWSV4_E_INVALID, "include_headers", awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, &o, E));
	o.include_headers = badname;
	EXPECT_NULL(AWSV4_E_INVALID, awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, &o, E));
	o.include_headers = good;
	o.exclude_headers = NULL;
	o.nexclude = 2;
	EXPECT_NULLM(AWSV4_E_INVALID, "exclude_headers", awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, &o, E));
	o.exclude_headers = empty;
	EXPECT_NULLM(AWSV4_E_INVALID, "exclude_headers", awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, &o, E));
	o.exclude_headers = nullent;
	o.nexclude = 1;
	EXPECT_NULLM(AWSV4_E_INVALID, "exclude_headers", awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, &o, E));
	o.exclude_headers = badname;
	EXPECT_NULL(AWSV4_E_INVALID, awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, &o, E));
	/* lists with a count of 0 are ignored, whatever the pointer */
	o.include_headers = NULL;
	o.ninclude = 0;
	o.exclude_headers = nullent;
	o.nexclude = 0;
	{
		awsv4_err e;
		memset(&e, 0x5a, sizeof e);
		s = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, &o, &e);
		CHECK(s != NULL);
		expect_at(__FILE__, __LINE__, "signer_new ok", s ? 0 : e.code, AWSV4_OK, &e, NULL);
		CHECK(awsv4_signer_destroy(s) == AWSV4_OK);
	}
	/* the lists are copied: changing them afterwards changes nothing */
	{
		awsv4_str inc[1] = { AWSV4_STR("Content-Type") };
		awsv4_request r = good_req();
		char list[2048];

		o.include_headers = inc;
		o.ninclude = 1;
		o.nexclude = 0;
		s = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, &o, NULL);
		REQUIRE(s != NULL);
		inc[0] = (awsv4_str){ NULL, 77 };
		{
			awsv4_signed out;
			size_t need;
			CHECK(awsv4_sign(s, &r, list, sizeof list, &need, &out, NULL) == AWSV4_OK);
			CHECKF(strcmp(out.signed_headers.ptr, "content-type;host;x-amz-date;x-amz-security-token;x-amz-target") == 0,
			    "%s", out.signed_headers.ptr);
		}
		CHECK(awsv4_signer_destroy(s) == AWSV4_OK);
	}
	/* opts NULL: the service's defaults */
	s = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s3"), creds, NULL, NULL);
	CHECK(s != NULL);
	{
		awsv4_request r = good_req();
		awsv4_signed out;
		size_t need;
		char buf[2048];
		CHECK(awsv4_sign(s, &r, buf, sizeof buf, &need, &out, NULL) == AWSV4_OK &&
		    out.content_sha256.len == 64); /* the S3 rules add X-Amz-Content-Sha256 */
	}
	CHECK(awsv4_signer_destroy(s) == AWSV4_OK);

	/* awsv4_signer_destroy */
	CHECK(awsv4_signer_destroy(NULL) == AWSV4_E_HANDLE);
	CHECK(awsv4_signer_destroy(BOGUS(awsv4_signer)) == AWSV4_E_HANDLE);
	CHECK(awsv4_signer_destroy((awsv4_signer *)creds) == AWSV4_E_HANDLE);
	CHECK(awsv4_signer_destroy((awsv4_signer *)hasher) == AWSV4_E_HANDLE);
	EXPECT(AWSV4_OK, awsv4_creds_check(creds, E)); /* not destroyed by the above */
	EXPECT(AWSV4_OK, awsv4_hasher_update(hasher, "y", 1, E));
	s = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, NULL, NULL);
	CHECK(awsv4_signer_destroy(s) == AWSV4_OK);
	CHECK(awsv4_signer_destroy(s) == AWSV4_E_HANDLE);
	CHECK(awsv4_signer_destroy(s) == AWSV4_E_HANDLE);
}

/* Sign or presign (mode), every bad input. */
static void
t_sign(int mode)
{
	awsv4_request r;
	awsv4_header h[3];
	awsv4_signer *dead;
	awsv4_signed out;
	awsv4_str q;
	size_t need;
	static const char *const bad_hash[] = {
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85",    /* 63 */
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555",  /* 65 */
		"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",   /* upper */
		"g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"unsigned-payload", "UNSIGNED PAYLOAD", "-UNSIGNED", "e3b0 c442", NULL
	};
	static const char *const bad_path[] = { "a/b", "?x=1", "a", "%2F", " /", "/a\nb", "/a\rb", "/a?b", "/a#b", NULL };
	static const char *const bad_method[] = { "GE T", "GET\n", "G:ET", "(GET)", "GET/", NULL };
	static const char *const bad_query[] = { "a=%zz", "a=%4", "a#b", "a=\n", NULL };
	static const char *const bad_name[] = { "My Header", "My:Header", "My\nHeader", "(x)", "x@y", "\x01", "\xe1\x88\xb4", NULL };
	static const char *const bad_value[] = { "a\nb", "a\rb", "a\x01", "a\x7f", "\x1b[31m", NULL };
	int i;

	/* handles */
	r = good_req();
	EXPECT(AWSV4_E_HANDLE, sign_mode(mode, NULL, &r, E));
	EXPECT(AWSV4_E_HANDLE, sign_mode(mode, (awsv4_signer *)creds, &r, E));
	EXPECT(AWSV4_E_HANDLE, sign_mode(mode, (awsv4_signer *)hasher, &r, E));
	EXPECT(AWSV4_E_HANDLE, sign_mode(mode, BOGUS(awsv4_signer), &r, E));
	dead = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("s"), creds, NULL, NULL);
	CHECK(awsv4_signer_destroy(dead) == AWSV4_OK);
	EXPECT(AWSV4_E_HANDLE, sign_mode(mode, dead, &r, E));

	/* NULL request and NULL out */
	EXPECT(AWSV4_E_INVALID, sign_mode(mode, signer, NULL, E));
	if (mode == 0)
		EXPECT(AWSV4_E_INVALID, awsv4_sign(signer, &r, bigbuf, sizeof bigbuf, &need, NULL, E));
	else
		EXPECT(AWSV4_E_INVALID, awsv4_presign(signer, &r, bigbuf, sizeof bigbuf, &need, NULL, E));

	/* {NULL, n > 0} in every string field */
	r = good_req(); r.method = NULLSTR(3);
	EXPECTM(AWSV4_E_INVALID, "method", sign_mode(mode, signer, &r, E));
	r = good_req(); r.path = NULLSTR(1);
	EXPECTM(AWSV4_E_INVALID, "path", sign_mode(mode, signer, &r, E));
	r = good_req(); r.query = NULLSTR(5);
	EXPECTM(AWSV4_E_INVALID, "query", sign_mode(mode, signer, &r, E));
	r = good_req(); r.payload_hash = NULLSTR(64);
	EXPECTM(AWSV4_E_INVALID, "payload", sign_mode(mode, signer, &r, E));
	r = good_req(); r.headers = NULL;
	EXPECTM(AWSV4_E_INVALID, "header", sign_mode(mode, signer, &r, E));
	r = good_req(); memcpy(h, hdrs, sizeof h); h[1].name = NULLSTR(4); r.headers = h;
	EXPECTM(AWSV4_E_INVALID, "header 1", sign_mode(mode, signer, &r, E));
	r = good_req(); memcpy(h, hdrs, sizeof h); h[2].value = NULLSTR(4); r.headers = h;
	EXPECTM(AWSV4_E_INVALID, "header 2", sign_mode(mode, signer, &r, E));
	/* ... while {NULL, 0} is the empty string */
	r = good_req(); r.query = NULLSTR(0);
	EXPECT(AWSV4_OK, sign_mode(mode, signer, &r, E));
	r = good_req(); r.payload_hash = NULLSTR(0);
	EXPECT(AWSV4_OK, sign_mode(mode, signer, &r, E));
	r = good_req(); memcpy(h, hdrs, sizeof h); h[1].value = NULLSTR(0); r.headers = h;
	EXPECT(AWSV4_OK, sign_mode(mode, signer, &r, E));

	/* method */
	r = good_req(); r.method = AWSV4_STR("");
	EXPECTM(AWSV4_E_INVALID, "method", sign_mode(mode, signer, &r, E));
	for (i = 0; bad_method[i] != NULL; i++) {
		ctx_note = bad_method[i];
		r = good_req(); r.method = AWSV4_CSTR(bad_method[i]);
		EXPECTM(AWSV4_E_INVALID, "method", sign_mode(mode, signer, &r, E));
	}
	ctx_note = NULL;
	r = good_req(); r.method = BIN("GET\0X");
	EXPECTM(AWSV4_E_INVALID, "method", sign_mode(mode, signer, &r, E));

	/* path: must start with '/'; no control characters */
	r = good_req(); r.path = AWSV4_STR("");
	EXPECTM(AWSV4_E_INVALID, "path", sign_mode(mode, signer, &r, E));
	for (i = 0; bad_path[i] != NULL; i++) {
		ctx_note = bad_path[i];
		r = good_req(); r.path = AWSV4_CSTR(bad_path[i]);
		EXPECTM(AWSV4_E_INVALID, "path", sign_mode(mode, signer, &r, E));
	}
	ctx_note = NULL;
	r = good_req(); r.path = BIN("/a\0b");
	EXPECTM(AWSV4_E_INVALID, "path", sign_mode(mode, signer, &r, E));

	/* query */
	for (i = 0; bad_query[i] != NULL; i++) {
		ctx_note = bad_query[i];
		r = good_req(); r.query = AWSV4_CSTR(bad_query[i]);
		EXPECTM(AWSV4_E_INVALID, "query", sign_mode(mode, signer, &r, E));
	}
	ctx_note = NULL;
	r = good_req(); r.query = BIN("a=\0");
	EXPECTM(AWSV4_E_INVALID, "query", sign_mode(mode, signer, &r, E));

	/* payload hash */
	for (i = 0; bad_hash[i] != NULL; i++) {
		ctx_note = bad_hash[i];
		r = good_req(); r.payload_hash = AWSV4_CSTR(bad_hash[i]);
		EXPECTM(AWSV4_E_INVALID, "payload", sign_mode(mode, signer, &r, E));
	}
	ctx_note = NULL;
	r = good_req(); r.payload_hash = BIN("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85\0");
	EXPECTM(AWSV4_E_INVALID, "payload", sign_mode(mode, signer, &r, E));
	r = good_req(); r.payload_hash = AWSV4_STR("UNSIGNED-PAYLOAD");
	EXPECT(AWSV4_OK, sign_mode(mode, signer, &r, E));

	/* header names and values */
	for (i = 0; bad_name[i] != NULL; i++) {
		ctx_note = bad_name[i];
		r = good_req(); memcpy(h, hdrs, sizeof h); h[1].name = AWSV4_CSTR(bad_name[i]); r.headers = h;
		EXPECTM(AWSV4_E_INVALID, "header 1", sign_mode(mode, signer, &r, E));
	}
	ctx_note = NULL;
	r = good_req(); memcpy(h, hdrs, sizeof h); h[2].name = AWSV4_STR(""); r.headers = h;
	EXPECTM(AWSV4_E_INVALID, "header 2", sign_mode(mode, signer, &r, E));
	r = good_req(); memcpy(h, hdrs, sizeof h); h[2].name = BIN("X-A\0b"); r.headers = h;
	EXPECTM(AWSV4_E_INVALID, "header 2", sign_mode(mode, signer, &r, E));
	for (i = 0; bad_value[i] != NULL; i++) {
		ctx_note = bad_value[i];
		r = good_req(); memcpy(h, hdrs, sizeof h); h[1].value = AWSV4_CSTR(bad_value[i]); r.headers = h;
		EXPECTM(AWSV4_E_INVALID, "header 1", sign_mode(mode, signer, &r, E));
	}
	ctx_note = NULL;
	/* a NUL byte is data: it is seen (and refused), not taken as the end */
	r = good_req(); memcpy(h, hdrs, sizeof h); h[1].value = BIN("application/json\0SECRETMARK"); r.headers = h;
	EXPECTM(AWSV4_E_INVALID, "header 1", sign_mode(mode, signer, &r, E));
	r = good_req(); memcpy(h, hdrs, sizeof h); h[0].value = BIN("example.amazonaws.com\0"); r.headers = h;
	EXPECTM(AWSV4_E_INVALID, "header 0", sign_mode(mode, signer, &r, E));
	/* tab and obs-text are allowed in values */
	r = good_req(); memcpy(h, hdrs, sizeof h); h[1].value = AWSV4_STR("a\tb \xe1\x88\xb4"); r.headers = h;
	EXPECT(AWSV4_OK, sign_mode(mode, signer, &r, E));
	/* no Host header */
	r = good_req(); r.headers = hdrs + 1; r.nheaders = 2;
	EXPECTM(AWSV4_E_INVALID, "Host", sign_mode(mode, signer, &r, E));
	r = good_req(); r.nheaders = 0;
	EXPECTM(AWSV4_E_INVALID, "Host", sign_mode(mode, signer, &r, E));

	/* time: a year past 9999 cannot be written as X-Amz-Date */
	r = good_req(); r.time = 253402300800LL; /* 10000-01-01T00:00:00Z */
	EXPECTM(AWSV4_E_INVALID, "time", sign_mode(mode, signer, &r, E));
	r = good_req(); r.time = INT64_MAX;
	EXPECTM(AWSV4_E_INVALID, "time", sign_mode(mode, signer, &r, E));
	r = good_req(); r.time = 253402300799LL; /* 9999-12-31T23:59:59Z */
	EXPECT(AWSV4_OK, sign_mode(mode, signer, &r, E));
	/* time 0: now */
	if (mode == 0) {
		time_t now = time(NULL);
		char buf[2048];
		long long d;
		r = good_req(); r.time = 0;
		CHECK(awsv4_sign(signer, &r, buf, sizeof buf, &need, &out, NULL) == AWSV4_OK);
		{
			char iso[32];
			const char *t = out.date.ptr; /* 20150830T123600Z */
			snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", t, t + 4, t + 6, t + 9, t + 11, t + 13);
			d = parse_iso8601(iso) - (long long)now;
		}
		CHECKF(d > -300 && d < 300, "time 0 gave X-Amz-Date %s, %lld s from now", out.date.ptr, d);
	}

	/* buffer protocol, and the exact layout of a successful result */
	r = good_req();
	check_buffer(mode ? "awsv4_presign" : "awsv4_sign", mode ? thunk_presign : thunk_sign, &r,
	    mode ? verify_presign : verify_sign);
	(void)q;
}

static void
t_hasher(void)
{
	awsv4_hasher *h, *dead;
	char hex[AWSV4_HASH_HEX_SIZE];
	awsv4_err e;

	memset(&e, 0x5a, sizeof e);
	h = awsv4_hasher_new(&e);
	CHECK(h != NULL);
	expect_at(__FILE__, __LINE__, "awsv4_hasher_new", h ? 0 : e.code, AWSV4_OK, &e, NULL);
	dead = awsv4_hasher_new(NULL);
	CHECK(dead != NULL);
	CHECK(awsv4_hasher_destroy(dead) == AWSV4_OK);

	EXPECT(AWSV4_E_HANDLE, awsv4_hasher_update(NULL, "a", 1, E));
	EXPECT(AWSV4_E_HANDLE, awsv4_hasher_update((awsv4_hasher *)signer, "a", 1, E));
	EXPECT(AWSV4_E_HANDLE, awsv4_hasher_update((awsv4_hasher *)creds, "a", 1, E));
	EXPECT(AWSV4_E_HANDLE, awsv4_hasher_update(BOGUS(awsv4_hasher), "a", 1, E));
	EXPECT(AWSV4_E_HANDLE, awsv4_hasher_update(dead, "a", 1, E));
	EXPECT(AWSV4_E_HANDLE, awsv4_hasher_update(dead, NULL, 0, E));
	EXPECT(AWSV4_E_HANDLE, awsv4_hasher_final(NULL, hex, E));
	EXPECT(AWSV4_E_HANDLE, awsv4_hasher_final((awsv4_hasher *)signer, hex, E));
	EXPECT(AWSV4_E_HANDLE, awsv4_hasher_final((awsv4_hasher *)creds, hex, E));
	EXPECT(AWSV4_E_HANDLE, awsv4_hasher_final(BOGUS(awsv4_hasher), hex, E));
	EXPECT(AWSV4_E_HANDLE, awsv4_hasher_final(dead, hex, E));
	EXPECTM(AWSV4_E_INVALID, "data", awsv4_hasher_update(h, NULL, 5, E));
	EXPECT(AWSV4_OK, awsv4_hasher_update(h, NULL, 0, E));
	EXPECTM(AWSV4_E_INVALID, "hex", awsv4_hasher_final(h, NULL, E));
	/* the failed calls above added nothing: still the empty body */
	memset(hex, 'X', sizeof hex);
	EXPECT(AWSV4_OK, awsv4_hasher_final(h, hex, E));
	CHECK(hex[64] == '\0' && strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0);
	/* "abc": FIPS 180-2 example */
	CHECK(awsv4_hasher_update(h, "abc", 3, NULL) == AWSV4_OK);
	CHECK(awsv4_hasher_final(h, hex, NULL) == AWSV4_OK &&
	    strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);

	CHECK(awsv4_hasher_destroy(NULL) == AWSV4_E_HANDLE);
	CHECK(awsv4_hasher_destroy(BOGUS(awsv4_hasher)) == AWSV4_E_HANDLE);
	CHECK(awsv4_hasher_destroy((awsv4_hasher *)signer) == AWSV4_E_HANDLE);
	CHECK(awsv4_hasher_destroy((awsv4_hasher *)creds) == AWSV4_E_HANDLE);
	CHECK(awsv4_hasher_destroy(dead) == AWSV4_E_HANDLE);
	CHECK(awsv4_hasher_destroy(h) == AWSV4_OK);
	CHECK(awsv4_hasher_destroy(h) == AWSV4_E_HANDLE);
	EXPECT(AWSV4_OK, awsv4_creds_check(creds, E)); /* untouched by the wrong-kind destroys */
	{
		awsv4_request r = good_req();
		EXPECT(AWSV4_OK, sign_mode(0, signer, &r, E));
	}
}

static void
t_helpers(void)
{
	awsv4_str p, q, reg;
	size_t need;
	struct invoke_args ia[] = {
		/* AWS Lambda API reference, Invoke: POST /2015-03-31/functions/FunctionName/invocations?Qualifier=Qualifier;
		 * the SDKs escape ':' in the FunctionName label as %3A. */
		{ AWSV4_STR("my-function"), AWSV4_STR(""), "/2015-03-31/functions/my-function/invocations", "", "" },
		{ AWSV4_STR("my-function"), AWSV4_STR("prod"), "/2015-03-31/functions/my-function/invocations", "Qualifier=prod", "" },
		{ AWSV4_STR("my-function:prod"), AWSV4_STR(""), "/2015-03-31/functions/my-function%3Aprod/invocations", "", "" },
		{ AWSV4_STR("arn:aws:lambda:eu-west-1:123456789012:function:my-function"), AWSV4_STR(""),
		  "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Amy-function/invocations", "", "eu-west-1" },
	};
	struct one_arg url[] = {
		{ AWSV4_STR("abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-west-2.on.aws"), "us-west-2" },
		{ AWSV4_STR("abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-central-1.on.aws:443"), "eu-central-1" },
	};
	struct one_arg s3[] = {
		/* every byte but A-Z a-z 0-9 - _ . ~ / as %XX; escapes decoded first */
		{ AWSV4_STR("/photos/my key+(1)=x.jpg"), "/photos/my%20key%2B%281%29%3Dx.jpg" },
		{ AWSV4_STR("/a%20b/c~d_e-f.g"), "/a%20b/c~d_e-f.g" },
		{ AWSV4_STR("/\xe1\x88\xb4"), "/%E1%88%B4" },
	};
	size_t i;

	/* awsv4_lambda_invoke_path */
	EXPECTM(AWSV4_E_INVALID, "function", awsv4_lambda_invoke_path(NULLSTR(3), AWSV4_STR(""), bigbuf, sizeof bigbuf, &need, &p, &q, &reg, E));
	EXPECTM(AWSV4_E_INVALID, "qualifier", awsv4_lambda_invoke_path(AWSV4_STR("f"), NULLSTR(3), bigbuf, sizeof bigbuf, &need, &p, &q, &reg, E));
	EXPECT(AWSV4_E_INVALID, awsv4_lambda_invoke_path(AWSV4_STR("f"), AWSV4_STR(""), bigbuf, sizeof bigbuf, &need, NULL, &q, &reg, E));
	EXPECT(AWSV4_E_INVALID, awsv4_lambda_invoke_path(AWSV4_STR("f"), AWSV4_STR(""), bigbuf, sizeof bigbuf, &need, &p, NULL, &reg, E));
	EXPECT(AWSV4_E_INVALID, awsv4_lambda_invoke_path(AWSV4_STR("f"), AWSV4_STR(""), bigbuf, sizeof bigbuf, &need, &p, &q, NULL, E));
	EXPECT(AWSV4_E_INVALID, awsv4_lambda_invoke_path(AWSV4_STR(""), AWSV4_STR(""), bigbuf, sizeof bigbuf, &need, &p, &q, &reg, E));
	EXPECT(AWSV4_E_INVALID, awsv4_lambda_invoke_path(AWSV4_STR("my function"), AWSV4_STR(""), bigbuf, sizeof bigbuf, &need, &p, &q, &reg, E));
	EXPECT(AWSV4_E_INVALID, awsv4_lambda_invoke_path(AWSV4_STR("f/../x"), AWSV4_STR(""), bigbuf, sizeof bigbuf, &need, &p, &q, &reg, E));
	EXPECT(AWSV4_E_INVALID, awsv4_lambda_invoke_path(BIN("f\0"), AWSV4_STR(""), bigbuf, sizeof bigbuf, &need, &p, &q, &reg, E));
	EXPECT(AWSV4_E_INVALID, awsv4_lambda_invoke_path(AWSV4_STR("f"), AWSV4_STR("a b"), bigbuf, sizeof bigbuf, &need, &p, &q, &reg, E));
	for (i = 0; i < sizeof ia / sizeof ia[0]; i++)
		check_buffer("awsv4_lambda_invoke_path", thunk_invoke, &ia[i], verify_invoke);

	/* awsv4_lambda_url_region */
	EXPECTM(AWSV4_E_INVALID, "host", awsv4_lambda_url_region(NULLSTR(4), bigbuf, sizeof bigbuf, &need, &reg, E));
	EXPECT(AWSV4_E_INVALID, awsv4_lambda_url_region(url[0].in, bigbuf, sizeof bigbuf, &need, NULL, E));
	EXPECT(AWSV4_E_INVALID, awsv4_lambda_url_region(AWSV4_STR(""), bigbuf, sizeof bigbuf, &need, &reg, E));
	EXPECT(AWSV4_E_INVALID, awsv4_lambda_url_region(AWSV4_STR("lambda.us-east-1.amazonaws.com"), bigbuf, sizeof bigbuf, &need, &reg, E));
	EXPECT(AWSV4_E_INVALID, awsv4_lambda_url_region(AWSV4_STR("example.com"), bigbuf, sizeof bigbuf, &need, &reg, E));
	EXPECT(AWSV4_E_INVALID, awsv4_lambda_url_region(AWSV4_STR("127.0.0.1:8080"), bigbuf, sizeof bigbuf, &need, &reg, E));
	EXPECT(AWSV4_E_INVALID, awsv4_lambda_url_region(AWSV4_STR("x.lambda-url..on.aws"), bigbuf, sizeof bigbuf, &need, &reg, E));
	for (i = 0; i < sizeof url / sizeof url[0]; i++)
		check_buffer("awsv4_lambda_url_region", thunk_url, &url[i], verify_one);

	/* awsv4_s3_escape_path */
	EXPECTM(AWSV4_E_INVALID, "path", awsv4_s3_escape_path(NULLSTR(4), bigbuf, sizeof bigbuf, &need, &p, E));
	EXPECT(AWSV4_E_INVALID, awsv4_s3_escape_path(AWSV4_STR("/a"), bigbuf, sizeof bigbuf, &need, NULL, E));
	EXPECTM(AWSV4_E_INVALID, "path", awsv4_s3_escape_path(AWSV4_STR("/a%zz"), bigbuf, sizeof bigbuf, &need, &p, E));
	EXPECTM(AWSV4_E_INVALID, "path", awsv4_s3_escape_path(AWSV4_STR("/a%4"), bigbuf, sizeof bigbuf, &need, &p, E));
	for (i = 0; i < sizeof s3 / sizeof s3[0]; i++)
		check_buffer("awsv4_s3_escape_path", thunk_s3, &s3[i], verify_one);
}

/* ---- the environment source, in child processes ------------------------- */

/* Runs in a child whose environment the parent chose; argv[2] names it. */
static int
env_child(const char *mode)
{
	awsv4_creds *env, *chain, *st;
	awsv4_signer *se, *sc, *ss;
	awsv4_request r = good_req();
	char a1[2048], a2[2048], a3[2048];
	awsv4_signed o1, o2, o3;
	size_t need;

	ct_name = "errors_test(env)";
	env = awsv4_creds_env(NULL);
	chain = awsv4_creds_default_chain(NULL);
	REQUIRE(env != NULL && chain != NULL);
	se = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("service"), env, NULL, NULL);
	sc = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("service"), chain, NULL, NULL);
	REQUIRE(se != NULL && sc != NULL);
	if (strcmp(mode, "unset") == 0) {
		EXPECTM(AWSV4_E_CREDENTIALS, "AWS_ACCESS_KEY_ID", awsv4_creds_check(env, E));
		EXPECT(AWSV4_E_CREDENTIALS, awsv4_creds_check(chain, E));
		EXPECT(AWSV4_E_CREDENTIALS, sign_mode(0, se, &r, E));
		EXPECT(AWSV4_E_CREDENTIALS, sign_mode(1, se, &r, E));
		EXPECT(AWSV4_E_CREDENTIALS, sign_mode(0, sc, &r, E));
	} else if (strcmp(mode, "set") == 0) {
		EXPECT(AWSV4_OK, awsv4_creds_check(env, E));
		EXPECT(AWSV4_OK, awsv4_creds_check(chain, E));
		st = awsv4_creds_static(AWSV4_STR(AKID), AWSV4_STR(SECRET), AWSV4_STR(TOKEN), NULL);
		ss = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("service"), st, NULL, NULL);
		REQUIRE(ss != NULL);
		CHECK(awsv4_sign(ss, &r, a1, sizeof a1, &need, &o1, NULL) == AWSV4_OK);
		CHECK(awsv4_sign(se, &r, a2, sizeof a2, &need, &o2, NULL) == AWSV4_OK);
		CHECK(awsv4_sign(sc, &r, a3, sizeof a3, &need, &o3, NULL) == AWSV4_OK);
		CHECK(strcmp(o1.authorization.ptr, o2.authorization.ptr) == 0);
		CHECK(strcmp(o1.authorization.ptr, o3.authorization.ptr) == 0);
		CHECK(strcmp(o2.security_token.ptr, TOKEN) == 0 && strcmp(o3.security_token.ptr, TOKEN) == 0);
		awsv4_signer_destroy(ss);
		awsv4_creds_destroy(st);
	} else if (strcmp(mode, "bad") == 0) {
		EXPECT(AWSV4_E_CREDENTIALS, awsv4_creds_check(env, E));
		EXPECT(AWSV4_E_CREDENTIALS, awsv4_creds_check(chain, E));
		EXPECT(AWSV4_E_CREDENTIALS, sign_mode(0, se, &r, E));
		EXPECT(AWSV4_E_CREDENTIALS, sign_mode(1, sc, &r, E));
	} else {
		CHECKF(0, "unknown child mode %s", mode);
	}
	CHECK(awsv4_signer_destroy(se) == AWSV4_OK);
	CHECK(awsv4_signer_destroy(sc) == AWSV4_OK);
	CHECK(awsv4_creds_destroy(env) == AWSV4_OK);
	CHECK(awsv4_creds_destroy(chain) == AWSV4_OK);
	return (ct_finish());
}

/* Starts this program again as "--env-child mode" with exactly envp; adds
 * the child's counts to ours. */
static void
run_env_child(const char *self, const char *mode, char *const envp[])
{
	int fds[2], status;
	pid_t pid;
	char line[256];
	FILE *f;
	int got = 0, child_failed = 0;

	REQUIRE(pipe(fds) == 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		char *const argv[] = { (char *)self, "--env-child", (char *)mode, NULL };
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execve(self, argv, envp);
		_exit(127);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	while (fgets(line, sizeof line, f) != NULL) {
		int p, fl;
		if (sscanf(line, "ctest-result %*s %d %d", &p, &fl) == 2) {
			atomic_fetch_add(&ct_passed, p);
			atomic_fetch_add(&ct_failed, fl);
			child_failed += fl;
			got = 1;
		} else {
			fputs(line, stdout);
		}
	}
	fclose(f);
	REQUIRE(waitpid(pid, &status, 0) == pid);
	CHECKF(got, "env child %s: no result line", mode);
	CHECKF(WIFEXITED(status), "env child %s: killed by signal %d", mode, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	/* a non-zero exit without a failed check: valgrind or a sanitizer */
	CHECKF(!WIFEXITED(status) || WEXITSTATUS(status) == 0 || child_failed > 0,
	    "env child %s: exit status %d", mode, WEXITSTATUS(status));
}

static void
t_env(const char *self)
{
	char home[128], path[160], godebug[256];
	/* Exactly these variables, and GODEBUG when set (make sanitize runs
	 * the children under valgrind --trace-children with it). Each list
	 * ends in two NULLs: the first may become GODEBUG. */
	char *unset[] = { home, NULL, NULL };
	char *set[] = { home, "AWS_ACCESS_KEY_ID=" AKID, "AWS_SECRET_ACCESS_KEY=" SECRET,
	    "AWS_SESSION_TOKEN=" TOKEN, NULL, NULL };
	char *bad[] = { home, "AWS_ACCESS_KEY_ID=" AKID, "AWS_SECRET_ACCESS_KEY=bad SECRETMARK with spaces",
	    NULL, NULL };

	if (getenv("GODEBUG") != NULL) {
		snprintf(godebug, sizeof godebug, "GODEBUG=%s", getenv("GODEBUG"));
		unset[1] = set[4] = bad[3] = godebug;
	}

	snprintf(home, sizeof home, "HOME=%s/emptyhome", tmpdir);
	snprintf(path, sizeof path, "%s/emptyhome", tmpdir);
	REQUIRE(mkdir(path, 0700) == 0);
	run_env_child(self, "unset", unset);
	run_env_child(self, "set", set);
	run_env_child(self, "bad", bad);

	/*
	 * The environment as the C program sees it when the handle is first
	 * read: a host that calls setenv() before awsv4_creds_env() (after the
	 * library was loaded) must get those values. This process was started
	 * without AWS_* variables (see main).
	 */
	setenv("AWS_ACCESS_KEY_ID", AKID, 1);
	setenv("AWS_SECRET_ACCESS_KEY", SECRET, 1);
	{
		awsv4_creds *c = awsv4_creds_env(NULL), *st;
		awsv4_signer *se, *ss;
		awsv4_request r = good_req();
		awsv4_signed o1, o2;
		char a1[2048], a2[2048];
		size_t need;
		awsv4_err e;
		int rc = awsv4_creds_check(c, &e);

		CHECKF(rc == AWSV4_OK,
		    "awsv4_creds_env after setenv(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY): %d: %s "
		    "(the library reads a copy of the environment made when it was loaded)", rc, e.message);
		st = awsv4_creds_static(AWSV4_STR(AKID), AWSV4_STR(SECRET), AWSV4_STR(""), NULL);
		se = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("service"), c, NULL, NULL);
		ss = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("service"), st, NULL, NULL);
		if (rc == AWSV4_OK) {
			CHECK(awsv4_sign(ss, &r, a1, sizeof a1, &need, &o1, NULL) == AWSV4_OK);
			CHECK(awsv4_sign(se, &r, a2, sizeof a2, &need, &o2, NULL) == AWSV4_OK &&
			    strcmp(o1.authorization.ptr, o2.authorization.ptr) == 0);
		}
		awsv4_signer_destroy(se);
		awsv4_signer_destroy(ss);
		awsv4_creds_destroy(st);
		awsv4_creds_destroy(c);
	}
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
}

/* ---- main ---------------------------------------------------------------- */

static void
rm_tmpdir(void)
{
	char p[160];
	static const char *const files[] = { "credentials", "bad-credentials", NULL };
	int i;

	for (i = 0; files[i] != NULL; i++) {
		snprintf(p, sizeof p, "%s/%s", tmpdir, files[i]);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/emptyhome", tmpdir);
	rmdir(p);
	rmdir(tmpdir);
}

int
main(int argc, char **argv)
{
	char self[4096];
	ssize_t n;
	awsv4_err e;

	if (argc == 3 && strcmp(argv[1], "--env-child") == 0)
		return (env_child(argv[2]));
	ct_name = "errors_test";

	/* Start again without any AWS_* variable of the caller's, so that the
	 * environment tests below know what the library saw at load time. */
	if (getenv("AWS_ACCESS_KEY_ID") || getenv("AWS_SECRET_ACCESS_KEY") || getenv("AWS_ACCESS_KEY") ||
	    getenv("AWS_SECRET_KEY") || getenv("AWS_SESSION_TOKEN") || getenv("AWS_PROFILE") ||
	    getenv("AWS_SHARED_CREDENTIALS_FILE") || getenv("AWS_CONFIG_FILE")) {
		static const char *const vars[] = { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
		    "AWS_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		    "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", NULL };
		int i;
		for (i = 0; vars[i] != NULL; i++)
			unsetenv(vars[i]);
		execv("/proc/self/exe", argv);
		perror("execv");
		return (2);
	}

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	REQUIRE(n > 0);
	self[n] = '\0';
	snprintf(tmpdir, sizeof tmpdir, "/tmp/awsv4-errors-XXXXXX");
	REQUIRE(mkdtemp(tmpdir) != NULL);

	creds = awsv4_creds_static(AWSV4_STR(AKID), AWSV4_STR(SECRET), AWSV4_STR(TOKEN), &e);
	REQUIRE(creds != NULL);
	{
		awsv4_signer_options o;
		awsv4_signer_options_init(&o);
		o.presign_expires = 3600;
		signer = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("service"), creds, &o, &e);
		REQUIRE(signer != NULL);
	}
	hasher = awsv4_hasher_new(&e);
	REQUIRE(hasher != NULL);

	t_library();
	t_creds();
	t_signer_new();
	t_sign(0);
	t_sign(1);
	t_hasher();
	t_helpers();
	t_env(self);

	CHECK(awsv4_hasher_destroy(hasher) == AWSV4_OK);
	CHECK(awsv4_signer_destroy(signer) == AWSV4_OK);
	CHECK(awsv4_creds_destroy(creds) == AWSV4_OK);
	rm_tmpdir();
	printf("errors_test: %d error messages checked for secrets\n", messages_seen);
	return (ct_finish());
}
