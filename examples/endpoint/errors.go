package main

import (
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
)

// authError is a rejected request: a stable Reason label (the key of the
// by_reason statistics and of the -log line) and the status, code and message
// the service named by the Host answers with.
type authError struct {
	Reason  string
	Status  int
	Code    string
	Message string
	// Fields are extra elements of an S3 XML error (RequestTime, HeadersNotSigned…).
	Fields [][2]string
	// CanonicalRequest and StringToSign are the server's, set when a
	// signature was computed (they hold no secret; a session token in them is
	// masked in the log).
	CanonicalRequest string
	StringToSign     string
	// AccessKeyID is the key id the request named, once its Authorization
	// header or presign parameters parsed (for the per-key statistics; shown
	// in answers and logs only with a CanonicalRequest).
	AccessKeyID string
	Provided    string // the signature the client sent
}

func (e *authError) Error() string { return e.Reason + ": " + e.Code + ": " + e.Message }

// reasonCode maps a reason to the status and code each service answers with.
type reasonCode struct {
	lambdaStatus int
	lambdaCode   string
	s3Status     int
	s3Code       string
}

// reasonCodes is the policy table: what Lambda and S3 answer for each reason.
// Codes follow what the real services (and versitygw for S3) return.
var reasonCodes = map[string]reasonCode{
	"missing_auth":           {403, "MissingAuthenticationTokenException", 403, "AccessDenied"},
	"multiple_auth":          {400, "InvalidParameterValueException", 400, "InvalidArgument"},
	"unsupported_algorithm":  {403, "IncompleteSignatureException", 400, "InvalidArgument"},
	"malformed_auth":         {403, "IncompleteSignatureException", 400, "AuthorizationHeaderMalformed"},
	"missing_date":           {403, "IncompleteSignatureException", 403, "AccessDenied"},
	"scope_date":             {403, "InvalidSignatureException", 400, "AuthorizationHeaderMalformed"},
	"wrong_region":           {403, "InvalidSignatureException", 400, "AuthorizationHeaderMalformed"},
	"wrong_service":          {403, "InvalidSignatureException", 400, "AuthorizationHeaderMalformed"},
	"host_not_signed":        {403, "InvalidSignatureException", 400, "AuthorizationHeaderMalformed"},
	"bad_expires":            {403, "IncompleteSignatureException", 400, "AuthorizationQueryParametersError"},
	"unknown_key":            {403, "UnrecognizedClientException", 403, "InvalidAccessKeyId"},
	"skew":                   {403, "InvalidSignatureException", 403, "RequestTimeTooSkewed"},
	"expired":                {403, "InvalidSignatureException", 403, "AccessDenied"},
	"not_yet_valid":          {403, "InvalidSignatureException", 403, "AccessDenied"},
	"unsigned_header":        {403, "InvalidSignatureException", 403, "AccessDenied"},
	"signed_header_missing":  {403, "InvalidSignatureException", 403, "SignatureDoesNotMatch"},
	"unverifiable_header":    {403, "InvalidSignatureException", 403, "SignatureDoesNotMatch"},
	"bad_token":              {403, "UnrecognizedClientException", 403, "InvalidToken"},
	"unsigned_payload":       {403, "InvalidSignatureException", 403, "AccessDenied"},
	"missing_content_sha256": {403, "InvalidSignatureException", 400, "InvalidRequest"},
	"bad_content_sha256":     {403, "InvalidSignatureException", 400, "InvalidArgument"},
	"payload_mismatch":       {403, "InvalidSignatureException", 400, "XAmzContentSHA256Mismatch"},
	"streaming_payload":      {403, "InvalidSignatureException", 501, "NotImplemented"},
	"signature_mismatch":     {403, "InvalidSignatureException", 403, "SignatureDoesNotMatch"},
	"bad_uri":                {400, "ValidationException", 400, "InvalidURI"},
	"body_too_large":         {413, "RequestTooLargeException", 400, "EntityTooLarge"},
	"body_read":              {400, "InvalidRequestContentException", 400, "IncompleteBody"},
}

// newAuthError builds the answer for reason as the service of kind k gives it.
// For query-string (presigned) authentication S3 names malformed parameters
// AuthorizationQueryParametersError instead of AuthorizationHeaderMalformed.
func newAuthError(k kind, presigned bool, reason, format string, args ...any) *authError {
	rc, ok := reasonCodes[reason]
	if !ok {
		panic("awsv4-endpoint: no reasonCodes entry for " + reason)
	}
	e := &authError{Reason: reason, Message: fmt.Sprintf(format, args...)}
	if k == kindS3 {
		e.Status, e.Code = rc.s3Status, rc.s3Code
		if presigned && e.Code == "AuthorizationHeaderMalformed" {
			e.Code = "AuthorizationQueryParametersError"
		}
	} else {
		e.Status, e.Code = rc.lambdaStatus, rc.lambdaCode
	}
	return e
}

// with appends S3 XML fields.
func (e *authError) with(kv ...string) *authError {
	for i := 0; i+1 < len(kv); i += 2 {
		e.Fields = append(e.Fields, [2]string{kv[i], kv[i+1]})
	}
	return e
}

// writeAuthError answers e like the service of kind k.
func writeAuthError(w http.ResponseWriter, r *http.Request, k kind, e *authError, requestID string) {
	if k == kindS3 {
		fields := append([][2]string(nil), e.Fields...)
		if e.CanonicalRequest != "" {
			fields = append(fields,
				[2]string{"AWSAccessKeyId", e.AccessKeyID},
				[2]string{"StringToSign", e.StringToSign},
				[2]string{"SignatureProvided", e.Provided},
				[2]string{"StringToSignBytes", spacedHex(e.StringToSign)},
				[2]string{"CanonicalRequest", e.CanonicalRequest},
				[2]string{"CanonicalRequestBytes", spacedHex(e.CanonicalRequest)},
			)
		}
		writeS3Error(w, r, e.Status, e.Code, e.Message, requestID, fields...)
		return
	}
	msg := e.Message
	if e.CanonicalRequest != "" {
		// What AWS's JSON services (Lambda among them) append to a mismatch.
		msg += "\n\nThe Canonical String for this request should have been\n'" + e.CanonicalRequest +
			"'\n\nThe String-to-Sign should have been\n'" + e.StringToSign + "'\n"
	}
	writeLambdaAuthError(w, e.Status, e.Code, msg, requestID)
}

// spacedHex is S3's *Bytes form: every byte as two hex digits, space separated.
func spacedHex(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(3 * len(s))
	for i := 0; i < len(s); i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(hex.EncodeToString([]byte{s[i]}))
	}
	return b.String()
}
