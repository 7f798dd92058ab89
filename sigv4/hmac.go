package sigv4

import "github.com/awsv4/awsv4/sigv4/internal/sha"

// hmacKey is an HMAC-SHA256 key expanded into its inner and outer pad
// blocks (FIPS 198-1: K0 ⊕ ipad, K0 ⊕ opad), so that a MAC costs the
// two hashes and nothing else. crypto/hmac would allocate on every use.
type hmacKey struct {
	ipad, opad [sha.BlockSize]byte
}

func newHMACKey(key []byte) (k hmacKey) {
	var k0 [sha.BlockSize]byte
	if len(key) > sha.BlockSize {
		d := sha.Sum256(key)
		copy(k0[:], d[:])
	} else {
		copy(k0[:], key)
	}
	for i, b := range k0 {
		k.ipad[i] = b ^ 0x36
		k.opad[i] = b ^ 0x5c
	}
	return k
}

// sum returns HMAC(K, msg) = H((K0 ⊕ opad) ‖ H((K0 ⊕ ipad) ‖ msg)).
// scratch is reused for the inner message and returned grown.
func (k *hmacKey) sum(scratch, msg []byte) ([sha.Size]byte, []byte) {
	scratch = append(append(scratch[:0], k.ipad[:]...), msg...)
	return k.outer(sha.Sum256(scratch)), scratch
}

// outer completes a MAC from the inner hash: H((K0 ⊕ opad) ‖ inner).
func (k *hmacKey) outer(inner [sha.Size]byte) [sha.Size]byte {
	var b [sha.BlockSize + sha.Size]byte
	copy(b[:], k.opad[:])
	copy(b[sha.BlockSize:], inner[:])
	return sha.Sum256(b[:])
}

// hmacSmall computes HMAC(key, msg) for the short messages of key
// derivation (date, region, service, "aws4_request") on the stack.
func hmacSmall(key []byte, msg string) [sha.Size]byte {
	k := newHMACKey(key)
	if len(msg) > maxScopePart {
		sum, _ := k.sum(nil, []byte(msg))
		return sum
	}
	var buf [sha.BlockSize + maxScopePart]byte
	n := copy(buf[:], k.ipad[:])
	n += copy(buf[n:], msg)
	return k.outer(sha.Sum256(buf[:n]))
}

const hexDigits = "0123456789abcdef"

// hex32 writes a digest as lower-case hex. Fixed sizes let the compiler
// drop every bounds check.
func hex32(dst *[2 * sha.Size]byte, src *[sha.Size]byte) {
	for i, b := range src {
		dst[2*i] = hexDigits[b>>4]
		dst[2*i+1] = hexDigits[b&0x0f]
	}
}
