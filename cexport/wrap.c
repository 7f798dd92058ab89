/*
 * wrap.c - the public awsv4_* functions of libawsv4.
 *
 * Each one gives the calling thread a private signal stack (once per
 * thread) and then calls the matching Go export (awsv4go_*). The signal
 * stack is why these wrappers exist: a host such as varnishd installs one
 * alternate signal stack shared by all its threads, and the Go runtime
 * would run its signal handlers (preemption, SIGPIPE, faults) for two
 * threads on the same memory at once (see ARCHITECTURE.md §4.1 rule 1).
 * This code lives in libawsv4, which is never unloaded, so its
 * thread-exit destructor is always mapped.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "awsv4.h"
#include "_cgo_export.h"

#define ALTSTACK_SIZE (128 * 1024)

static pthread_key_t altstack_key;
static pthread_once_t altstack_once = PTHREAD_ONCE_INIT;
static int altstack_key_ok;
static __thread void *altstack;

static void
altstack_release(void *p)
{
	stack_t cur, off;

	memset(&off, 0, sizeof off);
	off.ss_flags = SS_DISABLE;
	if (sigaltstack(NULL, &cur) == 0 && cur.ss_sp == p)
		(void)sigaltstack(&off, NULL);
	(void)munmap(p, ALTSTACK_SIZE);
}

static void
altstack_make_key(void)
{
	altstack_key_ok = pthread_key_create(&altstack_key, altstack_release) == 0;
}

int
awsv4_thread_prepare(void)
{
	stack_t ss;
	void *p;

	if (altstack != NULL)
		return (AWSV4_OK);
	(void)pthread_once(&altstack_once, altstack_make_key);
	if (!altstack_key_ok)
		return (AWSV4_E_INTERNAL);
	p = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return (AWSV4_E_INTERNAL);
	memset(&ss, 0, sizeof ss);
	ss.ss_sp = p;
	ss.ss_size = ALTSTACK_SIZE;
	if (sigaltstack(&ss, NULL) != 0 ||
	    pthread_setspecific(altstack_key, p) != 0) {
		(void)munmap(p, ALTSTACK_SIZE);
		return (AWSV4_E_INTERNAL);
	}
	altstack = p;
	return (AWSV4_OK);
}

static int
prepare(awsv4_err *err)
{
	if (awsv4_thread_prepare() == AWSV4_OK)
		return (1);
	if (err != NULL) {
		err->code = AWSV4_E_INTERNAL;
		(void)snprintf(err->message, sizeof err->message,
		    "awsv4: cannot give this thread a signal stack: %s",
		    strerror(errno));
	}
	return (0);
}

#define PREPARE_OR(ret) do { if (!prepare(err)) return (ret); } while (0)
#define H(x) ((uintptr_t)(void *)(x))

const char *
awsv4_version(void)
{
	return ("0.1.0");
}

const char *
awsv4_strerror(int code)
{
	switch (code) {
	case AWSV4_OK:            return ("success");
	case AWSV4_E_INVALID:     return ("invalid argument");
	case AWSV4_E_BUFFER:      return ("output buffer too small");
	case AWSV4_E_HANDLE:      return ("invalid or destroyed handle");
	case AWSV4_E_CREDENTIALS: return ("credentials unavailable");
	case AWSV4_E_INTERNAL:    return ("internal error");
	default:                  return ("unknown error code");
	}
}

int
awsv4_set_max_procs(int n)
{
	if (awsv4_thread_prepare() != AWSV4_OK)
		return (AWSV4_E_INTERNAL);
	return (awsv4go_set_max_procs(n));
}

awsv4_creds *
awsv4_creds_static(awsv4_str key, awsv4_str secret, awsv4_str token, awsv4_err *err)
{
	PREPARE_OR(NULL);
	return ((awsv4_creds *)awsv4go_creds_static(key, secret, token, err));
}

awsv4_creds *
awsv4_creds_env(awsv4_err *err)
{
	PREPARE_OR(NULL);
	return ((awsv4_creds *)awsv4go_creds_env(err));
}

awsv4_creds *
awsv4_creds_file(awsv4_str credentials_file, awsv4_str config_file,
    awsv4_str profile, awsv4_err *err)
{
	PREPARE_OR(NULL);
	return ((awsv4_creds *)awsv4go_creds_file(credentials_file,
	    config_file, profile, err));
}

awsv4_creds *
awsv4_creds_default_chain(awsv4_err *err)
{
	PREPARE_OR(NULL);
	return ((awsv4_creds *)awsv4go_creds_default_chain(err));
}

int
awsv4_creds_check(awsv4_creds *creds, awsv4_err *err)
{
	PREPARE_OR(AWSV4_E_INTERNAL);
	return (awsv4go_creds_check(H(creds), err));
}

int
awsv4_creds_destroy(awsv4_creds *creds)
{
	awsv4_err *err = NULL;
	PREPARE_OR(AWSV4_E_INTERNAL);
	return (awsv4go_creds_destroy(H(creds)));
}

void
awsv4_signer_options_init(awsv4_signer_options *opts)
{
	if (opts != NULL)
		memset(opts, 0, sizeof *opts);
}

awsv4_signer *
awsv4_signer_new(awsv4_str region, awsv4_str service, awsv4_creds *creds,
    const awsv4_signer_options *opts, awsv4_err *err)
{
	PREPARE_OR(NULL);
	return ((awsv4_signer *)awsv4go_signer_new(region, service, H(creds),
	    (awsv4_signer_options *)(uintptr_t)opts, err));
}

int
awsv4_signer_destroy(awsv4_signer *signer)
{
	awsv4_err *err = NULL;
	PREPARE_OR(AWSV4_E_INTERNAL);
	return (awsv4go_signer_destroy(H(signer)));
}

int
awsv4_sign(awsv4_signer *signer, const awsv4_request *req, char *buf,
    size_t buflen, size_t *needed, awsv4_signed *out, awsv4_err *err)
{
	PREPARE_OR(AWSV4_E_INTERNAL);
	return (awsv4go_sign(H(signer), (awsv4_request *)(uintptr_t)req, buf,
	    buflen, needed, out, err));
}

int
awsv4_presign(awsv4_signer *signer, const awsv4_request *req, char *buf,
    size_t buflen, size_t *needed, awsv4_str *query, awsv4_err *err)
{
	PREPARE_OR(AWSV4_E_INTERNAL);
	return (awsv4go_presign(H(signer), (awsv4_request *)(uintptr_t)req, buf,
	    buflen, needed, query, err));
}

awsv4_hasher *
awsv4_hasher_new(awsv4_err *err)
{
	PREPARE_OR(NULL);
	return ((awsv4_hasher *)awsv4go_hasher_new(err));
}

int
awsv4_hasher_update(awsv4_hasher *h, const void *data, size_t len, awsv4_err *err)
{
	PREPARE_OR(AWSV4_E_INTERNAL);
	return (awsv4go_hasher_update(H(h), (void *)(uintptr_t)data, len, err));
}

int
awsv4_hasher_final(awsv4_hasher *h, char hex[AWSV4_HASH_HEX_SIZE], awsv4_err *err)
{
	PREPARE_OR(AWSV4_E_INTERNAL);
	return (awsv4go_hasher_final(H(h), hex, err));
}

int
awsv4_hasher_destroy(awsv4_hasher *h)
{
	awsv4_err *err = NULL;
	PREPARE_OR(AWSV4_E_INTERNAL);
	return (awsv4go_hasher_destroy(H(h)));
}

int
awsv4_lambda_invoke_path(awsv4_str function, awsv4_str qualifier, char *buf,
    size_t buflen, size_t *needed, awsv4_str *path, awsv4_str *query,
    awsv4_str *region, awsv4_err *err)
{
	PREPARE_OR(AWSV4_E_INTERNAL);
	return (awsv4go_lambda_invoke_path(function, qualifier, buf, buflen,
	    needed, path, query, region, err));
}

int
awsv4_lambda_url_region(awsv4_str host, char *buf, size_t buflen,
    size_t *needed, awsv4_str *region, awsv4_err *err)
{
	PREPARE_OR(AWSV4_E_INTERNAL);
	return (awsv4go_lambda_url_region(host, buf, buflen, needed, region, err));
}

int
awsv4_s3_escape_path(awsv4_str path, char *buf, size_t buflen,
    size_t *needed, awsv4_str *out, awsv4_err *err)
{
	PREPARE_OR(AWSV4_E_INTERNAL);
	return (awsv4go_s3_escape_path(path, buf, buflen, needed, out, err));
}
