package sigv4

import (
	"hash"
	"io"

	"github.com/awsv4/awsv4/sigv4/internal/sha"
)

// PayloadHasher computes the payload hash of a body written to it in
// pieces of any size, so bodies are signed without being held in memory.
// Its zero value is not ready: use NewPayloadHasher. Not safe for
// concurrent use.
type PayloadHasher struct {
	h   hash.Hash
	sum [sha.Size]byte // Sum's destination: a local array would escape through the interface
}

// NewPayloadHasher returns a hasher holding no bytes.
func NewPayloadHasher() *PayloadHasher { return &PayloadHasher{h: sha.New()} }

// Write adds p to the payload. It never fails.
func (p *PayloadHasher) Write(b []byte) (int, error) { return p.h.Write(b) }

// AppendHex appends the lower-case hex SHA-256 of everything written so
// far to dst and resets the hasher for the next body.
func (p *PayloadHasher) AppendHex(dst []byte) []byte {
	p.h.Sum(p.sum[:0])
	p.h.Reset()
	var hex [2 * sha.Size]byte
	hex32(&hex, &p.sum)
	return append(dst, hex[:]...)
}

// Sum returns the payload hash (and resets the hasher).
func (p *PayloadHasher) Sum() string { return string(p.AppendHex(nil)) }

// Reset discards what was written.
func (p *PayloadHasher) Reset() { p.h.Reset() }

// HashPayload reads r to its end and returns its payload hash.
func HashPayload(r io.Reader) (string, error) {
	p := NewPayloadHasher()
	if _, err := io.Copy(p, r); err != nil {
		return "", err
	}
	return p.Sum(), nil
}

// HashBytes returns the payload hash of b.
func HashBytes(b []byte) string {
	sum := sha.Sum256(b)
	var hex [2 * sha.Size]byte
	hex32(&hex, &sum)
	return string(hex[:])
}
