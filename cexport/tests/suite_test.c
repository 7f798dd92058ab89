/*
 * suite_test.c - the official SigV4 vectors (aws-c-auth's
 * aws-signing-test-suite/v4) through the C API.
 *
 * For every case folder of the suite (read at run time from the directory
 * given as argv[1], see FORMAT.md beside it): parse context.json and
 * request.txt, hash the body with awsv4_hasher_*, then
 *   header mode: awsv4_sign; Signature= of out.authorization must equal
 *                header-signature.txt, and the whole Authorization value
 *                the Authorization line of header-signed-request.txt;
 *   query mode:  awsv4_presign (presign_expires from the context); the
 *                X-Amz-Signature of the query must equal query-signature.txt,
 *                and the parameters those of query-signed-request.txt
 *                (as a set, case-insensitively, as the upstream harness).
 * Expected: 38/38 in each mode.
 */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <stdint.h>
#include <strings.h>
#include <sys/stat.h>

#include "awsv4.h"
#include "check.h"

/* ---- a tiny JSON reader: flattens objects into "a.b" -> scalar ---------- */

#define MAXKV 32

struct kv {
	char key[96];
	char val[1024];
	int is_string;
};

struct json {
	const char *p, *end;
	struct kv kv[MAXKV];
	int n;
	int bad;
};

static void
ws(struct json *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

/* Reads a JSON string into out (ASCII escapes; \u only below 0x80). */
static void
jstring(struct json *j, char *out, size_t cap)
{
	size_t n = 0;

	if (j->p >= j->end || *j->p != '"') {
		j->bad = 1;
		return;
	}
	j->p++;
	while (j->p < j->end && *j->p != '"') {
		char c = *j->p++;

		if (c == '\\' && j->p < j->end) {
			c = *j->p++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'u': {
				unsigned v = 0;
				int i;
				for (i = 0; i < 4 && j->p < j->end; i++, j->p++) {
					char h = *j->p;
					v = v * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
				}
				if (v >= 0x80)
					j->bad = 1;
				c = (char)v;
				break;
			}
			default: break; /* \" \\ \/ */
			}
		}
		if (n + 1 < cap)
			out[n++] = c;
		else
			j->bad = 1;
	}
	out[n] = '\0';
	if (j->p >= j->end)
		j->bad = 1;
	else
		j->p++;
}

static void jvalue(struct json *j, const char *prefix);

static void
jobject(struct json *j, const char *prefix)
{
	j->p++; /* { */
	ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return;
	}
	while (!j->bad && j->p < j->end) {
		char name[96], full[96];

		ws(j);
		jstring(j, name, sizeof name);
		ws(j);
		if (j->p >= j->end || *j->p != ':') {
			j->bad = 1;
			return;
		}
		j->p++;
		if (snprintf(full, sizeof full, "%s%s%s", prefix, prefix[0] ? "." : "", name) >=
		    (int)sizeof full) {
			j->bad = 1;
			return;
		}
		jvalue(j, full);
		ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			continue;
		}
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			return;
		}
		j->bad = 1;
	}
}

static void
jvalue(struct json *j, const char *key)
{
	struct kv *kv;

	ws(j);
	if (j->p >= j->end) {
		j->bad = 1;
		return;
	}
	if (*j->p == '{') {
		jobject(j, key);
		return;
	}
	if (*j->p == '[') { /* not in the suite: skip flatly (no nesting) */
		while (j->p < j->end && *j->p != ']')
			j->p++;
		j->p++;
		return;
	}
	if (j->n >= MAXKV) {
		j->bad = 1;
		return;
	}
	kv = &j->kv[j->n++];
	snprintf(kv->key, sizeof kv->key, "%s", key);
	if (*j->p == '"') {
		kv->is_string = 1;
		jstring(j, kv->val, sizeof kv->val);
		return;
	}
	{	/* number, true, false, null */
		size_t n = 0;
		while (j->p < j->end && *j->p != ',' && *j->p != '}' && *j->p != ']' &&
		    *j->p != ' ' && *j->p != '\n' && *j->p != '\r' && *j->p != '\t' &&
		    n + 1 < sizeof kv->val)
			kv->val[n++] = *j->p++;
		kv->val[n] = '\0';
		kv->is_string = 0;
	}
}

