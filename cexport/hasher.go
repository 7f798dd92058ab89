package main

/*
#include "awsv4.h"
*/
import "C"

import (
	"runtime/cgo"
	"unsafe"

	"github.com/awsv4/awsv4/sigv4"
)

//export awsv4go_hasher_new
func awsv4go_hasher_new(e *C.awsv4_err) (h C.uintptr_t) {
	var rc C.int
	defer guard(&rc, e, "awsv4_hasher_new")
	ok(e)
	return C.uintptr_t(cgo.NewHandle(sigv4.NewPayloadHasher()))
}

//export awsv4go_hasher_update
func awsv4go_hasher_update(h C.uintptr_t, p unsafe.Pointer, n C.size_t, e *C.awsv4_err) (rc C.int) {
	defer guard(&rc, e, "awsv4_hasher_update")
	ph, err := lookup[*sigv4.PayloadHasher](h)
	if err != nil {
		return fail(e, err)
	}
	if n == 0 {
		return ok(e)
	}
	if p == nil {
		return fail(e, invalid("data: NULL with a non-zero length"))
	}
	ph.Write(unsafe.Slice((*byte)(p), int(n)))
	return ok(e)
}

//export awsv4go_hasher_final
func awsv4go_hasher_final(h C.uintptr_t, hex *C.char, e *C.awsv4_err) (rc C.int) {
	defer guard(&rc, e, "awsv4_hasher_final")
	ph, err := lookup[*sigv4.PayloadHasher](h)
	if err != nil {
		return fail(e, err)
	}
	if hex == nil {
		return fail(e, invalid("hex: NULL"))
	}
	dst := unsafe.Slice((*byte)(unsafe.Pointer(hex)), C.AWSV4_HASH_HEX_SIZE)
	ph.AppendHex(dst[:0])
	dst[64] = 0
	return ok(e)
}

//export awsv4go_hasher_destroy
func awsv4go_hasher_destroy(h C.uintptr_t) C.int { return destroy[*sigv4.PayloadHasher](h) }
