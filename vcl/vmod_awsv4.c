/*
 * vmod_awsv4.c - the awsv4 VMOD: VCL types <-> libawsv4 (awsv4.h).
 * This file holds the event function and the signer object; vmod_awsv4.h
 * lists the others.
 *
 * The VMOD only translates. Canonicalization, hashing, key derivation
 * and signing happen in libawsv4, in one call per request (plus one call
 * per body chunk when a body is hashed). Rules kept here:
 *  - inputs go to the library as pointer+length pairs pointing into
 *    Varnish's own memory (headers, URL, body chunks): nothing is copied;
 *  - outputs are written by the library straight into the workspace;
 *  - every failure is VRT_fail(ctx, "awsv4: ..."), never an assert on
 *    input; the library's messages never hold a secret, and the VMOD
 *    never logs a header value;
 *  - libawsv4 gives each calling thread its own signal stack itself
 *    (awsv4_thread_prepare), so no per-thread setup is needed here, and
 *    the VMOD has no thread-exit hook (the .so is also linked nodelete).
 */

#include "vmod_awsv4.h"

/*--------------------------------------------------------------------
 * Event: GOMAXPROCS and the hasher pool.
 */

static unsigned n_loaded;
static int max_procs_done;

int v_matchproto_(vmod_event_f)
VPFX(event_function)(VRT_CTX, struct vmod_priv *priv, enum vcl_event_e e)
{
	long ncpu;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	(void)priv;

	/* Events run in the CLI thread, one at a time: no locking. */
	switch (e) {
	case VCL_EVENT_LOAD:
		n_loaded++;
		/* ARCHITECTURE §4.1 rule 8: about 4 Ps per CPU, once per
		 * process, unless the environment says otherwise. */
		if (!max_procs_done) {
			max_procs_done = 1;
			if (getenv("GOMAXPROCS") == NULL) {
				ncpu = sysconf(_SC_NPROCESSORS_ONLN);
				if (ncpu < 1)
					ncpu = 1;
				if (ncpu > 256)
					ncpu = 256;
				(void)awsv4_set_max_procs((int)(4 * ncpu));
			}
		}
		break;
	case VCL_EVENT_DISCARD:
		if (n_loaded > 0 && --n_loaded == 0)
			hasher_drain();
		break;
	default:
		break;
	}
	return (0);
}

/*--------------------------------------------------------------------
 * Object: signer
 */

/* Split a comma-separated list of names into *out (malloc'ed views into
 * s, which the library copies). Returns the count, or -1 without memory. */
static int
split_names(const char *s, awsv4_str **out)
{
	const char *p, *b, *e;
	size_t n = 1, i = 0;
	awsv4_str *v;

	*out = NULL;
	for (p = s; *p != '\0'; p++)
		if (*p == ',')
			n++;
	v = calloc(n, sizeof *v);
	if (v == NULL)
		return (-1);
	for (p = s; ; p++) {
		b = p;
		while (*p != '\0' && *p != ',')
			p++;
		e = p;
		while (b < e && (*b == ' ' || *b == '\t'))
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > b) {
			assert(i < n);
			v[i].ptr = b;
			v[i].len = (size_t)(e - b);
			i++;
		}
		if (*p == '\0')
			break;
	}
	*out = v;
	return ((int)i);
}

/* RFC 9110 token: what a header name may hold. */
static int
is_token(awsv4_str s)
{
	size_t i;
	unsigned char c;

	if (s.len == 0)
		return (0);
	for (i = 0; i < s.len; i++) {
		c = (unsigned char)s.ptr[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') ||
		    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL)))
			return (0);
	}
	return (1);
}

/* Refuse a list entry that is not a header name. 0 or -1 after VRT_fail. */
static int
check_names(VRT_CTX, const char *name, const char *arg, const awsv4_str *v,
    int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (is_token(v[i]))
			continue;
		VRT_fail(ctx, "awsv4: signer %s: %s: \"%.*s\" is not a header "
		    "name", name, arg, (int)v[i].len, v[i].ptr);
		return (-1);
	}
	return (0);
}

/*
 * The credentials argument names a source. Anything else is refused
 * without being echoed: it may be a key pasted by mistake.
 */
static awsv4_creds *
creds_from_source(VRT_CTX, const char *name, const char *src,
    const char *profile)
{
	awsv4_creds *c = NULL;
	awsv4_err err;
	const char *path;

	memset(&err, 0, sizeof err);
	if (!strcmp(src, "default") || !strcmp(src, "env")) {
		if (*profile != '\0') {
			VRT_fail(ctx, "awsv4: signer %s: profile is only used "
			    "with credentials = \"file:/path\"; write "
			    "credentials = \"profile:%s\" instead", name,
			    profile);
			return (NULL);
		}
		if (!strcmp(src, "env"))
			c = awsv4_creds_env(&err);
		else
			c = awsv4_creds_default_chain(&err);
	} else if (!strncmp(src, "file:", 5)) {
		path = src + 5;
		if (*path != '/') {
			VRT_fail(ctx, "awsv4: signer %s: credentials = "
			    "\"file:...\" needs an absolute path", name);
			return (NULL);
		}
		/* That credentials file only: no config file. The default
		 * one (~/.aws/config) is often unreadable for the jailed
		 * child (HOME of the user who started varnishd), and the
		 * library treats an unreadable file as a hard error. */
		c = awsv4_creds_file(cstr(path),
		    AWSV4_STR("/dev/null"), cstr(profile), &err);
	} else if (!strncmp(src, "profile:", 8)) {
		if (src[8] == '\0') {
			VRT_fail(ctx, "awsv4: signer %s: credentials = "
			    "\"profile:NAME\" needs a profile name", name);
			return (NULL);
		}
		if (*profile != '\0' && strcmp(profile, src + 8)) {
			VRT_fail(ctx, "awsv4: signer %s: profile \"%s\" "
			    "contradicts credentials = \"%s\"", name,
			    profile, src);
			return (NULL);
		}
		c = awsv4_creds_file(cstr(""), cstr(""),
		    cstr(src + 8), &err);
	} else {
		VRT_fail(ctx, "awsv4: signer %s: credentials must name a "
		    "source: \"default\", \"env\", \"file:/path\" or "
		    "\"profile:NAME\" (keys never go into VCL; the value "
		    "given is not shown)", name);
		return (NULL);
	}
	if (c == NULL)
		VRT_fail(ctx, "awsv4: signer %s: %s", name,
		    lib_msg(&err, err.code));
	return (c);
}

