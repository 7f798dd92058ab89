package sigv4

import "time"

// Algorithm is the SigV4 algorithm name, the first token of the
// Authorization header and the value of X-Amz-Algorithm.
const Algorithm = "AWS4-HMAC-SHA256"

// Payload hash values understood by AWS besides a hex SHA-256.
const (
	// UnsignedPayload leaves the body out of the signature. S3 accepts it;
	// Lambda and most other services refuse it.
	UnsignedPayload = "UNSIGNED-PAYLOAD"
	// StreamingPayload announces aws-chunked bodies signed chunk by chunk.
	StreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	// EmptyPayloadHash is the hex SHA-256 of zero bytes.
	EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// Names of the headers and query parameters the signer adds.
const (
	HeaderAuthorization = "Authorization"
	HeaderDate          = "X-Amz-Date"
	HeaderSecurityToken = "X-Amz-Security-Token"
	HeaderContentSHA256 = "X-Amz-Content-Sha256"

	QueryAlgorithm     = "X-Amz-Algorithm"
	QueryCredential    = "X-Amz-Credential"
	QueryDate          = "X-Amz-Date"
	QueryExpires       = "X-Amz-Expires"
	QuerySignedHeaders = "X-Amz-SignedHeaders"
	QuerySecurityToken = "X-Amz-Security-Token"
	QuerySignature     = "X-Amz-Signature"
)

// TimeFormat is the layout of X-Amz-Date (ISO 8601 basic, UTC).
const TimeFormat = "20060102T150405Z"

// Presigned URL lifetimes AWS accepts.
const (
	MinPresignExpiry = time.Second
	MaxPresignExpiry = 7 * 24 * time.Hour
)

// NoExpires asks Presign to leave X-Amz-Expires out of the URL. Few
// services accept that; S3 does not.
const NoExpires time.Duration = -1
