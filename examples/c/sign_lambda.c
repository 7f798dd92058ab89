/*
 * sign_lambda.c - sign an AWS Lambda Invoke request with libawsv4.
 *
 * Prints the headers to add to
 *
 *     POST /2015-03-31/functions/my-function/invocations HTTP/1.1
 *     Host: lambda.<region>.amazonaws.com
 *     Content-Type: application/json
 *
 *     {"name":"awsv4"}
 *
 * Credentials come from the environment (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, optional AWS_SESSION_TOKEN), the region from
 * AWS_REGION (default us-east-1). The signing time is now, or AWSV4_TIME
 * when set: seconds since the epoch or "2025-01-15T10:30:00Z" (for
 * reproducible output).
 *
 * Build:  cc sign_lambda.c $(pkg-config --cflags --libs awsv4)
 * Try:    curl -X POST "https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/my-function/invocations" \
 *              -H 'Content-Type: application/json' -H "X-Amz-Date: ..." -H "Authorization: ..." \
 *              --data '{"name":"awsv4"}'
 */
#define _DEFAULT_SOURCE /* timegm */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <awsv4.h>

static const char function_name[] = "my-function";
static const char body[] = "{\"name\":\"awsv4\"}";

/* AWSV4_TIME -> seconds since the epoch; 0 (meaning "now") when unset. */
static long long
signing_time(void)
{
	const char *s = getenv("AWSV4_TIME");
	struct tm tm;
	char *end;
	long long t;

	if (s == NULL || *s == '\0')
		return (0);
	t = strtoll(s, &end, 10);
	if (*end == '\0' && t > 0)
		return (t);
	memset(&tm, 0, sizeof tm);
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
		fprintf(stderr, "AWSV4_TIME: want epoch seconds or YYYY-MM-DDTHH:MM:SSZ\n");
		exit(2);
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return ((long long)timegm(&tm));
}

static void
die(const char *what, const awsv4_err *err)
{
	/* err->message names the input at fault and never holds a secret. */
	fprintf(stderr, "sign_lambda: %s: %s (%s)\n", what, err->message, awsv4_strerror(err->code));
	exit(1);
}

int
main(void)
{
	awsv4_err err;
	const char *region = getenv("AWS_REGION") ? getenv("AWS_REGION") : "us-east-1";
	char host[128], pathbuf[512], hash[AWSV4_HASH_HEX_SIZE];
	char small[256], *buf = small;
	size_t need;
	awsv4_str path, query, arn_region;
	awsv4_signed out;
	int rc;

	/* 1. Credentials: a handle naming the source. Nothing is read yet;
	 *    awsv4_creds_check reads it now, so a missing key fails here with
	 *    a clear message instead of at the first request. */
	awsv4_creds *creds = awsv4_creds_env(&err);
	if (creds == NULL)
		die("credentials", &err);
	if (awsv4_creds_check(creds, &err) != AWSV4_OK)
		die("credentials", &err);

	/* 2. A signer for one region and service. NULL options: the service's
	 *    defaults. It keeps its own reference to the credentials, so the
	 *    creds handle can go at once. Create it once, sign many times: it
	 *    caches the derived key for the day. */
	awsv4_signer *signer = awsv4_signer_new(AWSV4_CSTR(region), AWSV4_STR("lambda"),
	    creds, NULL, &err);
	awsv4_creds_destroy(creds);
	if (signer == NULL)
		die("signer", &err);

	/* 3. The Invoke path for the function, escaped as on the wire
	 *    (a name, name:alias or an ARN all work). */
	if (awsv4_lambda_invoke_path(AWSV4_STR(function_name), AWSV4_STR(""), pathbuf, sizeof pathbuf,
	    &need, &path, &query, &arn_region, &err) != AWSV4_OK)
		die("function name", &err);

	/* 4. The payload hash: stream the body through a hasher, in as many
	 *    pieces as it arrives in (NUL bytes are data). */
	awsv4_hasher *h = awsv4_hasher_new(&err);
	if (h == NULL || awsv4_hasher_update(h, body, sizeof body - 1, &err) != AWSV4_OK ||
	    awsv4_hasher_final(h, hash, &err) != AWSV4_OK)
		die("body hash", &err);
	awsv4_hasher_destroy(h);

	/* 5. The request as it will be sent: every header that must be signed,
	 *    Host included. Strings are pointer+length pairs. */
	snprintf(host, sizeof host, "lambda.%s.amazonaws.com", region);
	awsv4_header headers[] = {
		{ AWSV4_STR("Host"), { host, strlen(host) } },
		{ AWSV4_STR("Content-Type"), AWSV4_STR("application/json") },
	};
	awsv4_request req = {
		.method = AWSV4_STR("POST"),
		.path = path,
		.query = query,
		.headers = headers,
		.nheaders = 2,
		.payload_hash = { hash, 64 },
		.time = signing_time(),
	};

	/* 6. Sign. The results are written into our buffer; when it is too
	 *    small the call says how much it needs and writes nothing. */
	rc = awsv4_sign(signer, &req, buf, sizeof small, &need, &out, &err);
	if (rc == AWSV4_E_BUFFER) {
		buf = malloc(need);
		if (buf == NULL)
			return (1);
		rc = awsv4_sign(signer, &req, buf, need, &need, &out, &err);
	}
	if (rc != AWSV4_OK)
		die("sign", &err);

	/* 7. The headers to set (replacing any copy already on the request). */
	printf("X-Amz-Date: %s\n", out.date.ptr);
	if (out.security_token.len > 0)
		printf("X-Amz-Security-Token: %s\n", out.security_token.ptr);
	if (out.content_sha256.len > 0)
		printf("X-Amz-Content-Sha256: %s\n", out.content_sha256.ptr);
	printf("Authorization: %s\n", out.authorization.ptr);

	if (buf != small)
		free(buf);
	awsv4_signer_destroy(signer);
	return (0);
}
