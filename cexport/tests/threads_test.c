/*
 * threads_test.c - one signer and one credentials handle shared by 8
 * threads (awsv4.h: "creds and signer handles may be used from any number
 * of threads at once").
 *
 * First, on the main thread, every request of a fixed set is signed
 * (awsv4_sign) and presigned (awsv4_presign), and every thread's body is
 * hashed; these are the expected results. Then 8 threads, started together,
 * each sign and presign CTEST_ITERS (default 2000) requests from the set in
 * an order of their own and stream their own body through their own hasher
 * in chunks of varying size; every result must equal the single-threaded
 * one, byte for byte. The set spans four days, so the signer's cached
 * signing key is replaced while other threads read it. The threads also
 * use the shared creds handle directly (awsv4_creds_check, and short-lived
 * signers of their own made from it). Last, handles destroyed while other
 * threads use them (see destroy_races).
 */
#define _XOPEN_SOURCE 700

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "awsv4.h"
#include "check.h"

#define NTHREADS 8
#define NREQ 48
#define BODY_LEN (300 * 1024 + 17)

static const char secret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
static const char token[] = "IQoJb3JpZ2luX2VjEXAMPLETOKEN/+=abc";

struct req {
	char path[128], query[128], host[64], val[64], hash[AWSV4_HASH_HEX_SIZE];
	awsv4_header hdrs[4];
	awsv4_request r;
	char want_auth[512], want_query[2048], want_date[20], want_list[256];
};

static struct req reqs[NREQ];
static awsv4_signer *signer;
static awsv4_creds *creds;
static long iters = 2000;
static pthread_barrier_t start;

struct body {
	unsigned char *data;
	char want[AWSV4_HASH_HEX_SIZE];
};
static struct body bodies[NTHREADS];

