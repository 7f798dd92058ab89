package sigv4

// Header is one request header as it is sent. Repeated headers are
// repeated entries, in the order they appear on the wire.
type Header struct {
	Name, Value string
}

// Request is what the low-level signer reads: the request exactly as it
// will be sent, in plain fields. Nothing in it is modified.
type Request struct {
	// Method is the HTTP method, e.g. "GET".
	Method string
	// Path is the path as sent on the wire (percent-encoded where it is
	// encoded), starting with '/'. Non-S3 services encode it once more
	// for the canonical request; S3 signs it as it is.
	Path string
	// RawQuery is the query string as sent, without the '?'.
	RawQuery string
	// Headers are the request's headers, Host included. The signer signs
	// every header except those its policy leaves out (see Options) and
	// owns X-Amz-Date, X-Amz-Security-Token and, when it adds it,
	// X-Amz-Content-Sha256: copies of those in Headers are ignored.
	Headers []Header
	// PayloadHash is the lower-case hex SHA-256 of the body, or a
	// constant such as UnsignedPayload. Empty means an empty body.
	PayloadHash string
}
