/*
 * awsv4.h - AWS Signature Version 4 signing from C.
 *
 * libawsv4 signs HTTP requests for AWS services (Lambda, S3, any SigV4
 * service) in one call per request, with credentials that never pass
 * through the caller. It is the Go signer of the awsv4 project built as a
 * C shared library; no Go toolchain is needed at run time.
 *
 * Usage sketch (error handling shortened):
 *
 *     awsv4_err err;
 *     awsv4_creds *creds = awsv4_creds_default_chain(&err);
 *     awsv4_signer_options opts;
 *     awsv4_signer_options_init(&opts);
 *     awsv4_signer *s = awsv4_signer_new(AWSV4_STR("us-east-1"),
 *                                        AWSV4_STR("lambda"), creds, &opts, &err);
 *     awsv4_creds_destroy(creds);          // the signer keeps what it needs
 *
 *     awsv4_header hdrs[] = {
 *         { AWSV4_STR("Host"), AWSV4_STR("lambda.us-east-1.amazonaws.com") },
 *         { AWSV4_STR("Content-Type"), AWSV4_STR("application/json") },
 *     };
 *     char hash[AWSV4_HASH_HEX_SIZE];
 *     awsv4_hasher *h = awsv4_hasher_new(&err);
 *     awsv4_hasher_update(h, body, body_len, &err);   // any number of times
 *     awsv4_hasher_final(h, hash, &err);
 *     awsv4_hasher_destroy(h);
 *
 *     awsv4_request req = {
 *         .method = AWSV4_STR("POST"),
 *         .path = AWSV4_STR("/2015-03-31/functions/my-function/invocations"),
 *         .headers = hdrs, .nheaders = 2,
 *         .payload_hash = { hash, 64 },
 *     };
 *     char buf[4096];
 *     awsv4_signed out;
 *     size_t need;
 *     if (awsv4_sign(s, &req, buf, sizeof buf, &need, &out, &err) == AWSV4_OK)
 *         set_header("Authorization", out.authorization.ptr); ...
 *     awsv4_signer_destroy(s);
 *
 * Conventions, for every function below:
 *  - Strings in are awsv4_str {ptr, len}: no NUL terminator is needed and
 *    NUL bytes are data. {NULL, 0} is the empty string; {NULL, n>0} is an
 *    error (AWSV4_E_INVALID). The library reads inputs only during the
 *    call and keeps no pointer to them.
 *  - Strings out are written into a buffer the caller owns. Each one is
 *    NUL-terminated (the NUL is not counted in .len) and the awsv4_str
 *    results point into that buffer. When the buffer is too small the call
 *    returns AWSV4_E_BUFFER, writes nothing, and stores the size needed
 *    (NUL bytes included) in *needed.
 *  - Every function returning int returns AWSV4_OK (0) or a negative
 *    awsv4_status. Functions returning a handle return NULL on error.
 *  - err may be NULL. When not NULL it is filled on failure with the code
 *    and a message naming the input at fault; messages never hold a
 *    secret, a session token or a derived key. On success err->code is 0
 *    and err->message is "".
 *  - Handles (awsv4_creds, awsv4_signer, awsv4_hasher) are opaque and
 *    owned by the caller, who destroys each exactly once. Using a handle
 *    after destroying it, or destroying it twice, returns AWSV4_E_HANDLE
 *    (it never crashes; handle values are not reused).
 *  - Thread safety: creds and signer handles may be used from any number
 *    of threads at once. A hasher must be used by one thread at a time.
 *    Every function may be called from any thread: before its first call
 *    on a thread the library gives that thread a private signal stack
 *    (see awsv4_thread_prepare), which hosts such as varnishd need.
 *  - No function ever aborts the process: internal failures are caught
 *    and returned as AWSV4_E_INTERNAL.
 */
#ifndef AWSV4_H
#define AWSV4_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AWSV4_VERSION_MAJOR 0
#define AWSV4_VERSION_MINOR 1
#define AWSV4_VERSION_PATCH 0

/* Return codes. */
typedef enum awsv4_status {
	AWSV4_OK = 0,
	AWSV4_E_INVALID = -1,     /* bad argument or malformed request field */
	AWSV4_E_BUFFER = -2,      /* output buffer too small; see *needed */
	AWSV4_E_HANDLE = -3,      /* NULL, unknown, wrong-kind or destroyed handle */
	AWSV4_E_CREDENTIALS = -4, /* credentials missing, unreadable or invalid */
	AWSV4_E_INTERNAL = -5     /* a bug in libawsv4, caught; please report it */
} awsv4_status;

/* Length of a hex SHA-256 plus its NUL terminator. */
#define AWSV4_HASH_HEX_SIZE 65

/* Size of awsv4_err.message, NUL included. */
#define AWSV4_ERR_MESSAGE_SIZE 256

typedef struct awsv4_err {
	int code;                              /* an awsv4_status */
	char message[AWSV4_ERR_MESSAGE_SIZE];  /* NUL-terminated, may be cut */
} awsv4_err;

typedef struct awsv4_str {
	const char *ptr;
	size_t len;
} awsv4_str;

