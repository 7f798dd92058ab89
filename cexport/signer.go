package main

/*
#include "awsv4.h"
*/
import "C"

import (
	"context"
	"runtime/cgo"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/awsv4/awsv4/sigv4"
	"github.com/awsv4/awsv4/sigv4/credentials"
)

type signer struct {
	s       *sigv4.Signer
	expires time.Duration
	work    sync.Pool // *work: per-call buffers, reused so signing allocates nothing
}

type work struct {
	res  sigv4.Result
	req  sigv4.Request
	hdrs []sigv4.Header
}

//export awsv4go_signer_options_init
func awsv4go_signer_options_init(o *C.awsv4_signer_options) {
	if o != nil {
		*o = C.awsv4_signer_options{}
	}
}

//export awsv4go_signer_new
func awsv4go_signer_new(region, service C.awsv4_str, creds C.uintptr_t, o *C.awsv4_signer_options, e *C.awsv4_err) (h C.uintptr_t) {
	var rc C.int
	defer guard(&rc, e, "awsv4_signer_new")
	p, err := lookup[credentials.Provider](creds)
	if err != nil {
		fail(e, err)
		return 0
	}
	r, err := viewArg(region, "region")
	if err != nil {
		fail(e, err)
		return 0
	}
	s, err := viewArg(service, "service")
	if err != nil {
		fail(e, err)
		return 0
	}
	var opts *sigv4.Options
	expires := 15 * time.Minute
	if o != nil {
		opts = &sigv4.Options{
			DisableDoubleEncoding:    o.s3 != 0 || o.disable_double_encoding != 0,
			DisablePathNormalization: o.s3 != 0 || o.disable_normalization != 0,
			AddContentSHA256:         o.s3 != 0 || o.add_content_sha256 != 0,
			UnsignedPayload:          o.s3 != 0 || o.unsigned_payload != 0,
			OmitSessionToken:         o.omit_session_token != 0,
		}
		if opts.IncludeHeaders, err = strList(o.include_headers, o.ninclude, "include_headers"); err != nil {
			fail(e, err)
			return 0
		}
		if opts.ExcludeHeaders, err = strList(o.exclude_headers, o.nexclude, "exclude_headers"); err != nil {
			fail(e, err)
			return 0
		}
		if x := int64(o.presign_expires); x != 0 {
			if x < 1 || x > int64(sigv4.MaxPresignExpiry/time.Second) {
				fail(e, invalid("presign_expires: must be 1..604800 seconds"))
				return 0
			}
			expires = time.Duration(x) * time.Second
		}
	}
	sg, err := sigv4.New(strings.Clone(r), strings.Clone(s), p, opts)
	if err != nil {
		fail(e, err)
		return 0
	}
	ok(e)
	return C.uintptr_t(cgo.NewHandle(&signer{s: sg, expires: expires}))
}

func strList(p *C.awsv4_str, n C.size_t, name string) ([]string, error) {
	if n == 0 {
		return nil, nil
	}
	if p == nil {
		return nil, invalid(name + ": NULL with a non-zero count")
	}
	var out []string
	for i, s := range unsafe.Slice(p, int(n)) {
		v, ok := view(s)
		if !ok || v == "" {
			return nil, invalid(name + ": entry " + strconv.Itoa(i) + " is empty or NULL")
		}
		out = append(out, strings.Clone(v))
	}
	return out, nil
}

//export awsv4go_signer_destroy
func awsv4go_signer_destroy(h C.uintptr_t) C.int { return destroy[*signer](h) }

// request views the C request as a sigv4.Request in w, without copying.
func (w *work) request(r *C.awsv4_request) (time.Time, error) {
	if r == nil {
		return time.Time{}, invalid("req: NULL")
	}
	var err error
	if w.req.Method, err = viewArg(r.method, "method"); err != nil {
		return time.Time{}, err
	}
	if w.req.Path, err = viewArg(r.path, "path"); err != nil {
		return time.Time{}, err
	}
	if w.req.RawQuery, err = viewArg(r.query, "query"); err != nil {
		return time.Time{}, err
	}
	if w.req.PayloadHash, err = viewArg(r.payload_hash, "payload_hash"); err != nil {
		return time.Time{}, err
	}
	w.hdrs = w.hdrs[:0]
	if r.nheaders > 0 {
		if r.headers == nil {
			return time.Time{}, invalid("headers: NULL with a non-zero count")
		}
		for i, h := range unsafe.Slice(r.headers, int(r.nheaders)) {
			n, ok1 := view(h.name)
			v, ok2 := view(h.value)
			if !ok1 || !ok2 {
				return time.Time{}, invalid("header " + strconv.Itoa(i) + ": NULL pointer with a non-zero length")
			}
			w.hdrs = append(w.hdrs, sigv4.Header{Name: n, Value: v})
		}
	}
	w.req.Headers = w.hdrs
	if r.time == 0 {
		return time.Now(), nil
	}
	return time.Unix(int64(r.time), 0), nil
}

// release drops the views of C memory before the work goes back to the pool.
func (s *signer) release(w *work) {
	clear(w.hdrs)
	w.req = sigv4.Request{}
	s.work.Put(w)
}

func (s *signer) get() *work {
	if w, ok := s.work.Get().(*work); ok {
		return w
	}
	return new(work)
}

//export awsv4go_sign
func awsv4go_sign(h C.uintptr_t, r *C.awsv4_request, buf *C.char, buflen C.size_t, needed *C.size_t, o *C.awsv4_signed, e *C.awsv4_err) (rc C.int) {
	defer guard(&rc, e, "awsv4_sign")
	s, err := lookup[*signer](h)
	if err != nil {
		return fail(e, err)
	}
	if o == nil {
		return fail(e, invalid("out: NULL"))
	}
	w := s.get()
	defer s.release(w)
	t, err := w.request(r)
	if err != nil {
		return fail(e, err)
	}
	if err := s.s.Sign(context.Background(), &w.res, &w.req, t); err != nil {
		return fail(e, err)
	}
	res := &w.res
	auth, date, token, sha, list := res.Authorization(), res.Date(), res.SecurityToken(), res.ContentSHA256(), res.SignedHeaders()
	dst, err := newOut(buf, buflen, needed, len(auth)+len(date)+len(token)+len(sha)+len(list)+5)
	if err != nil {
		return fail(e, err)
	}
	o.authorization = dst.put(auth)
	o.date = dst.put(date)
	o.security_token = dst.put(unsafe.Slice(unsafe.StringData(token), len(token)))
	o.content_sha256 = dst.put(unsafe.Slice(unsafe.StringData(sha), len(sha)))
	o.signed_headers = dst.put(list)
	return ok(e)
}

//export awsv4go_presign
func awsv4go_presign(h C.uintptr_t, r *C.awsv4_request, buf *C.char, buflen C.size_t, needed *C.size_t, q *C.awsv4_str, e *C.awsv4_err) (rc C.int) {
	defer guard(&rc, e, "awsv4_presign")
	s, err := lookup[*signer](h)
	if err != nil {
		return fail(e, err)
	}
	if q == nil {
		return fail(e, invalid("query: NULL"))
	}
	w := s.get()
	defer s.release(w)
	t, err := w.request(r)
	if err != nil {
		return fail(e, err)
	}
	if err := s.s.Presign(context.Background(), &w.res, &w.req, t, s.expires); err != nil {
		return fail(e, err)
	}
	query := w.res.Query()
	dst, err := newOut(buf, buflen, needed, len(query)+1)
	if err != nil {
		return fail(e, err)
	}
	*q = dst.put(query)
	return ok(e)
}
