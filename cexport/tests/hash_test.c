/*
 * hash_test.c - the streaming payload hasher against sha256sum(1).
 *
 * A body of CTEST_HASH_BYTES (default 6 MiB) pseudo-random bytes, with
 * every fourth byte and a few long runs set to NUL, is written to a
 * temporary file and hashed by `sha256sum` (run through popen): that is
 * the expected value, computed outside the library. The same bytes then go
 * through awsv4_hasher_update in chunks of 1 byte, 7, 4093 and 64 KiB
 * bytes, in chunks of changing sizes, and in one piece; every digest must
 * equal sha256sum's. Also: the empty body (the well-known
 * e3b0c442...b855, and sha256sum of an empty file), a 0-length update,
 * and awsv4_hasher_final resetting the hasher for the next body.
 */
#define _XOPEN_SOURCE 700

#include <stdint.h>
#include <unistd.h>

#include "awsv4.h"
#include "check.h"

static const char empty_sha256[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/* sha256sum of len bytes of data, through a temporary file; 0 on success. */
static int
sha256sum(const unsigned char *data, size_t len, char hex[AWSV4_HASH_HEX_SIZE])
{
	char path[] = "/tmp/awsv4-hash-test-XXXXXX", cmd[128], line[256];
	int fd = mkstemp(path), rc = -1;
	size_t off = 0;
	FILE *p;

	if (fd < 0) {
		perror("mkstemp");
		return (-1);
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w <= 0) {
			perror("write");
			goto out;
		}
		off += (size_t)w;
	}
	snprintf(cmd, sizeof cmd, "sha256sum < '%s'", path);
	p = popen(cmd, "r");
	if (p == NULL)
		goto out;
	if (fgets(line, sizeof line, p) != NULL && is_hex64(line, 64) && line[64] == ' ') {
		memcpy(hex, line, 64);
		hex[64] = '\0';
		rc = 0;
	}
	if (pclose(p) != 0)
		rc = -1;
out:
	close(fd);
	unlink(path);
	return (rc);
}

/* Hashes data in chunks of size chunk (0: sizes from a fixed cycle). */
static int
stream(awsv4_hasher *h, const unsigned char *data, size_t len, size_t chunk,
    char hex[AWSV4_HASH_HEX_SIZE])
{
	static const size_t cycle[] = { 1, 65536, 3, 4093, 0, 7, 131071, 64, 1000003 };
	size_t off = 0, i = 0;
	awsv4_err err;

	while (off < len) {
		size_t n = chunk ? chunk : cycle[i++ % 9];
		if (n > len - off)
			n = len - off;
		if (awsv4_hasher_update(h, data + off, n, &err) != AWSV4_OK) {
			fprintf(stderr, "update: %s\n", err.message);
			return (-1);
		}
		off += n;
	}
	memset(hex, 'X', AWSV4_HASH_HEX_SIZE);
	return (awsv4_hasher_final(h, hex, &err));
}

int
main(void)
{
	const char *e = getenv("CTEST_HASH_BYTES");
	size_t len = 6u << 20, i;
	size_t chunks[] = { 1, 7, 4093, 65536, 0, 6u << 20 };
	unsigned char *data;
	char want[AWSV4_HASH_HEX_SIZE], got[AWSV4_HASH_HEX_SIZE];
	uint64_t x = 0x243f6a8885a308d3ull;
	awsv4_err err;
	awsv4_hasher *h;
	size_t nul = 0;

	ct_name = "hash_test";
	if (e != NULL && strtoul(e, NULL, 10) > 0)
		len = strtoul(e, NULL, 10);
	data = xmalloc(len);
	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		data[i] = (unsigned char)(x >> 32);
		if (i % 4 == 0 || (i % 100000) < 300) /* every 4th byte, and runs of 300 */
			data[i] = 0;
		nul += data[i] == 0;
	}
	data[len - 1] = 0; /* a NUL as the very last byte, too */
	REQUIRE(sha256sum(data, len, want) == 0);

	h = awsv4_hasher_new(&err);
	REQUIRE(h != NULL);
	CHECK(err.code == 0 && err.message[0] == '\0');

	/* Empty body: the known constant, and sha256sum's. */
	CHECK(awsv4_hasher_final(h, got, &err) == AWSV4_OK);
	CHECKF(strcmp(got, empty_sha256) == 0, "empty body: %s", got);
	{
		char want0[AWSV4_HASH_HEX_SIZE];
		CHECK(sha256sum(data, 0, want0) == 0 && strcmp(want0, got) == 0);
	}
	CHECK(awsv4_hasher_update(h, NULL, 0, &err) == AWSV4_OK);
	CHECK(awsv4_hasher_update(h, data, 0, &err) == AWSV4_OK);
	CHECK(awsv4_hasher_final(h, got, &err) == AWSV4_OK && strcmp(got, empty_sha256) == 0);
	CHECK(got[64] == '\0');

	for (i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
		size_t c = chunks[i] > len ? len : chunks[i];
		int rc = stream(h, data, len, c, got);

		CHECKF(rc == AWSV4_OK && got[64] == '\0' && strcmp(got, want) == 0,
		    "%zu bytes in chunks of %zu: got %.64s, sha256sum %s", len, c, got, want);
	}
	/* Final reset the hasher: hashing again gives the same digest, and a
	 * final right after a final is the empty body again. */
	CHECK(stream(h, data, len, 65536, got) == AWSV4_OK && strcmp(got, want) == 0);
	CHECK(awsv4_hasher_final(h, got, &err) == AWSV4_OK && strcmp(got, empty_sha256) == 0);
	/* Unaligned start: the body minus its first byte. */
	{
		char want1[AWSV4_HASH_HEX_SIZE];
		REQUIRE(sha256sum(data + 1, len - 1, want1) == 0);
		CHECK(stream(h, data + 1, len - 1, 4093, got) == AWSV4_OK && strcmp(got, want1) == 0);
		CHECK(strcmp(want1, want) != 0);
	}
	/* A body of one NUL byte (NUL is data, not a terminator). */
	{
		static const unsigned char zero[1] = { 0 };
		char want1[AWSV4_HASH_HEX_SIZE];
		REQUIRE(sha256sum(zero, 1, want1) == 0);
		CHECK(awsv4_hasher_update(h, zero, 1, &err) == AWSV4_OK);
		CHECK(awsv4_hasher_final(h, got, &err) == AWSV4_OK && strcmp(got, want1) == 0);
		CHECK(strcmp(got, empty_sha256) != 0);
	}
	CHECK(awsv4_hasher_destroy(h) == AWSV4_OK);
	printf("hash_test: %zu bytes (%zu NUL) in chunks of 1, 7, 4093, 65536, mixed, whole: sha256sum %s\n",
	    len, nul, want);
	free(data);
	return (ct_finish());
}
