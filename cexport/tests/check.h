/*
 * check.h - the whole "framework" of the libawsv4 C tests.
 *
 * CHECK(cond) counts a passed or a failed check and prints file:line and
 * the failed expression; CHECKF adds a printf-style explanation. Counters
 * are atomic, so threads may CHECK too. ct_finish() prints the line the
 * Makefile adds up ("ctest-result <name> <passed> <failed>") and returns
 * the exit status.
 *
 * Each test program includes this file once (everything is static).
 */
#ifndef AWSV4_CTEST_CHECK_H
#define AWSV4_CTEST_CHECK_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_int ct_passed;
static atomic_int ct_failed;

static void
ct_fail_at(const char *file, int line, const char *expr, const char *fmt, ...)
{
	atomic_fetch_add(&ct_failed, 1);
	flockfile(stderr);
	fprintf(stderr, "%s:%d: CHECK failed: %s", file, line, expr);
	if (fmt != NULL) {
		va_list ap;
		fputs(": ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
	}
	fputc('\n', stderr);
	funlockfile(stderr);
}

#define CHECK(cond) do { \
	if (cond) \
		atomic_fetch_add(&ct_passed, 1); \
	else \
		ct_fail_at(__FILE__, __LINE__, #cond, NULL); \
} while (0)

#define CHECKF(cond, ...) do { \
	if (cond) \
		atomic_fetch_add(&ct_passed, 1); \
	else \
		ct_fail_at(__FILE__, __LINE__, #cond, __VA_ARGS__); \
} while (0)

/* Abort the program (a failed precondition: nothing later can be checked). */
#define REQUIRE(cond) do { \
	if (!(cond)) { \
		ct_fail_at(__FILE__, __LINE__, #cond, "required; giving up"); \
		exit(ct_finish_name(NULL)); \
	} \
	atomic_fetch_add(&ct_passed, 1); \
} while (0)

static const char *ct_name = "?";

static int
ct_finish_name(const char *name)
{
	int p = atomic_load(&ct_passed), f = atomic_load(&ct_failed);

	if (name != NULL)
		ct_name = name;
	fflush(stderr);
	printf("ctest-result %s %d %d\n", ct_name, p, f);
	fflush(stdout);
	return (f == 0 ? 0 : 1);
}

static inline int
ct_finish(void)
{
	return (ct_finish_name(NULL));
}

/* ---- small helpers shared by the tests ------------------------------- */

static inline void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL) {
		perror("malloc");
		exit(2);
	}
	return (p);
}

/* Read a whole file; NULL if it cannot be read. *len gets its size; the
 * buffer has one extra NUL byte after the data. */
static inline char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t cap = 4096, n = 0, r;

	if (f == NULL)
		return (NULL);
	buf = xmalloc(cap);
	while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (cap - n - 1 == 0) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (buf == NULL) {
				perror("realloc");
				exit(2);
			}
		}
	}
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return (NULL);
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return (buf);
}

/* memmem without _GNU_SOURCE. */
static inline const char *
find_bytes(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	size_t i;

	if (nlen == 0)
		return (hay);
	if (hlen < nlen)
		return (NULL);
	for (i = 0; i + nlen <= hlen; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, nlen) == 0)
			return (hay + i);
	return (NULL);
}

/* Is s (len bytes) lower-case hex of length 64? */
static inline int
is_hex64(const char *s, size_t len)
{
	size_t i;

	if (len != 64)
		return (0);
	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return (0);
	return (1);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), so that no test depends on timegm or the TZ. */
static inline long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + (long long)doe - 719468);
}

/* "2015-08-30T12:36:00Z" -> seconds since the epoch; -1 if malformed. */
static inline long long
parse_iso8601(const char *s)
{
	int y, mo, d, h, mi, sec;
	char z;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &sec, &z) != 7 ||
	    z != 'Z' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return (-1);
	return (days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400LL + h * 3600 + mi * 60 + sec);
}

#endif /* AWSV4_CTEST_CHECK_H */
