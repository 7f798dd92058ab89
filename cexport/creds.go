package main

/*
#include <stdlib.h>
#include "awsv4.h"
*/
import "C"

import (
	"context"
	"os"
	"runtime/cgo"
	"strings"
	"unsafe"

	"github.com/awsv4/awsv4/sigv4"
	"github.com/awsv4/awsv4/sigv4/credentials"
)

// envNames are the variables the credential sources read.
var envNames = []string{
	"AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY",
	"AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
	"AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "HOME",
}

// syncEnv copies those variables from the C environment into Go's. The
// Go runtime copies the environment once, when the library is loaded; a
// C host may have called setenv since. Only changed values are written.
func syncEnv() {
	for _, name := range envNames {
		cname := C.CString(name)
		v := C.getenv(cname)
		C.free(unsafe.Pointer(cname))
		old, had := os.LookupEnv(name)
		switch {
		case v == nil && had:
			os.Unsetenv(name)
		case v != nil && (!had || old != C.GoString(v)):
			os.Setenv(name, C.GoString(v))
		}
	}
}

// A credentials handle holds a caching provider: the hot path reads an
// atomic pointer; refreshes run in the background.
func newCredsHandle(p credentials.Provider) C.uintptr_t {
	return C.uintptr_t(cgo.NewHandle(credentials.Provider(credentials.NewCache(p))))
}

//export awsv4go_creds_static
func awsv4go_creds_static(key, secret, token C.awsv4_str, e *C.awsv4_err) (h C.uintptr_t) {
	var rc C.int
	defer guard(&rc, e, "awsv4_creds_static")
	k, err1 := viewArg(key, "access_key_id")
	s, err2 := viewArg(secret, "secret")
	t, err3 := viewArg(token, "token")
	for _, err := range []error{err1, err2, err3} {
		if err != nil {
			fail(e, err)
			return 0
		}
	}
	p, err := credentials.NewStatic(strings.Clone(k), strings.Clone(s), strings.Clone(t))
	if err != nil {
		fail(e, invalid(err.Error()))
		return 0
	}
	ok(e)
	return newCredsHandle(p)
}

//export awsv4go_creds_env
func awsv4go_creds_env(e *C.awsv4_err) (h C.uintptr_t) {
	var rc C.int
	defer guard(&rc, e, "awsv4_creds_env")
	syncEnv()
	ok(e)
	return newCredsHandle(credentials.Env{})
}

//export awsv4go_creds_file
func awsv4go_creds_file(credFile, configFile, profile C.awsv4_str, e *C.awsv4_err) (h C.uintptr_t) {
	var rc C.int
	defer guard(&rc, e, "awsv4_creds_file")
	syncEnv()
	var opts []credentials.SharedFileOption
	for _, a := range []struct {
		s    C.awsv4_str
		name string
		opt  func(string) credentials.SharedFileOption
	}{
		{credFile, "credentials_file", credentials.WithCredentialsFile},
		{configFile, "config_file", credentials.WithConfigFile},
		{profile, "profile", credentials.WithProfile},
	} {
		v, err := viewArg(a.s, a.name)
		if err != nil {
			fail(e, err)
			return 0
		}
		if v != "" {
			opts = append(opts, a.opt(strings.Clone(v)))
		}
	}
	ok(e)
	return newCredsHandle(credentials.NewSharedFile(opts...))
}

//export awsv4go_creds_default_chain
func awsv4go_creds_default_chain(e *C.awsv4_err) (h C.uintptr_t) {
	var rc C.int
	defer guard(&rc, e, "awsv4_creds_default_chain")
	syncEnv()
	ok(e)
	return newCredsHandle(credentials.DefaultChain())
}

//export awsv4go_creds_check
func awsv4go_creds_check(h C.uintptr_t, e *C.awsv4_err) (rc C.int) {
	defer guard(&rc, e, "awsv4_creds_check")
	p, err := lookup[credentials.Provider](h)
	if err != nil {
		return fail(e, err)
	}
	c, err := p.Retrieve(context.Background())
	if err == nil {
		err = sigv4.ValidateCredentials(&c)
	}
	if err != nil {
		setErr(e, codeCredentials, "awsv4: "+strings.TrimPrefix(err.Error(), "sigv4: "))
		return codeCredentials
	}
	return ok(e)
}

//export awsv4go_creds_destroy
func awsv4go_creds_destroy(h C.uintptr_t) C.int {
	return destroy[credentials.Provider](h)
}
