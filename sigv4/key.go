package sigv4

import (
	"sync/atomic"
	"time"

	"github.com/awsv4/awsv4/sigv4/credentials"
)

// maxScopePart bounds region and service names so that key derivation
// runs on the stack.
const maxScopePart = 64

// signingKey is the derived key for one identity and UTC day. Entries are
// immutable once published, so readers need no lock.
type signingKey struct {
	accessKeyID, secret string
	day                 [8]byte
	key                 hmacKey
}

// keyCache holds the newest derived key. A day change or a credential
// rotation costs one derivation (four HMACs) and one small allocation;
// every other signature reuses the key with one atomic load.
type keyCache struct {
	p atomic.Pointer[signingKey]
}

func (c *keyCache) get(creds *credentials.Credentials, day []byte, region, service string) *hmacKey {
	if k := c.p.Load(); k != nil && string(k.day[:]) == string(day) &&
		k.accessKeyID == creds.AccessKeyID && k.secret == creds.SecretAccessKey {
		return &k.key
	}
	k := &signingKey{accessKeyID: creds.AccessKeyID, secret: creds.SecretAccessKey}
	copy(k.day[:], day)
	k.key = deriveKey(creds.SecretAccessKey, day, region, service)
	c.p.Store(k)
	return &k.key
}

// deriveKey computes the signing key and expands it for HMAC use.
func deriveKey(secret string, day []byte, region, service string) hmacKey {
	k := deriveRaw(secret, day, region, service)
	return newHMACKey(k[:])
}

// deriveRaw computes kSigning = HMAC(HMAC(HMAC(HMAC("AWS4"+secret, day),
// region), service), "aws4_request").
func deriveRaw(secret string, day []byte, region, service string) [32]byte {
	var buf [4 + 128]byte
	k0 := buf[:0]
	if 4+len(secret) > len(buf) {
		k0 = make([]byte, 0, 4+len(secret)) // unusually long secret
	}
	k0 = append(append(k0, "AWS4"...), secret...)
	k := hmacSmall(k0, string(day))
	clear(buf[:]) // do not leave the secret on the stack longer than needed
	k = hmacSmall(k[:], region)
	k = hmacSmall(k[:], service)
	return hmacSmall(k[:], "aws4_request")
}

// SigningKey returns the SigV4 signing key for secret on t's UTC day in
// region and service. Signer derives and caches it itself; this is for
// verifiers, tests and tools that hand out scoped keys instead of secrets.
func SigningKey(secret string, t time.Time, region, service string) [32]byte {
	d, _ := amzDate(t)
	return deriveRaw(secret, d[:8], region, service)
}