static void
make_req(int i)
{
	struct req *q = &reqs[i];
	/* 2015-08-30T12:36:00Z, then the next days: four signing keys. */
	int64_t t = 1440938160 + (int64_t)(i % 4) * 86400 + i * 37;

	snprintf(q->path, sizeof q->path, "/2015-03-31/functions/fn-%d/invocations/%s", i,
	    i % 3 == 0 ? "a/../b" : "x%20y");
	snprintf(q->query, sizeof q->query, "b=%d&a=%c&Qualifier=v%d", i * 7, 'a' + i % 26, i % 5);
	snprintf(q->host, sizeof q->host, "lambda.us-east-1.amazonaws.com");
	snprintf(q->val, sizeof q->val, "  value   %d  ", i);
	q->hdrs[0] = (awsv4_header){ AWSV4_STR("Host"), AWSV4_CSTR(q->host) };
	q->hdrs[1] = (awsv4_header){ AWSV4_STR("Content-Type"), AWSV4_STR("application/json") };
	q->hdrs[2] = (awsv4_header){ AWSV4_STR("X-Custom"), AWSV4_CSTR(q->val) };
	q->hdrs[3] = (awsv4_header){ AWSV4_STR("X-Amz-Invocation-Type"),
	    i % 2 ? AWSV4_STR("Event") : AWSV4_STR("RequestResponse") };
	/* a payload hash that differs per request: sha256 of nothing, or a fake */
	if (i % 2)
		snprintf(q->hash, sizeof q->hash, "%064x", i);
	else
		snprintf(q->hash, sizeof q->hash, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	memset(&q->r, 0, sizeof q->r);
	q->r.method = i % 5 == 0 ? AWSV4_STR("GET") : AWSV4_STR("POST");
	q->r.path = AWSV4_CSTR(q->path);
	q->r.query = AWSV4_CSTR(q->query);
	q->r.headers = q->hdrs;
	q->r.nheaders = 3 + (size_t)(i % 2);
	q->r.payload_hash = (awsv4_str){ q->hash, 64 };
	q->r.time = t;
}

/* Signs request i into the given buffers; 0 on success. */
static int
sign_one(int i, char *auth, size_t authlen, char *query, size_t qlen, char *date, char *list)
{
	char buf[4096];
	awsv4_signed out;
	awsv4_str q;
	awsv4_err err;
	size_t need;

	if (awsv4_sign(signer, &reqs[i].r, buf, sizeof buf, &need, &out, &err) != AWSV4_OK) {
		fprintf(stderr, "sign %d: %s\n", i, err.message);
		return (-1);
	}
	if (out.authorization.len >= authlen)
		return (-1);
	memcpy(auth, out.authorization.ptr, out.authorization.len + 1);
	memcpy(date, out.date.ptr, out.date.len + 1);
	snprintf(list, 256, "%s|%s", out.signed_headers.ptr, out.security_token.ptr);
	if (awsv4_presign(signer, &reqs[i].r, buf, sizeof buf, &need, &q, &err) != AWSV4_OK) {
		fprintf(stderr, "presign %d: %s\n", i, err.message);
		return (-1);
	}
	if (q.len >= qlen)
		return (-1);
	memcpy(query, q.ptr, q.len + 1);
	return (0);
}

/* Streams body b through h in chunks whose sizes depend on seed. */
static int
hash_body(awsv4_hasher *h, const unsigned char *b, unsigned seed, char hex[AWSV4_HASH_HEX_SIZE])
{
	size_t off = 0;
	static const size_t sizes[] = { 1, 7, 64, 4093, 16384, 65536, 333 };

	while (off < BODY_LEN) {
		size_t n = sizes[(seed++) % 7];
		if (n > BODY_LEN - off)
			n = BODY_LEN - off;
		if (awsv4_hasher_update(h, b + off, n, NULL) != AWSV4_OK)
			return (-1);
		off += n;
	}
	return (awsv4_hasher_final(h, hex, NULL));
}

static void *
worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	long k;
	awsv4_err err;
	awsv4_hasher *h = awsv4_hasher_new(&err);
	char auth[512], query[2048], date[20], list[256], hex[AWSV4_HASH_HEX_SIZE];
	long bad = 0, hashes = 0, badhash = 0, badcreds = 0;

	CHECKF(h != NULL, "thread %d: hasher: %s", id, err.message);
	pthread_barrier_wait(&start);
	for (k = 0; k < iters; k++) {
		int i = (int)((k * (2 * id + 1) + id * 5) % NREQ);

		if (sign_one(i, auth, sizeof auth, query, sizeof query, date, list) != 0 ||
		    strcmp(auth, reqs[i].want_auth) != 0 || strcmp(query, reqs[i].want_query) != 0 ||
		    strcmp(date, reqs[i].want_date) != 0 || strcmp(list, reqs[i].want_list) != 0) {
			if (bad++ < 3)
				fprintf(stderr, "thread %d iteration %ld request %d: got %s, want %s\n",
				    id, k, i, auth, reqs[i].want_auth);
		}
		/* the shared creds handle, used at once by every thread: check it,
		 * and now and then make a short-lived signer of its own from it */
		if (k % 64 == 0 && awsv4_creds_check(creds, NULL) != AWSV4_OK)
			badcreds++;
		if (k % 256 == 0) {
			awsv4_signer_options o;
			awsv4_signer *s2;
			char a2[512];
			awsv4_signed out;
			size_t need;

			awsv4_signer_options_init(&o);
			s2 = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("lambda"), creds, &o, NULL);
			if (s2 == NULL || awsv4_sign(s2, &reqs[i].r, a2, sizeof a2, &need, &out, NULL) != AWSV4_OK ||
			    strcmp(out.authorization.ptr, reqs[i].want_auth) != 0)
				badcreds++;
			if (s2 == NULL || awsv4_signer_destroy(s2) != AWSV4_OK)
				badcreds++;
		}
		/* a body hash every 16 signatures, interleaved with signing */
		if (h != NULL && k % 16 == 0) {
			hashes++;
			if (hash_body(h, bodies[id].data, (unsigned)(id + k), hex) != AWSV4_OK ||
			    strcmp(hex, bodies[id].want) != 0)
				badhash++;
		}
	}
	CHECKF(bad == 0, "thread %d: %ld of %ld results differ from the single-threaded ones", id, bad, iters);
	CHECKF(badcreds == 0, "thread %d: %ld failures using the shared creds handle", id, badcreds);
	CHECKF(badhash == 0, "thread %d: %ld of %ld body hashes differ", id, badhash, hashes);
	if (h != NULL)
		CHECK(awsv4_hasher_destroy(h) == AWSV4_OK);
	return (NULL);
}

/*
 * Destroy while in use: threads sign with a signer that the main thread
 * destroys meanwhile. Every call must return AWSV4_OK or AWSV4_E_HANDLE
 * (never crash, never anything else), and once a thread has seen
 * AWSV4_E_HANDLE it never sees AWSV4_OK again. Then 8 threads destroy one
 * handle at once: exactly one of them succeeds.
 */
static awsv4_signer *victim;
static atomic_int destroy_ok;

static void *
race_signer(void *arg)
{
	int id = (int)(intptr_t)arg, rc, gone = 0;
	long k, other = 0, back = 0;
	char b[2048];
	awsv4_signed out;
	size_t need;

	pthread_barrier_wait(&start);
	for (k = 0; k < 10000000; k++) { /* ends soon after the destroy */
		rc = awsv4_sign(victim, &reqs[(id + k) % NREQ].r, b, sizeof b, &need, &out, NULL);
		if (rc == AWSV4_E_HANDLE) {
			if (++gone > 50)
				break;
		} else if (rc == AWSV4_OK) {
			back += gone > 0;
		} else {
			other++;
		}
	}
	CHECKF(other == 0, "thread %d: %ld results neither OK nor E_HANDLE", id, other);
	CHECKF(back == 0, "thread %d: signed again after E_HANDLE", id);
	CHECKF(gone > 0, "thread %d: never saw the signer destroyed", id);
	return (NULL);
}

