package main

/*
#include "awsv4.h"
*/
import "C"

import (
	"github.com/awsv4/awsv4/sigv4"
	"github.com/awsv4/awsv4/sigv4/lambda"
)

//export awsv4go_lambda_invoke_path
func awsv4go_lambda_invoke_path(function, qualifier C.awsv4_str, buf *C.char, buflen C.size_t, needed *C.size_t, path, query, region *C.awsv4_str, e *C.awsv4_err) (rc C.int) {
	defer guard(&rc, e, "awsv4_lambda_invoke_path")
	if path == nil || query == nil || region == nil {
		return fail(e, invalid("path, query and region must not be NULL"))
	}
	fn, err := viewArg(function, "function")
	if err != nil {
		return fail(e, err)
	}
	q, err := viewArg(qualifier, "qualifier")
	if err != nil {
		return fail(e, err)
	}
	p, rq, err := lambda.InvokePath(fn, q)
	if err != nil {
		return fail(e, invalid(err.Error()))
	}
	f, err := lambda.ParseFunction(fn)
	if err != nil {
		return fail(e, invalid(err.Error()))
	}
	dst, err := newOut(buf, buflen, needed, len(p)+len(rq)+len(f.Region)+3)
	if err != nil {
		return fail(e, err)
	}
	*path = dst.put([]byte(p))
	*query = dst.put([]byte(rq))
	*region = dst.put([]byte(f.Region))
	return ok(e)
}

//export awsv4go_lambda_url_region
func awsv4go_lambda_url_region(host C.awsv4_str, buf *C.char, buflen C.size_t, needed *C.size_t, region *C.awsv4_str, e *C.awsv4_err) (rc C.int) {
	defer guard(&rc, e, "awsv4_lambda_url_region")
	if region == nil {
		return fail(e, invalid("region: NULL"))
	}
	h, err := viewArg(host, "host")
	if err != nil {
		return fail(e, err)
	}
	u, err := lambda.ParseFunctionURLHost(h)
	if err != nil {
		return fail(e, invalid(err.Error()))
	}
	dst, err := newOut(buf, buflen, needed, len(u.Region)+1)
	if err != nil {
		return fail(e, err)
	}
	*region = dst.put([]byte(u.Region))
	return ok(e)
}

//export awsv4go_s3_escape_path
func awsv4go_s3_escape_path(path C.awsv4_str, buf *C.char, buflen C.size_t, needed *C.size_t, res *C.awsv4_str, e *C.awsv4_err) (rc C.int) {
	defer guard(&rc, e, "awsv4_s3_escape_path")
	if res == nil {
		return fail(e, invalid("out: NULL"))
	}
	p, err := viewArg(path, "path")
	if err != nil {
		return fail(e, err)
	}
	esc, err := sigv4.EscapePath(p)
	if err != nil {
		return fail(e, err)
	}
	dst, err := newOut(buf, buflen, needed, len(esc)+1)
	if err != nil {
		return fail(e, err)
	}
	*res = dst.put([]byte(esc))
	return ok(e)
}
