package sigv4

import (
	"strconv"
	"time"

	"github.com/awsv4/awsv4/sigv4/credentials"
)

// Query mode: the X-Amz-* parameters of a presigned URL.

// addPresignParams adds the X-Amz-* parameters that go into the canonical
// query of a presigned URL.
func (r *Result) addPresignParams(creds *credentials.Credentials, day []byte, scope string, expires time.Duration, signToken bool) {
	addParam(r, QueryAlgorithm, Algorithm)
	// Credential: built in r.scratch, then encoded into r.names.
	r.scratch = append(append(append(append(r.scratch[:0], creds.AccessKeyID...), '/'), day...), scope...)
	addParam(r, QueryCredential, r.scratch)
	addParam(r, QueryDate, r.date[:])
	if expires != NoExpires {
		r.scratch = strconv.AppendInt(r.scratch[:0], int64(expires/time.Second), 10)
		addParam(r, QueryExpires, r.scratch)
	}
	r.scratch = r.appendSignedList(r.scratch[:0])
	addParam(r, QuerySignedHeaders, r.scratch)
	if signToken {
		addParam(r, QuerySecurityToken, creds.SessionToken)
	}
}

// appendPresignedQuery appends the X-Amz-* parameters and the signature
// to the request's own query pieces already in r.out.
func (r *Result) appendPresignedQuery(creds *credentials.Credentials, day []byte, scope string, expires time.Duration) {
	param := func(k string) {
		if len(r.out) > 0 {
			r.out = append(r.out, '&')
		}
		r.out = append(append(r.out, k...), '=')
	}
	param(QueryAlgorithm)
	r.out = append(r.out, Algorithm...)
	param(QueryCredential)
	r.out = appendEscaped(r.out, creds.AccessKeyID, false)
	r.out = append(append(r.out, "%2F"...), day...)
	r.out = appendEscaped(r.out, scope, false)
	param(QueryDate)
	r.out = append(r.out, r.date[:]...)
	if expires != NoExpires {
		param(QueryExpires)
		r.out = strconv.AppendInt(r.out, int64(expires/time.Second), 10)
	}
	param(QuerySignedHeaders)
	r.out = appendEscaped(r.out, r.SignedHeaders(), false)
	if creds.SessionToken != "" {
		param(QuerySecurityToken)
		r.out = appendEscaped(r.out, creds.SessionToken, false)
	}
	param(QuerySignature)
	r.out = append(r.out, r.sig[:]...)
}
