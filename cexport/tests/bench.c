/*
 * bench.c - the C API's cost per call, printed in Go's benchmark format so
 * the lines read beside `go test -bench` output of sigv4/bench_test.go:
 *
 *   BenchmarkCSign/<case>/c-api  <iterations>  <ns> ns/op
 *   BenchmarkCPayloadHash/6MB/c-api-64KiB-chunks  <iterations>  <ns> ns/op  <MB/s> MB/s
 *
 * The requests are exactly those of benchCases() in sigv4/bench_test.go:
 *   lambda-invoke       POST /2015-03-31/functions/my-function/invocations,
 *                       Host, Content-Type, X-Amz-Invocation-Type; the payload
 *                       hash of a 2 KB JSON body, hashed once beforehand;
 *                       region us-east-1, service lambda;
 *   get-10q-8h          GET with 10 query parameters and 8 headers, API
 *                       Gateway (execute-api), empty payload;
 *   presign-get-10q-8h  the same, presigned for 3600 s.
 * Static credentials without a token, signer options NULL (the service's
 * defaults), fixed time 2026-11-26T12:00:00Z (so the signing key is
 * derived once and then served from the cache, as on a real day).
 *
 * Each case: warm-up, then batches of calls timed with
 * clock_gettime(CLOCK_MONOTONIC) until at least BENCH_SECONDS (default 1)
 * have passed. The body hash: the same 6 MiB body as BenchmarkPayloadHash
 * (byte i = i*7), through awsv4_hasher_update in 64 KiB chunks; MB/s in
 * Go's unit (10^6 bytes per second).
 */
#define _XOPEN_SOURCE 700

#include <stdint.h>
#include <time.h>

#include "awsv4.h"
#include "check.h"

static double min_seconds = 1.0;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

struct sign_case {
	const char *name;
	const char *service;
	int presign;
	awsv4_request req;
	awsv4_signer *signer;
};

static char buf[8192];
static volatile size_t sink;

static int
sign_n(struct sign_case *c, long n)
{
	awsv4_signed out;
	awsv4_str q;
	size_t need;
	long i;
	int rc = AWSV4_OK;

	for (i = 0; i < n && rc == AWSV4_OK; i++) {
		if (c->presign) {
			rc = awsv4_presign(c->signer, &c->req, buf, sizeof buf, &need, &q, NULL);
			sink += q.len;
		} else {
			rc = awsv4_sign(c->signer, &c->req, buf, sizeof buf, &need, &out, NULL);
			sink += out.authorization.len;
		}
	}
	return (rc);
}

/* Runs fn in growing batches until min_seconds; returns ns/op. */
static double
run(int (*fn)(void *, long), void *arg, long *iters)
{
	long n = 1, total = 0;
	double start, elapsed;

	/* warm-up: at least 0.1 s or 1000 calls */
	start = now();
	while (now() - start < 0.1 || total < 1000) {
		if (fn(arg, 100) != AWSV4_OK)
			return (-1);
		total += 100;
	}
	total = 0;
	start = now();
	for (;;) {
		if (fn(arg, n) != AWSV4_OK)
			return (-1);
		total += n;
		elapsed = now() - start;
		if (elapsed >= min_seconds)
			break;
		/* aim for the remaining time, at most 10x the last batch */
		if (elapsed > 0 && total > 0) {
			double per = elapsed / (double)total;
			long want = (long)((min_seconds - elapsed) / per * 1.2) + 1;
			n = want > n * 10 ? n * 10 : want;
		} else {
			n *= 10;
		}
	}
	*iters = total;
	return (elapsed * 1e9 / (double)total);
}

static int
sign_thunk(void *arg, long n)
{
	return (sign_n(arg, n));
}

#define BODY_LEN (6 << 20)
static unsigned char *body;

static int
hash_thunk(void *arg, long n)
{
	awsv4_hasher *h = arg;
	char hex[AWSV4_HASH_HEX_SIZE];
	long i;
	size_t off;

	for (i = 0; i < n; i++) {
		for (off = 0; off < BODY_LEN; off += 64 << 10) {
			size_t len = BODY_LEN - off < (64 << 10) ? BODY_LEN - off : (64 << 10);
			if (awsv4_hasher_update(h, body + off, len, NULL) != AWSV4_OK)
				return (AWSV4_E_INTERNAL);
		}
		if (awsv4_hasher_final(h, hex, NULL) != AWSV4_OK)
			return (AWSV4_E_INTERNAL);
		sink += (size_t)hex[0];
	}
	return (AWSV4_OK);
}

