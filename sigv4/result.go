package sigv4

// Result holds what one Sign or Presign produced, and the scratch memory
// it was built in. Reuse one Result per goroutine and signing allocates
// nothing. The byte slices its methods return point into the Result and
// stay valid until it is used again; copy them to keep them longer.
// A Result is not safe for concurrent use; its zero value is ready.
type Result struct {
	canon   []byte // canonical request
	sts     []byte // string to sign
	out     []byte // Authorization value (header mode) or query (presign)
	names   []byte // lower-cased header names, then encoded query parts
	scratch []byte // HMAC input
	hdrs    []hdrEntry
	qs      []queryEntry
	stack   []int

	date    [16]byte
	sig     [64]byte
	token   string
	payload string
	sigHdrs [2]int // signed header list, as offsets into canon
	presign bool
}

// hdrEntry is one signed header: its lower-cased name in Result.names
// and its value (valueKind says where the value lives).
type hdrEntry struct {
	prefix uint64 // first bytes of the name, big-endian, for sorting
	off, n int32
	idx    int32 // index in Request.Headers, for errors
	kind   uint8
	value  string
}

const (
	valueInput uint8 = iota
	valueDate
)

// queryEntry is one query parameter, encoded, as offsets in Result.names.
type queryEntry struct {
	prefix         uint64 // first bytes of the encoded key, big-endian: most comparisons end here
	k0, k1, v0, v1 int32
}

// Authorization is the value of the Authorization header (header mode).
func (r *Result) Authorization() []byte {
	if r.presign {
		return nil
	}
	return r.out
}

// Date is the value of X-Amz-Date, e.g. 20150830T123600Z.
func (r *Result) Date() []byte { return r.date[:] }

// SecurityToken is the value for X-Amz-Security-Token, empty when the
// credentials carry no session token (then remove the header).
func (r *Result) SecurityToken() string { return r.token }

// ContentSHA256 is the value for X-Amz-Content-Sha256 when the signer
// adds that header, empty otherwise.
func (r *Result) ContentSHA256() string { return r.payload }

// Query is the query string to send (without '?') after Presign: the
// request's own parameters, the X-Amz-* parameters and X-Amz-Signature.
func (r *Result) Query() []byte {
	if !r.presign {
		return nil
	}
	return r.out
}

// Signature is the hex signature.
func (r *Result) Signature() []byte { return r.sig[:] }

// SignedHeaders is the list of signed header names, joined with ';'.
func (r *Result) SignedHeaders() []byte { return r.canon[r.sigHdrs[0]:r.sigHdrs[1]] }

// CanonicalRequest is the canonical request that was signed, for
// debugging a mismatch against the server's.
func (r *Result) CanonicalRequest() []byte { return r.canon }

// StringToSign is the string to sign built from the canonical request.
func (r *Result) StringToSign() []byte { return r.sts }