static const struct kv *
jget(const struct json *j, const char *key)
{
	int i;

	for (i = 0; i < j->n; i++)
		if (strcmp(j->kv[i].key, key) == 0)
			return (&j->kv[i]);
	return (NULL);
}

static const char *
jstr(const struct json *j, const char *key, const char *def)
{
	const struct kv *kv = jget(j, key);

	return (kv != NULL && kv->is_string ? kv->val : def);
}

static int
jbool(const struct json *j, const char *key, int def)
{
	const struct kv *kv = jget(j, key);

	if (kv == NULL || kv->is_string)
		return (def);
	return (strcmp(kv->val, "true") == 0);
}

static long long
jint(const struct json *j, const char *key, long long def)
{
	const struct kv *kv = jget(j, key);

	if (kv == NULL || kv->is_string)
		return (def);
	return (strtoll(kv->val, NULL, 10));
}

/* ---- request.txt (FORMAT.md §6) ----------------------------------------- */

#define MAXHDR 32

struct request {
	char *method, *path, *query;     /* NUL-terminated copies */
	size_t path_len, query_len;
	awsv4_header hdrs[MAXHDR];
	char *hval[MAXHDR];              /* owned header values */
	size_t n;
	const char *body;
	size_t body_len;
	char *raw;
};

static void
request_free(struct request *r)
{
	size_t i;

	free(r->method);
	free(r->path);
	free(r->query);
	for (i = 0; i < r->n; i++) {
		free((char *)r->hdrs[i].name.ptr);
		free(r->hval[i]);
	}
	free(r->raw);
	memset(r, 0, sizeof *r);
}

static char *
dup_n(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return (p);
}

/* Parses the request in r->raw (len bytes). 0 on success. */
static int
request_parse(struct request *r, size_t len)
{
	const char *p = r->raw, *end = r->raw + len, *eol, *sp, *target, *q;
	static const char suffix[] = " HTTP/1.1";
	size_t tlen;

	eol = memchr(p, '\n', (size_t)(end - p));
	if (eol == NULL)
		eol = end;
	sp = memchr(p, ' ', (size_t)(eol - p));
	if (sp == NULL || (size_t)(eol - sp) < sizeof suffix - 1 ||
	    memcmp(eol - (sizeof suffix - 1), suffix, sizeof suffix - 1) != 0)
		return (-1);
	r->method = dup_n(p, (size_t)(sp - p));
	target = sp + 1;
	tlen = (size_t)(eol - (sizeof suffix - 1) - target);
	q = memchr(target, '?', tlen);
	if (q != NULL) {
		r->path = dup_n(target, (size_t)(q - target));
		r->path_len = (size_t)(q - target);
		r->query = dup_n(q + 1, tlen - (size_t)(q - target) - 1);
		r->query_len = tlen - (size_t)(q - target) - 1;
	} else {
		r->path = dup_n(target, tlen);
		r->path_len = tlen;
		r->query = dup_n("", 0);
		r->query_len = 0;
	}
	p = eol < end ? eol + 1 : end;

	while (p < end) {
		const char *colon;

		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		if (eol == p) {          /* empty line: the body follows */
			r->body = eol + 1 <= end ? eol + 1 : end;
			r->body_len = (size_t)(end - r->body);
			return (0);
		}
		if (*p == ' ' || *p == '\t') { /* folded: join with one space */
			const char *c = p;
			char *v;
			size_t old, add;

			if (r->n == 0)
				return (-1);
			while (c < eol && (*c == ' ' || *c == '\t'))
				c++;
			old = r->hdrs[r->n - 1].value.len;
			add = (size_t)(eol - c);
			v = xmalloc(old + 1 + add + 1);
			memcpy(v, r->hval[r->n - 1], old);
			v[old] = ' ';
			memcpy(v + old + 1, c, add);
			v[old + 1 + add] = '\0';
			free(r->hval[r->n - 1]);
			r->hval[r->n - 1] = v;
			r->hdrs[r->n - 1].value = (awsv4_str){ v, old + 1 + add };
		} else {
			colon = memchr(p, ':', (size_t)(eol - p));
			if (colon == NULL || r->n == MAXHDR)
				return (-1);
			r->hdrs[r->n].name = (awsv4_str){ dup_n(p, (size_t)(colon - p)), (size_t)(colon - p) };
			r->hval[r->n] = dup_n(colon + 1, (size_t)(eol - colon - 1));
			r->hdrs[r->n].value = (awsv4_str){ r->hval[r->n], (size_t)(eol - colon - 1) };
			r->n++;
		}
		p = eol < end ? eol + 1 : end;
	}
	r->body = end;
	r->body_len = 0;
	return (0);
}