int
main(void)
{
	const char *e = getenv("BENCH_SECONDS");
	awsv4_err err;
	awsv4_creds *creds;
	awsv4_hasher *h;
	char json[2200], hash[AWSV4_HASH_HEX_SIZE];
	size_t i, n;
	long iters;
	double ns;
	int64_t t = (int64_t)days_from_civil(2026, 11, 26) * 86400 + 12 * 3600; /* 2026-11-26T12:00:00Z */
	static const awsv4_header lambda_hdrs[] = {
		{ AWSV4_STR("Host"), AWSV4_STR("lambda.us-east-1.amazonaws.com") },
		{ AWSV4_STR("Content-Type"), AWSV4_STR("application/json") },
		{ AWSV4_STR("X-Amz-Invocation-Type"), AWSV4_STR("RequestResponse") },
	};
	static const awsv4_header get_hdrs[] = {
		{ AWSV4_STR("Host"), AWSV4_STR("abc123.execute-api.us-east-1.amazonaws.com") },
		{ AWSV4_STR("Accept"), AWSV4_STR("application/json") },
		{ AWSV4_STR("Accept-Language"), AWSV4_STR("en-US,en;q=0.9") },
		{ AWSV4_STR("Cache-Control"), AWSV4_STR("no-cache") },
		{ AWSV4_STR("If-None-Match"), AWSV4_STR("\"5d41402abc4b2a76b9719d911017c592\"") },
		{ AWSV4_STR("X-Amz-Meta-Trace"), AWSV4_STR("7c8e1f0a") },
		{ AWSV4_STR("X-Request-Id"), AWSV4_STR("0f3b9c7e-1d2a-4e5f-9a8b-7c6d5e4f3a2b") },
		{ AWSV4_STR("Range"), AWSV4_STR("bytes=0-1023") },
	};
	static const char get_query[] =
	    "limit=100&offset=200&sort=desc&filter=status%3Aactive&fields=id%2Cname%2Cprice"
	    "&lang=en-US&region=eu&include=tags&page_token=abc123XYZ&q=red%20shoes";
	struct sign_case cases[3];

	ct_name = "bench";
	if (e != NULL && atof(e) > 0)
		min_seconds = atof(e);

	/* the 2 KB JSON body of bench_test.go, hashed once */
	n = (size_t)snprintf(json, sizeof json, "{\"id\":\"");
	for (i = 0; i < 126; i++)
		n += (size_t)snprintf(json + n, sizeof json - n, "0123456789abcdef");
	n += (size_t)snprintf(json + n, sizeof json - n, "\",\"ok\":true}");
	h = awsv4_hasher_new(&err);
	REQUIRE(h != NULL);
	REQUIRE(awsv4_hasher_update(h, json, n, &err) == AWSV4_OK);
	REQUIRE(awsv4_hasher_final(h, hash, &err) == AWSV4_OK);

	creds = awsv4_creds_static(AWSV4_STR("AKIDEXAMPLE"),
	    AWSV4_STR("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), AWSV4_STR(""), &err);
	REQUIRE(creds != NULL);

	memset(cases, 0, sizeof cases);
	cases[0].name = "lambda-invoke";
	cases[0].service = "lambda";
	cases[0].req.method = AWSV4_STR("POST");
	cases[0].req.path = AWSV4_STR("/2015-03-31/functions/my-function/invocations");
	cases[0].req.headers = lambda_hdrs;
	cases[0].req.nheaders = 3;
	cases[0].req.payload_hash = (awsv4_str){ hash, 64 };
	cases[0].req.time = t;
	cases[1].name = "get-10q-8h";
	cases[1].service = "execute-api";
	cases[1].req.method = AWSV4_STR("GET");
	cases[1].req.path = AWSV4_STR("/prod/v1/items/2026/report.json");
	cases[1].req.query = AWSV4_STR(get_query);
	cases[1].req.headers = get_hdrs;
	cases[1].req.nheaders = 8;
	cases[1].req.time = t;
	cases[2] = cases[1];
	cases[2].name = "presign-get-10q-8h";
	cases[2].presign = 1;

	for (i = 0; i < 3; i++) {
		awsv4_signer_options o;
		awsv4_signer_options_init(&o);
		o.presign_expires = 3600;
		/* opts NULL in bench_test.go; for these services the defaults are
		 * all off, so only presign_expires (time.Hour there) is set. */
		cases[i].signer = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_CSTR(cases[i].service),
		    creds, &o, &err);
		REQUIRE(cases[i].signer != NULL);
		ns = run(sign_thunk, &cases[i], &iters);
		CHECKF(ns > 0, "%s failed", cases[i].name);
		if (ns > 0)
			printf("BenchmarkCSign/%s/c-api\t%10ld\t%10.0f ns/op\n", cases[i].name, iters, ns);
		fflush(stdout);
	}

	body = xmalloc(BODY_LEN);
	for (i = 0; i < BODY_LEN; i++)
		body[i] = (unsigned char)(i * 7);
	ns = run(hash_thunk, h, &iters);
	CHECK(ns > 0);
	if (ns > 0)
		printf("BenchmarkCPayloadHash/6MB/c-api-64KiB-chunks\t%10ld\t%10.0f ns/op\t%8.2f MB/s\n",
		    iters, ns, (double)BODY_LEN / (ns / 1e9) / 1e6);

	for (i = 0; i < 3; i++)
		CHECK(awsv4_signer_destroy(cases[i].signer) == AWSV4_OK);
	CHECK(awsv4_creds_destroy(creds) == AWSV4_OK);
	CHECK(awsv4_hasher_destroy(h) == AWSV4_OK);
	free(body);
	return (ct_finish());
}
