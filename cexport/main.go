// Command cexport is the awsv4 signer as a C library: built with
// -buildmode=c-shared into libawsv4.so.0, described by the hand-written
// awsv4.h (the contract; cgo's generated header stays internal).
//
// The public awsv4_* functions are small C wrappers (wrap.c) that give
// the calling thread its own signal stack and then call the Go exports
// named awsv4go_*, which a linker version script keeps private. Rules
// every export here follows:
//   - it recovers from any panic and returns AWSV4_E_INTERNAL: a panic
//     escaping an export would abort the host process (varnishd);
//   - no Go pointer is ever handed to C: objects are runtime/cgo Handles,
//     results are copied into caller buffers;
//   - C memory is read only during the call (unsafe.String views), and
//     copied when kept (credentials, region, options);
//   - messages never hold a secret.
package main

/*
#include "awsv4.h"
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/cgo"
	"unsafe"

	"github.com/awsv4/awsv4/sigv4"
	"github.com/awsv4/awsv4/sigv4/credentials"
)

func main() {}

const (
	codeOK          = C.AWSV4_OK
	codeInvalid     = C.AWSV4_E_INVALID
	codeBuffer      = C.AWSV4_E_BUFFER
	codeHandle      = C.AWSV4_E_HANDLE
	codeCredentials = C.AWSV4_E_CREDENTIALS
	codeInternal    = C.AWSV4_E_INTERNAL
)

// view returns s as a Go string sharing the C memory, valid during the
// call only. ok is false for {NULL, n>0}.
func view(s C.awsv4_str) (string, bool) {
	if s.len == 0 {
		return "", true
	}
	if s.ptr == nil {
		return "", false
	}
	return unsafe.String((*byte)(unsafe.Pointer(s.ptr)), int(s.len)), true
}

// viewArg is view with an error naming the argument.
func viewArg(s C.awsv4_str, name string) (string, error) {
	v, ok := view(s)
	if !ok {
		return "", invalid(name + ": NULL pointer with a non-zero length")
	}
	return v, nil
}

type codedError struct {
	code C.int
	msg  string
}

func (e *codedError) Error() string { return e.msg }

func invalid(msg string) error { return &codedError{codeInvalid, "awsv4: " + msg} }

var errBadHandle = &codedError{codeHandle, "awsv4: NULL, unknown, wrong-kind or destroyed handle"}

// fail fills e and returns the code for err.
func fail(e *C.awsv4_err, err error) C.int {
	code := C.int(codeInternal)
	var ce *codedError
	switch {
	case errors.As(err, &ce):
		code = ce.code
	case errors.Is(err, sigv4.ErrCredentials), errors.Is(err, credentials.ErrNoCredentials):
		code = codeCredentials
	case errors.Is(err, sigv4.ErrInvalidInput):
		code = codeInvalid
	}
	setErr(e, code, err.Error())
	return code
}

func setErr(e *C.awsv4_err, code C.int, msg string) {
	if e == nil {
		return
	}
	e.code = code
	dst := unsafe.Slice((*byte)(unsafe.Pointer(&e.message[0])), C.AWSV4_ERR_MESSAGE_SIZE)
	n := copy(dst[:len(dst)-1], msg)
	dst[n] = 0
}

func ok(e *C.awsv4_err) C.int {
	if e != nil {
		e.code = 0
		e.message[0] = 0
	}
	return codeOK
}

// guard turns a panic into AWSV4_E_INTERNAL. Use as
// defer guard(&rc, e, "awsv4_sign").
func guard(rc *C.int, e *C.awsv4_err, fn string) {
	if p := recover(); p != nil {
		*rc = codeInternal
		setErr(e, codeInternal, fmt.Sprintf("awsv4: internal error in %s (please report): %v", fn, p))
	}
}

// lookup returns the value of handle h if it holds a T.
func lookup[T any](h C.uintptr_t) (v T, err error) {
	defer func() {
		if recover() != nil {
			err = errBadHandle
		}
	}()
	if h == 0 {
		return v, errBadHandle
	}
	v, ok := cgo.Handle(h).Value().(T)
	if !ok {
		return v, errBadHandle
	}
	return v, nil
}

// destroy deletes handle h if it holds a T.
func destroy[T any](h C.uintptr_t) (rc C.int) {
	defer guard(&rc, nil, "destroy")
	if _, err := lookup[T](h); err != nil {
		return codeHandle
	}
	defer func() {
		if recover() != nil { // deleted concurrently
			rc = codeHandle
		}
	}()
	cgo.Handle(h).Delete()
	return codeOK
}

//export awsv4go_set_max_procs
func awsv4go_set_max_procs(n C.int) (rc C.int) {
	defer guard(&rc, nil, "awsv4_set_max_procs")
	if n <= 0 {
		return C.int(runtime.GOMAXPROCS(0))
	}
	return C.int(runtime.GOMAXPROCS(int(n)))
}

// out writes NUL-terminated strings into a caller buffer after checking
// that all of them fit.
type out struct {
	buf []byte
	n   int
}

func newOut(buf *C.char, buflen C.size_t, needed *C.size_t, need int) (out, error) {
	if needed != nil {
		*needed = C.size_t(need)
	}
	if buf == nil && buflen > 0 {
		return out{}, invalid("buf: NULL with a non-zero length")
	}
	if int(buflen) < need {
		return out{}, &codedError{codeBuffer, fmt.Sprintf("awsv4: output buffer too small: %d bytes, %d needed", int(buflen), need)}
	}
	return out{buf: unsafe.Slice((*byte)(unsafe.Pointer(buf)), int(buflen))}, nil
}

func (o *out) put(b []byte) C.awsv4_str {
	start := o.n
	o.n += copy(o.buf[o.n:], b)
	o.buf[o.n] = 0
	o.n++
	return C.awsv4_str{ptr: (*C.char)(unsafe.Pointer(&o.buf[start])), len: C.size_t(len(b))}
}
