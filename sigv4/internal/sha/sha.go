// Package sha is the one seam through which awsv4 computes SHA-256.
//
// Every digest in the signer goes through this package so that the
// implementation can be swapped in one place. It uses
// github.com/minio/sha256-simd, which picks SHA-NI or AVX2 at start-up;
// on CPUs with SHA-NI it performs like crypto/sha256 (see BENCHMARKS.md,
// where both are measured in the same run).
package sha

import (
	"hash"

	simd "github.com/minio/sha256-simd"
)

// Size is the length of a SHA-256 digest in bytes.
const Size = 32

// BlockSize is the SHA-256 block size in bytes.
const BlockSize = 64

// Sum256 returns the SHA-256 digest of b.
func Sum256(b []byte) [Size]byte { return simd.Sum256(b) }

// New returns a streaming SHA-256 hash.
func New() hash.Hash { return simd.New() }