static int
request_load(struct request *r, const char *path)
{
	size_t len;

	memset(r, 0, sizeof *r);
	r->raw = read_file(path, &len);
	if (r->raw == NULL)
		return (-1);
	return (request_parse(r, len));
}

/* The value of header name (case-insensitive) in r, or NULL. */
static const awsv4_str *
request_header(const struct request *r, const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < r->n; i++)
		if (r->hdrs[i].name.len == n && strncasecmp(r->hdrs[i].name.ptr, name, n) == 0)
			return (&r->hdrs[i].value);
	return (NULL);
}

/* ---- query comparison as the upstream harness does it ------------------- */

static int
cmp_ci(const void *a, const void *b)
{
	return (strcasecmp(*(char *const *)a, *(char *const *)b));
}

/* Same multiset of '&'-separated parameters, compared case-insensitively. */
static int
same_params(const char *a, size_t alen, const char *b, size_t blen)
{
	char *ca = dup_n(a, alen), *cb = dup_n(b, blen), *pa[64], *pb[64], *s, *save;
	int na = 0, nb = 0, i, same;

	for (s = strtok_r(ca, "&", &save); s != NULL && na < 64; s = strtok_r(NULL, "&", &save))
		pa[na++] = s;
	for (s = strtok_r(cb, "&", &save); s != NULL && nb < 64; s = strtok_r(NULL, "&", &save))
		pb[nb++] = s;
	same = na == nb;
	if (same) {
		qsort(pa, (size_t)na, sizeof pa[0], cmp_ci);
		qsort(pb, (size_t)nb, sizeof pb[0], cmp_ci);
		for (i = 0; i < na && same; i++)
			same = strcasecmp(pa[i], pb[i]) == 0;
	}
	free(ca);
	free(cb);
	return (same);
}

/* Value of parameter key in a raw query, or NULL; *len gets its length. */
static const char *
query_param(const char *q, size_t qlen, const char *key, size_t *len)
{
	size_t klen = strlen(key);
	const char *p = q, *end = q + qlen;

	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		if (amp == NULL)
			amp = end;
		if ((size_t)(amp - p) > klen && memcmp(p, key, klen) == 0 && p[klen] == '=') {
			*len = (size_t)(amp - p - (ptrdiff_t)klen - 1);
			return (p + klen + 1);
		}
		p = amp + 1;
	}
	return (NULL);
}

/* ---- one case ----------------------------------------------------------- */

static char *
read_trim(const char *dir, const char *file)
{
	char path[4096];
	size_t len;
	char *s;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	s = read_file(path, &len);
	if (s == NULL)
		return (NULL);
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r' || s[len - 1] == ' '))
		s[--len] = '\0';
	return (s);
}

static int header_ok, query_ok, cases;
static awsv4_hasher *hasher;