/* An awsv4_str for a string literal. */
#define AWSV4_STR(s) ((awsv4_str){ (s), sizeof(s) - 1 })

/* An awsv4_str for a NUL-terminated string; NULL gives the empty string. */
static inline awsv4_str
awsv4_cstr(const char *s)
{
	awsv4_str r = { s, 0 };

	if (s != NULL)
		while (s[r.len] != '\0')
			r.len++;
	return (r);
}
#define AWSV4_CSTR(s) awsv4_cstr(s)

typedef struct awsv4_header {
	awsv4_str name;
	awsv4_str value;
} awsv4_header;

/* Opaque handles. */
typedef struct awsv4_creds awsv4_creds;
typedef struct awsv4_signer awsv4_signer;
typedef struct awsv4_hasher awsv4_hasher;

/* ---- Library ---------------------------------------------------------- */

/* The library version, e.g. "0.1.0". Static storage; never free it. */
const char *awsv4_version(void);

/* A short English description of an awsv4_status. Static storage. */
const char *awsv4_strerror(int code);

/*
 * Give the calling thread its own alternate signal stack (128 KiB) unless
 * it already has one that this library installed. Every other function
 * calls this itself; call it only to pay the one-time cost early. Needed
 * because varnishd installs one signal stack shared by all its threads and
 * the Go runtime inside this library runs signal handlers on it. The stack
 * is released when the thread exits. Returns AWSV4_OK or AWSV4_E_INTERNAL.
 */
int awsv4_thread_prepare(void);

/*
 * Set how many threads may run the library's Go code at once (Go's
 * GOMAXPROCS) and return the previous value; n <= 0 only reports it.
 * Hosts that call in from many threads (varnishd) do best with about four
 * times the CPU count. Thread-safe.
 */
int awsv4_set_max_procs(int n);

/* ---- Credentials ------------------------------------------------------ */
/*
 * A credentials handle names a source; it is read when first needed and
 * refreshed in the background before expiry (files are re-checked every
 * few seconds, so a rotated key is picked up without a restart). The
 * functions below return NULL and fill err on error.
 */

/* Fixed credentials. token may be empty. */
awsv4_creds *awsv4_creds_static(awsv4_str access_key_id, awsv4_str secret,
                                awsv4_str token, awsv4_err *err);

/* AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, as they
 * are in the process environment when the handle is made (and when
 * awsv4_creds_check is called). The file and chain sources read AWS_PROFILE,
 * AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE and HOME the same way.
 * Do not call setenv() from another thread at the same time. */
awsv4_creds *awsv4_creds_env(awsv4_err *err);

/*
 * The shared credentials and config files. Empty arguments take the SDK
 * defaults: AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials,
 * AWS_CONFIG_FILE or ~/.aws/config, profile AWS_PROFILE or "default".
 */
awsv4_creds *awsv4_creds_file(awsv4_str credentials_file, awsv4_str config_file,
                              awsv4_str profile, awsv4_err *err);

/* The SDKs' default chain: environment, then shared files. */
awsv4_creds *awsv4_creds_default_chain(awsv4_err *err);

/*
 * Fetch credentials now (if not cached) and report whether signing would
 * succeed: AWSV4_OK or AWSV4_E_CREDENTIALS with the reason in err. Use it
 * at start-up to fail early. Thread-safe.
 */
int awsv4_creds_check(awsv4_creds *creds, awsv4_err *err);

/* Release the handle. Signers made from it keep working. */
int awsv4_creds_destroy(awsv4_creds *creds);

/* ---- Signer ----------------------------------------------------------- */

typedef struct awsv4_signer_options {
	/* S3 rules: the same as setting disable_double_encoding,
	 * disable_normalization, add_content_sha256 and unsigned_payload
	 * (an empty payload_hash signs UNSIGNED-PAYLOAD, as S3 presigned
	 * URLs need). */
	int s3;
	int disable_double_encoding;   /* sign the path as sent */
	int disable_normalization;     /* keep ".", ".." and "//" */
	int add_content_sha256;        /* add and sign X-Amz-Content-Sha256 */
	int unsigned_payload;          /* empty payload_hash means UNSIGNED-PAYLOAD */
	int omit_session_token;        /* add the token after signing */
	/* Allow-list: when ninclude > 0 only Host, X-Amz-* and these
	 * headers are signed. Deny-list: never sign these. Case-insensitive.
	 * Copied by awsv4_signer_new. */
	const awsv4_str *include_headers;
	size_t ninclude;
	const awsv4_str *exclude_headers;
	size_t nexclude;
	/* Lifetime of presigned URLs in seconds, 1..604800; 0 means 900. */
	int64_t presign_expires;
} awsv4_signer_options;

/* Fill *opts with the defaults (all off, no lists, 900 s). */
void awsv4_signer_options_init(awsv4_signer_options *opts);

/*
 * A signer for one region and service (e.g. "us-east-1", "lambda") using
 * creds. opts NULL means the service's defaults: the S3 rules for "s3"
 * and "s3-object-lambda", all flags off otherwise. The signer holds its own
 * reference to the credentials and caches the derived signing key (one
 * derivation per day or per rotation). NULL and err on error.
 */
