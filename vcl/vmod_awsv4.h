/*
 * vmod_awsv4.h - what the VMOD's C files share. Internal: not installed.
 *
 *   vmod_awsv4.c        the event function and the signer object (vcl_init)
 *   vmod_awsv4_sign.c   .sign() and .presign(): one library call per request
 *   vmod_awsv4_body.c   request body hashing and hash_req_body()
 *   vmod_awsv4_funcs.c  the Lambda, S3, header and GOMAXPROCS functions
 *   vmod_awsv4_util.c   workspace, string and error helpers, S3 path escaping
 */

#include "config.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cache/cache.h"
#include "vcl.h"

#include "vcc_if.h"
#include "awsv4.h"

struct VPFX(awsv4_signer) {
	unsigned		magic;
#define AWSV4_SIGNER_MAGIC	0x5a1f4b27
	awsv4_signer		*signer;
	char			*vcl_name;
	unsigned		s3;
	unsigned		unsigned_payload;
};

#define STR(p)	((p) != NULL ? (p) : "")

/* vmod_awsv4_util.c */
awsv4_str cstr(const char *s);
const char *lib_msg(const awsv4_err *err, int rc);
const char *ws_keep(struct ws *ws, char *buf, awsv4_str s);
void fail_ws(VRT_CTX, const char *what, size_t need, size_t have);
void fail_reserved(VRT_CTX, const char *what, int rc, const awsv4_err *err,
    size_t need, unsigned have);
size_t str_end(const char *buf, awsv4_str s);
int s3_path_is_canonical(const char *p, size_t len);
const char *s3_escape_ws(VRT_CTX, const char *what, awsv4_str path,
    awsv4_str tail, int with_tail);

/* vmod_awsv4_body.c */
int hash_body(VRT_CTX, const char *what, char hex[AWSV4_HASH_HEX_SIZE]);
void hasher_drain(void);