VCL_VOID
vmod_signer__init(VRT_CTX, struct VPFX(awsv4_signer) **sgp,
    const char *vcl_name, VCL_STRING region, VCL_STRING service,
    VCL_STRING credentials, VCL_STRING profile, VCL_BOOL s3,
    VCL_BOOL content_sha256, VCL_BOOL unsigned_payload,
    VCL_STRING sign_headers, VCL_STRING exclude_headers,
    VCL_DURATION presign_expires)
{
	struct VPFX(awsv4_signer) *sg;
	static const awsv4_str host_only[1] = {{ "host", 4 }};
	awsv4_signer_options opts;
	awsv4_str *inc = NULL, *exc = NULL;
	awsv4_creds *creds;
	awsv4_signer *s;
	awsv4_err err;
	int ninc, nexc, rc;

	CHECK_OBJ_NOTNULL(ctx, VRT_CTX_MAGIC);
	AN(sgp);
	AZ(*sgp);
	AN(vcl_name);

	if (!(presign_expires >= 1.0 && presign_expires <= 604800.0)) {
		VRT_fail(ctx, "awsv4: signer %s: presign_expires must be "
		    "between 1s and 7d", vcl_name);
		return;
	}

	creds = creds_from_source(ctx, vcl_name, STR(credentials),
	    STR(profile));
	if (creds == NULL)
		return;

	ninc = split_names(STR(sign_headers), &inc);
	nexc = split_names(STR(exclude_headers), &exc);
	if (ninc < 0 || nexc < 0) {
		free(inc);
		free(exc);
		(void)awsv4_creds_destroy(creds);
		VRT_fail(ctx, "awsv4: signer %s: out of memory", vcl_name);
		return;
	}

	if (check_names(ctx, vcl_name, "sign_headers", inc, ninc) ||
	    check_names(ctx, vcl_name, "exclude_headers", exc, nexc)) {
		free(inc);
		free(exc);
		(void)awsv4_creds_destroy(creds);
		return;
	}

	awsv4_signer_options_init(&opts);
	opts.s3 = s3 ? 1 : 0;
	opts.add_content_sha256 = content_sha256 ? 1 : 0;
	opts.unsigned_payload = unsigned_payload ? 1 : 0;
	/* Always an allow-list: host and x-amz-* at least. An empty
	 * list would mean "sign every header" to the library. */
	if (ninc > 0) {
		opts.include_headers = inc;
		opts.ninclude = (size_t)ninc;
	} else {
		opts.include_headers = host_only;
		opts.ninclude = 1;
	}
	opts.exclude_headers = exc;
	opts.nexclude = (size_t)nexc;
	opts.presign_expires = (int64_t)presign_expires;

	s = awsv4_signer_new(cstr(STR(region)), cstr(STR(service)),
	    creds, &opts, &err);
	free(inc);
	free(exc);
	if (s == NULL) {
		(void)awsv4_creds_destroy(creds);
		VRT_fail(ctx, "awsv4: signer %s: %s", vcl_name,
		    lib_msg(&err, err.code));
		return;
	}

	/* Fail the load now rather than answer 503 later. */
	rc = awsv4_creds_check(creds, &err);
	(void)awsv4_creds_destroy(creds);
	if (rc != AWSV4_OK) {
		(void)awsv4_signer_destroy(s);
		VRT_fail(ctx, "awsv4: signer %s: %s", vcl_name,
		    lib_msg(&err, rc));
		return;
	}

	ALLOC_OBJ(sg, AWSV4_SIGNER_MAGIC);
	if (sg == NULL || (sg->vcl_name = strdup(vcl_name)) == NULL) {
		free(sg);
		(void)awsv4_signer_destroy(s);
		VRT_fail(ctx, "awsv4: signer %s: out of memory", vcl_name);
		return;
	}
	sg->signer = s;
	sg->s3 = s3 ? 1 : 0;
	sg->unsigned_payload = unsigned_payload ? 1 : 0;
	*sgp = sg;
}

VCL_VOID
vmod_signer__fini(struct VPFX(awsv4_signer) **sgp)
{
	struct VPFX(awsv4_signer) *sg;

	TAKE_OBJ_NOTNULL(sg, sgp, AWSV4_SIGNER_MAGIC);
	(void)awsv4_signer_destroy(sg->signer);
	free(sg->vcl_name);
	FREE_OBJ(sg);
}
