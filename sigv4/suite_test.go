package sigv4_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/awsv4/awsv4/sigv4/conformance"
)

const suiteDir = "../../shared/aws-signing-test-suite/v4"

// TestOfficialSuite runs the AWS signing test suite (aws-c-auth) in both
// modes: every canonical request, string to sign, signature and signed
// request must match.
func TestOfficialSuite(t *testing.T) {
	var out strings.Builder
	rep, err := conformance.Run(suiteDir, &out)
	require.NoError(t, err, "the suite is read from ../shared beside the repository")
	require.Equal(t, "76 passed, 0 failed", rep.Summary(), out.String())
}

// TestOwnVectors runs our own cases in testdata/, whose expected values
// come from other implementations (see each case's SOURCE file).
func TestOwnVectors(t *testing.T) {
	var out strings.Builder
	rep, err := conformance.Run("../testdata/v4", &out)
	require.NoError(t, err)
	require.Zero(t, rep.Failed, out.String())
	require.Positive(t, rep.Passed)
}