awsv4_signer *awsv4_signer_new(awsv4_str region, awsv4_str service,
                               awsv4_creds *creds,
                               const awsv4_signer_options *opts,
                               awsv4_err *err);

int awsv4_signer_destroy(awsv4_signer *signer);

typedef struct awsv4_request {
	awsv4_str method;        /* "GET", "POST", ... */
	awsv4_str path;          /* as sent, e.g. "/a%20b"; starts with '/' */
	awsv4_str query;         /* as sent, without '?'; may be empty */
	const awsv4_header *headers; /* as sent, Host included; repeats allowed */
	size_t nheaders;
	/* Lower-case hex SHA-256 of the body, "UNSIGNED-PAYLOAD", or empty
	 * for an empty body (UNSIGNED-PAYLOAD with unsigned_payload). */
	awsv4_str payload_hash;
	/* Signing time in seconds since the Unix epoch; 0 means now. */
	int64_t time;
} awsv4_request;

/* What awsv4_sign produced; every string points into the caller's buffer
 * and is NUL-terminated. Set each header whose value is not empty,
 * replacing any copy already on the request; when security_token is
 * empty, remove X-Amz-Security-Token from the request. */
typedef struct awsv4_signed {
	awsv4_str authorization;   /* Authorization */
	awsv4_str date;            /* X-Amz-Date */
	awsv4_str security_token;  /* X-Amz-Security-Token, may be empty */
	awsv4_str content_sha256;  /* X-Amz-Content-Sha256, may be empty */
	awsv4_str signed_headers;  /* the signed header names, ';'-separated */
} awsv4_signed;

/*
 * Sign req for the Authorization header. Writes the values into
 * buf[0..buflen) and describes them in *out. One call per request; the
 * signer's header policy never signs headers proxies change (User-Agent,
 * Connection, Expect, Transfer-Encoding, ...). Thread-safe.
 * Returns AWSV4_OK, AWSV4_E_INVALID (err names the field),
 * AWSV4_E_BUFFER (*needed set), AWSV4_E_HANDLE, AWSV4_E_CREDENTIALS,
 * AWSV4_E_INTERNAL. needed may be NULL.
 */
int awsv4_sign(awsv4_signer *signer, const awsv4_request *req,
               char *buf, size_t buflen, size_t *needed,
               awsv4_signed *out, awsv4_err *err);

/*
 * Presign req: write into buf the whole query string to send (the
 * request's own parameters, then X-Amz-Algorithm, -Credential, -Date,
 * -Expires, -SignedHeaders, -Security-Token, -Signature), without '?',
 * and point *query at it. Valid for the signer's presign_expires.
 * Same return codes as awsv4_sign.
 */
int awsv4_presign(awsv4_signer *signer, const awsv4_request *req,
                  char *buf, size_t buflen, size_t *needed,
                  awsv4_str *query, awsv4_err *err);

/* ---- Payload hashing -------------------------------------------------- */

/* A streaming SHA-256 for request bodies. NULL and err on error. */
awsv4_hasher *awsv4_hasher_new(awsv4_err *err);

/* Add len bytes (NUL bytes included); len 0 is allowed. */
int awsv4_hasher_update(awsv4_hasher *h, const void *data, size_t len, awsv4_err *err);

/* Write the lower-case hex digest and a NUL into hex (65 bytes) and
 * reset the hasher for reuse. */
int awsv4_hasher_final(awsv4_hasher *h, char hex[AWSV4_HASH_HEX_SIZE], awsv4_err *err);

int awsv4_hasher_destroy(awsv4_hasher *h);

/* ---- Helpers ---------------------------------------------------------- */

/*
 * Lambda Invoke: the path and query for function (a name, name:alias,
 * a partial or full ARN) and an optional separate qualifier, escaped as
 * on the wire ("arn%3Aaws%3Alambda..."); *region is the ARN's region or
 * empty. All three point into buf.
 */
int awsv4_lambda_invoke_path(awsv4_str function, awsv4_str qualifier,
                             char *buf, size_t buflen, size_t *needed,
                             awsv4_str *path, awsv4_str *query,
                             awsv4_str *region, awsv4_err *err);

/*
 * The region of a Lambda Function URL host
 * ("<id>.lambda-url.<region>.on.aws", port allowed); its signing service
 * is "lambda". AWSV4_E_INVALID when host is not a Function URL host.
 */
int awsv4_lambda_url_region(awsv4_str host, char *buf, size_t buflen,
                            size_t *needed, awsv4_str *region, awsv4_err *err);

/*
 * The canonical wire form of an S3 object path: escapes decoded, then
 * every byte but A-Z a-z 0-9 - _ . ~ / encoded as %XX. Send this path so
 * that S3 and the signature agree on keys with ' ', '+', '=', '(' ...
 */
int awsv4_s3_escape_path(awsv4_str path, char *buf, size_t buflen,
                         size_t *needed, awsv4_str *out, awsv4_err *err);

#ifdef __cplusplus
}
#endif

#endif /* AWSV4_H */