static void *
race_destroy(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&start);
	if (awsv4_signer_destroy(victim) == AWSV4_OK)
		atomic_fetch_add(&destroy_ok, 1);
	return (NULL);
}

static void
destroy_races(void)
{
	pthread_t th[NTHREADS];
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i;

	victim = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("lambda"), creds, NULL, NULL);
	REQUIRE(victim != NULL);
	REQUIRE(pthread_barrier_init(&start, NULL, NTHREADS + 1) == 0);
	for (i = 0; i < NTHREADS; i++)
		REQUIRE(pthread_create(&th[i], NULL, race_signer, (void *)(intptr_t)i) == 0);
	pthread_barrier_wait(&start);
	nanosleep(&ts, NULL);
	CHECK(awsv4_signer_destroy(victim) == AWSV4_OK);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);

	victim = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("lambda"), creds, NULL, NULL);
	REQUIRE(victim != NULL);
	REQUIRE(pthread_barrier_init(&start, NULL, NTHREADS) == 0);
	for (i = 0; i < NTHREADS; i++)
		REQUIRE(pthread_create(&th[i], NULL, race_destroy, NULL) == 0);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	CHECKF(atomic_load(&destroy_ok) == 1, "%d of %d concurrent destroys succeeded",
	    atomic_load(&destroy_ok), NTHREADS);
}

int
main(void)
{
	pthread_t th[NTHREADS];
	awsv4_err err;
	awsv4_signer_options opts;
	awsv4_hasher *h;
	const char *e = getenv("CTEST_ITERS");
	int i;

	ct_name = "threads_test";
	if (e != NULL && atol(e) > 0)
		iters = atol(e);

	creds = awsv4_creds_static(AWSV4_STR("AKIDEXAMPLE"), AWSV4_STR(secret), AWSV4_STR(token), &err);
	REQUIRE(creds != NULL);
	awsv4_signer_options_init(&opts);
	opts.presign_expires = 3600;
	signer = awsv4_signer_new(AWSV4_STR("us-east-1"), AWSV4_STR("lambda"), creds, &opts, &err);
	REQUIRE(signer != NULL);

	/* Expected results, single-threaded. */
	for (i = 0; i < NREQ; i++) {
		make_req(i);
		CHECK(sign_one(i, reqs[i].want_auth, sizeof reqs[i].want_auth, reqs[i].want_query,
		    sizeof reqs[i].want_query, reqs[i].want_date, reqs[i].want_list) == 0);
	}
	/* Sanity: different requests give different signatures. */
	CHECK(strcmp(reqs[0].want_auth, reqs[1].want_auth) != 0);
	CHECK(strcmp(reqs[0].want_auth, reqs[4].want_auth) != 0);
	h = awsv4_hasher_new(&err);
	REQUIRE(h != NULL);
	for (i = 0; i < NTHREADS; i++) {
		size_t k;
		uint32_t x = 0x9e3779b9u * (uint32_t)(i + 1);

		bodies[i].data = xmalloc(BODY_LEN);
		for (k = 0; k < BODY_LEN; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			bodies[i].data[k] = (k % 5 == 0) ? 0 : (unsigned char)x;
		}
		/* one update for the whole body: a different chunking than the threads use */
		CHECK(awsv4_hasher_update(h, bodies[i].data, BODY_LEN, &err) == AWSV4_OK);
		CHECK(awsv4_hasher_final(h, bodies[i].want, &err) == AWSV4_OK);
	}
	CHECK(strcmp(bodies[0].want, bodies[1].want) != 0);
	CHECK(awsv4_hasher_destroy(h) == AWSV4_OK);

	REQUIRE(pthread_barrier_init(&start, NULL, NTHREADS) == 0);
	for (i = 0; i < NTHREADS; i++)
		REQUIRE(pthread_create(&th[i], NULL, worker, (void *)(intptr_t)i) == 0);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	destroy_races();
	CHECK(awsv4_creds_destroy(creds) == AWSV4_OK);

	CHECK(awsv4_signer_destroy(signer) == AWSV4_OK);
	for (i = 0; i < NTHREADS; i++)
		free(bodies[i].data);
	printf("threads_test: %d threads x %ld iterations (sign + presign), one shared signer\n",
	    NTHREADS, iters);
	return (ct_finish());
}
