// Package sigv4 signs HTTP requests with AWS Signature Version 4, as AWS
// services (Lambda, S3, API Gateway, ...) require.
//
// It has two levels. The low level takes a request as plain fields
// (Request: method, path, raw query, headers, payload hash) and writes
// the headers to set into a reusable Result; with a Result reused per
// goroutine it allocates nothing, which is what the C library and the
// Varnish module call once per request. The net/http level (SignHTTP,
// PresignHTTP, Transport) sits on top and shares the same canonicalizer.
//
// Canonicalization follows AWS exactly (the official aws-c-auth suite
// passes in both modes): the path is URI-encoded again and normalized
// for every service but S3, which signs it as sent; query parameters are
// decoded ('+' is a space), re-encoded and sorted by encoded key then
// value; header names are lower-cased and sorted, values trimmed with
// inner white space collapsed, repeated headers joined with ',' in
// order. Headers that proxies and clients change in flight (User-Agent,
// Connection, Expect, Transfer-Encoding, ...) are never signed, and the
// net/http level never signs Content-Length.
//
// A Signer is bound to one region, service and credentials.Provider. It
// derives the signing key once per day and credential rotation and
// caches it behind an atomic pointer: signing takes no lock.
//
// Errors from bad input are *Error values naming the field at fault
// (errors.Is(err, ErrInvalidInput)); errors from the credential provider
// match ErrCredentials. No error ever holds a secret.
package sigv4