static void
run_case(const char *dir, const char *name)
{
	char path[4096], hash[AWSV4_HASH_HEX_SIZE], buf[8192];
	struct json j;
	struct request req, signed_req;
	char *ctx, *want_h = NULL, *want_q = NULL;
	size_t ctxlen, need = 0;
	long long t;
	awsv4_err err;
	awsv4_creds *creds = NULL;
	awsv4_signer *s = NULL;
	awsv4_signer_options opts;
	awsv4_request r;
	awsv4_signed out;
	awsv4_str q;
	const char *akid, *secret, *token, *sig;
	int rc, h_ok = 0, q_ok = 0;

	cases++;
	memset(&req, 0, sizeof req);
	memset(&signed_req, 0, sizeof signed_req);
	snprintf(path, sizeof path, "%s/%s/context.json", dir, name);
	ctx = read_file(path, &ctxlen);
	CHECKF(ctx != NULL, "%s", path);
	if (ctx == NULL)
		return;
	memset(&j, 0, sizeof j);
	j.p = ctx;
	j.end = ctx + ctxlen;
	ws(&j);
	if (j.p < j.end && *j.p == '{')
		jobject(&j, "");
	else
		j.bad = 1;
	CHECKF(!j.bad, "%s: cannot parse context.json", name);
	if (j.bad)
		goto done;

	snprintf(path, sizeof path, "%s/%s/request.txt", dir, name);
	CHECKF(request_load(&req, path) == 0, "%s: cannot parse request.txt", name);
	if (req.method == NULL)
		goto done;

	/* Body -> payload hash, through the library's streaming hasher. */
	CHECK(awsv4_hasher_update(hasher, req.body, req.body_len, &err) == AWSV4_OK);
	CHECK(awsv4_hasher_final(hasher, hash, &err) == AWSV4_OK);
	if (req.body_len == 0)
		CHECKF(strcmp(hash, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0,
		    "%s: empty body hash %s", name, hash);
	else if (req.body_len == 13 && memcmp(req.body, "Param1=value1", 13) == 0) /* FORMAT.md §7.2 */
		CHECKF(strcmp(hash, "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e") == 0,
		    "%s: body hash %s", name, hash);

	akid = jstr(&j, "credentials.access_key_id", "");
	secret = jstr(&j, "credentials.secret_access_key", "");
	token = jstr(&j, "credentials.token", "");
	t = parse_iso8601(jstr(&j, "timestamp", ""));
	CHECKF(t > 0, "%s: timestamp", name);

	creds = awsv4_creds_static(AWSV4_CSTR(akid), AWSV4_CSTR(secret), AWSV4_CSTR(token), &err);
	CHECKF(creds != NULL, "%s: creds: %s", name, err.message);
	awsv4_signer_options_init(&opts);
	opts.disable_normalization = !jbool(&j, "normalize", 1);
	opts.add_content_sha256 = jbool(&j, "sign_body", 0);
	opts.omit_session_token = jbool(&j, "omit_session_token", 0);
	opts.presign_expires = jint(&j, "expiration_in_seconds", 0);
	s = awsv4_signer_new(AWSV4_CSTR(jstr(&j, "region", "")), AWSV4_CSTR(jstr(&j, "service", "")),
	    creds, &opts, &err);
	CHECKF(s != NULL, "%s: signer: %s", name, err.message);
	if (s == NULL)
		goto done;

	memset(&r, 0, sizeof r);
	r.method = AWSV4_CSTR(req.method);
	r.path = (awsv4_str){ req.path, req.path_len };
	r.query = (awsv4_str){ req.query, req.query_len };
	r.headers = req.hdrs;
	r.nheaders = req.n;
	r.payload_hash = (awsv4_str){ hash, 64 };
	r.time = t;

	/* Header mode. */
	snprintf(path, sizeof path, "%s/%s", dir, name);
	want_h = read_trim(path, "header-signature.txt");
	want_q = read_trim(path, "query-signature.txt");
	CHECKF(want_h != NULL && want_q != NULL, "%s: expected signature files", name);
	rc = awsv4_sign(s, &r, buf, sizeof buf, &need, &out, &err);
	CHECKF(rc == AWSV4_OK, "%s: awsv4_sign: %d %s", name, rc, err.message);
	if (rc == AWSV4_OK && want_h != NULL) {
		sig = strstr(out.authorization.ptr, "Signature=");
		h_ok = sig != NULL && strcmp(sig + 10, want_h) == 0;
		CHECKF(h_ok, "%s: header signature\n   got  %s\n   want %s", name,
		    sig ? sig + 10 : out.authorization.ptr, want_h);
		CHECK(strlen(out.authorization.ptr) == out.authorization.len);
		CHECKF(strcmp(out.date.ptr, "20150830T123600Z") == 0, "%s: date %s", name, out.date.ptr);
		/* The whole Authorization value, and the other added headers, as
		 * in header-signed-request.txt. */
		snprintf(path, sizeof path, "%s/%s/header-signed-request.txt", dir, name);
		if (request_load(&signed_req, path) == 0) {
			const awsv4_str *a = request_header(&signed_req, "Authorization");
			const awsv4_str *tok = request_header(&signed_req, "X-Amz-Security-Token");
			const awsv4_str *sha = request_header(&signed_req, "x-amz-content-sha256");

			CHECKF(a != NULL && a->len == out.authorization.len &&
			    memcmp(a->ptr, out.authorization.ptr, a->len) == 0,
			    "%s: Authorization\n   got  %s\n   want %.*s", name, out.authorization.ptr,
			    a ? (int)a->len : 0, a ? a->ptr : "");
			CHECKF(tok == NULL ? out.security_token.len == 0 :
			    (tok->len == out.security_token.len &&
			     memcmp(tok->ptr, out.security_token.ptr, tok->len) == 0),
			    "%s: X-Amz-Security-Token", name);
			CHECKF(sha == NULL ? out.content_sha256.len == 0 :
			    (sha->len == out.content_sha256.len &&
			     memcmp(sha->ptr, out.content_sha256.ptr, sha->len) == 0),
			    "%s: x-amz-content-sha256", name);
		} else {
			CHECKF(0, "%s: cannot parse header-signed-request.txt", name);
		}
		request_free(&signed_req);
	}

	/* Query mode. */
	rc = awsv4_presign(s, &r, buf, sizeof buf, &need, &q, &err);
	CHECKF(rc == AWSV4_OK, "%s: awsv4_presign: %d %s", name, rc, err.message);
	if (rc == AWSV4_OK && want_q != NULL) {
		size_t slen = 0;
		const char *qs = query_param(q.ptr, q.len, "X-Amz-Signature", &slen);

		q_ok = qs != NULL && slen == strlen(want_q) && memcmp(qs, want_q, slen) == 0;
		CHECKF(q_ok, "%s: query signature\n   got  %.*s\n   want %s", name,
		    qs ? (int)slen : (int)q.len, qs ? qs : q.ptr, want_q);
		CHECK(strlen(q.ptr) == q.len);
		snprintf(path, sizeof path, "%s/%s/query-signed-request.txt", dir, name);
		if (request_load(&signed_req, path) == 0) {
			CHECKF(same_params(q.ptr, q.len, signed_req.query, signed_req.query_len),
			    "%s: presigned query\n   got  %s\n   want %s", name, q.ptr, signed_req.query);
			CHECKF(strcmp(signed_req.path, req.path) == 0, "%s: path", name);
		} else {
			CHECKF(0, "%s: cannot parse query-signed-request.txt", name);
		}
		request_free(&signed_req);
	}
	header_ok += h_ok;
	query_ok += q_ok;

done:
	if (s != NULL)
		CHECK(awsv4_signer_destroy(s) == AWSV4_OK);
	if (creds != NULL)
		CHECK(awsv4_creds_destroy(creds) == AWSV4_OK);
	request_free(&req);
	free(want_h);
	free(want_q);
	free(ctx);
}

static int
cmp_str(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("SUITE");
	DIR *d;
	struct dirent *de;
	char *names[256];
	int n = 0, i;
	awsv4_err err;

	ct_name = "suite_test";
	if (dir == NULL) {
		fprintf(stderr, "usage: %s SUITE_DIR (aws-signing-test-suite/v4)\n", argv[0]);
		return (2);
	}
	d = opendir(dir);
	REQUIRE(d != NULL);
	while ((de = readdir(d)) != NULL && n < 256) {
		char p[4096];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%s/context.json", dir, de->d_name);
		if (stat(p, &st) == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof names[0], cmp_str);

	hasher = awsv4_hasher_new(&err);
	REQUIRE(hasher != NULL);
	for (i = 0; i < n; i++) {
		run_case(dir, names[i]);
		free(names[i]);
	}
	CHECK(awsv4_hasher_destroy(hasher) == AWSV4_OK);

	printf("suite_test: %s: %d cases, header mode %d/%d, query mode %d/%d\n",
	    dir, cases, header_ok, cases, query_ok, cases);
	CHECKF(cases == 38, "the v4 suite has 38 cases, found %d", cases);
	CHECK(header_ok == cases && query_ok == cases);
	return (ct_finish());
}
