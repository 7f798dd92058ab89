package lambda

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Expected values below are written by hand from the Lambda API reference
// (Invoke, FunctionName "Name formats") and the service model patterns quoted
// in function.go; none is produced by the code under test.

const acct = "123456789012"

var (
	name64  = strings.Repeat("n", 64)
	name65  = strings.Repeat("n", 65)
	qual128 = strings.Repeat("q", 128)
	qual129 = strings.Repeat("q", 129)
)

func TestParseFunctionValid(t *testing.T) {
	tests := []struct {
		in   string
		want Function
	}{
		// Name formats of the API reference.
		{"my-function", Function{Name: "my-function"}},
		{"my-function:v1", Function{Name: "my-function", Qualifier: "v1"}},
		{"my-function:1", Function{Name: "my-function", Qualifier: "1"}},
		{"my-function:$LATEST", Function{Name: "my-function", Qualifier: "$LATEST"}},
		{"my-function:$LATEST.PUBLISHED", Function{Name: "my-function", Qualifier: "$LATEST.PUBLISHED"}},
		{"123456789012:function:my-function", Function{Name: "my-function", AccountID: acct}},
		{"123456789012:function:my-function:prod", Function{Name: "my-function", Qualifier: "prod", AccountID: acct}},
		{"arn:aws:lambda:us-west-2:123456789012:function:my-function",
			Function{Name: "my-function", Region: "us-west-2", AccountID: acct, Partition: "aws"}},
		{"arn:aws:lambda:us-west-2:123456789012:function:MyFunction:PROD",
			Function{Name: "MyFunction", Qualifier: "PROD", Region: "us-west-2", AccountID: acct, Partition: "aws"}},
		{"arn:aws:lambda:us-east-1:123456789012:function:f:prod",
			Function{Name: "f", Qualifier: "prod", Region: "us-east-1", AccountID: acct, Partition: "aws"}},
		// Other partitions.
		{"arn:aws-cn:lambda:cn-north-1:123456789012:function:f",
			Function{Name: "f", Region: "cn-north-1", AccountID: acct, Partition: "aws-cn"}},
		{"arn:aws-cn:lambda:cn-northwest-1:123456789012:function:f:7",
			Function{Name: "f", Qualifier: "7", Region: "cn-northwest-1", AccountID: acct, Partition: "aws-cn"}},
		{"arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f:$LATEST",
			Function{Name: "f", Qualifier: "$LATEST", Region: "us-gov-west-1", AccountID: acct, Partition: "aws-us-gov"}},
		{"arn:aws-iso:lambda:us-iso-east-1:123456789012:function:f",
			Function{Name: "f", Region: "us-iso-east-1", AccountID: acct, Partition: "aws-iso"}},
		{"arn:aws-iso-b:lambda:us-isob-east-1:123456789012:function:f",
			Function{Name: "f", Region: "us-isob-east-1", AccountID: acct, Partition: "aws-iso-b"}},
		{"arn:aws-iso-e:lambda:eu-isoe-west-1:123456789012:function:f",
			Function{Name: "f", Region: "eu-isoe-west-1", AccountID: acct, Partition: "aws-iso-e"}},
		{"arn:aws-iso-f:lambda:us-isof-south-1:123456789012:function:f",
			Function{Name: "f", Region: "us-isof-south-1", AccountID: acct, Partition: "aws-iso-f"}},
		{"arn:aws-eusc:lambda:eusc-de-east-1:123456789012:function:f",
			Function{Name: "f", Region: "eusc-de-east-1", AccountID: acct, Partition: "aws-eusc"}},
		// A region no partition regex knows: accepted, no partition check.
		{"arn:aws:lambda:xx-north-1:123456789012:function:f",
			Function{Name: "f", Region: "xx-north-1", AccountID: acct, Partition: "aws"}},
		// Characters and limits.
		{"A-z_0-9", Function{Name: "A-z_0-9"}},
		{"us-east-1.my-edge-function", Function{Name: "us-east-1.my-edge-function"}}, // '.' is in the Invoke pattern
		{"...", Function{Name: "..."}},
		{name64, Function{Name: name64}},
		{name64 + ":" + qual128, Function{Name: name64, Qualifier: qual128}},
		{"f:a-B_9", Function{Name: "f", Qualifier: "a-B_9"}},
		// 4+10+8+13+1+12+10+64+1+128 = 251 bytes: the longest realistic ARN fits in 256.
		{"arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:" + name64 + ":" + qual128,
			Function{Name: name64, Qualifier: qual128, Region: "us-gov-west-1", AccountID: acct, Partition: "aws-us-gov"}},
		// Two parts are always NAME:QUALIFIER, as documented.
		{"arn:v1", Function{Name: "arn", Qualifier: "v1"}},
		{"123456789012:my-function", Function{Name: "123456789012", Qualifier: "my-function"}},
		{"function:my-function", Function{Name: "function", Qualifier: "my-function"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFunction(tt.in)
			require.NoError(t, err)
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.in, got.String())
			require.Equal(t, tt.want.Partition != "", got.IsARN())
		})
	}
}

func TestParseFunctionInvalid(t *testing.T) {
	arnPrefix := "arn:aws:lambda:us-west-2:123456789012:function:"
	tests := []struct {
		in      string
		wantErr string // full message, or a substring when it starts with "~"
	}{
		{"", `~lambda: function "": empty`},
		{"x y", `lambda: function name "x y": invalid character ' ' at 1`},
		{"my function", `lambda: function name "my function": invalid character ' ' at 2`},
		{" my-function", `lambda: function name " my-function": invalid character ' ' at 0`},
		{"my-function\n", `lambda: function name "my-function\n": invalid character '\n' at 11`},
		{"my-function\x00", `lambda: function name "my-function\x00": invalid character '\x00' at 11`},
		{"fünf", `lambda: function name "fünf": invalid character 'ü' at 1`},
		{"f\xff", `lambda: function name "f\xff": invalid byte 0xff at 1`},
		{"a/b", `lambda: function name "a/b": invalid character '/' at 1`},
		{"a%3Ab", `lambda: function name "a%3Ab": invalid character '%' at 1`},
		{"..", `~dot-segment`},
		{".", `~dot-segment`},
		{name65, `lambda: function name "` + name65 + `": too long: 65 bytes, at most 64`},
		{strings.Repeat("a", 257), `~lambda: function "aaaa`},
		{strings.Repeat("a", 257), `~: too long: 257 bytes, at most 256`},
		{arnPrefix + name64 + ":" + strings.Repeat("q", 257-len(arnPrefix)-65), `~too long: 257 bytes, at most 256`},
		// Qualifiers.
		{"my-function:", `lambda: qualifier "": empty after ':' (in "my-function:")`},
		{":v1", `lambda: function name "": empty (in ":v1")`},
		{":", `~lambda: qualifier "": empty after ':'`},
		{"my-function:v1.0", `~lambda: qualifier "v1.0": invalid character '.' at 2`},
		{"my-function:$latest", `~lambda: qualifier "$latest": invalid character '$' at 0`},
		{"my-function:$LATEST.UNPUBLISHED", `~lambda: qualifier "$LATEST.UNPUBLISHED": invalid character '$' at 0`},
		{"my-function:a$b", `~lambda: qualifier "a$b": invalid character '$' at 1`},
		{"my-function:" + qual129, `~lambda: qualifier "` + qual129 + `": too long: 129 bytes, at most 128`},
		{"123456789012:function:f:", `~lambda: qualifier "": empty after ':'`},
		{arnPrefix + "f:", `~lambda: qualifier "": empty after ':'`},
		// Partial ARNs.
		{"123456789012:function:", `~lambda: function name "": empty`},
		{"123456789012:lambda:f", `~lambda: ARN resource type "lambda": want "function"`},
		{"12345:function:f", `~lambda: account ID "12345": 5 digits, want 12`},
		{"1234567890123:function:f", `~lambda: account ID "1234567890123": 13 digits, want 12`},
		{"my-function:function:f", `~lambda: account ID "my-function": invalid character 'm' at 0`},
		{"a:b:c:d:e", `~lambda: function "a:b:c:d:e": 5 ':'-separated parts; want NAME[:QUALIFIER]`},
		{"123456789012:function:f:v1:x", `~5 ':'-separated parts`},
		// Full ARNs with missing or wrong parts.
		{"arn:aws:lambda", `~ARN has 3 ':'-separated parts, want 7 or 8`},
		{"arn:aws:lambda:us-west-2", `~ARN has 4 ':'-separated parts`},
		{"arn:aws:lambda:us-west-2:123456789012:function", `~ARN has 6 ':'-separated parts`},
		{"arn:aws:lambda:us-west-2:123456789012:function:f:v1:extra", `~ARN has 9 ':'-separated parts`},
		{"arn:aws:lambda:us-west-2:123456789012:function:f:v1:extra:more", `~ARN has 10 ':'-separated parts`},
		{"a:b:c:d:e:f:g:h:i:j:k", `~lambda: function "a:b:c:d:e:f:g:h:i:j:k": 11 ':'-separated parts`},
		{arnPrefix, `~lambda: function name "": empty`},
		{"arn:aws:s3:us-west-2:123456789012:function:f", `~lambda: ARN service "s3": want "lambda"`},
		{"arn:aws:lambda:us-west-2:123456789012:layer:f", `~lambda: ARN resource type "layer": want "function"`},
		{"arn:aws:lambda:us-west-2:123456789012:Function:f", `~lambda: ARN resource type "Function"`},
		{"arn:aws:lambda:us-west-2:12345678901:function:f", `~lambda: account ID "12345678901": 11 digits, want 12`},
		{"arn:aws:lambda:us-west-2:12345678901a:function:f", `~lambda: account ID "12345678901a": invalid character 'a' at 11`},
		{"arn:aws:lambda:us-west-2::function:f", `~lambda: account ID "": 0 digits, want 12`},
		{"arn::lambda:us-west-2:123456789012:function:f", `~lambda: partition "": want "aws"`},
		{"arn:amazon:lambda:us-west-2:123456789012:function:f", `~lambda: partition "amazon"`},
		{"arn:aws1:lambda:us-west-2:123456789012:function:f", `~lambda: partition "aws1": invalid character '1' at 3`},
		{"arn:aws:lambda::123456789012:function:f", `~lambda: region "": empty`},
		{"arn:aws:lambda:US-WEST-2:123456789012:function:f", `~lambda: region "US-WEST-2": invalid character 'U' at 0`},
		{"arn:aws:lambda:us-west:123456789012:function:f", `~lambda: region "us-west": want lower-case words ending in a number`},
		{"arn:aws:lambda:uswest2:123456789012:function:f", `~lambda: region "uswest2"`},
		{"arn:aws:lambda:us-2:123456789012:function:f", `~lambda: region "us-2"`},
		{"arn:aws:lambda:u-west-2:123456789012:function:f", `~lambda: region "u-west-2"`},
		{"arn:aws:lambda:us--west-2:123456789012:function:f", `~lambda: region "us--west-2": empty word at 3`},
		{"arn:aws:lambda:us-west-2-:123456789012:function:f", `~lambda: region "us-west-2-"`},
		{"arn:aws:lambda:us-we5t-2:123456789012:function:f", `~lambda: region "us-we5t-2"`},
		{"arn:aws:lambda:us-west-2.evil:123456789012:function:f", `~lambda: region "us-west-2.evil": invalid character '.' at 9`},
		{"arn:aws-cn:lambda:us-east-1:123456789012:function:f", `~lambda: partition "aws-cn": region us-east-1 is in partition aws`},
		{"arn:aws:lambda:cn-north-1:123456789012:function:f", `~lambda: partition "aws": region cn-north-1 is in partition aws-cn`},
		{"arn:aws:lambda:us-gov-west-1:123456789012:function:f", `~region us-gov-west-1 is in partition aws-us-gov`},
		{"arn:aws-us-gov:lambda:us-west-2:123456789012:function:f", `~region us-west-2 is in partition aws`},
		{arnPrefix + "my fn", `~lambda: function name "my fn": invalid character ' ' at 2 (in "arn:aws:lambda:`},
		{arnPrefix + name65, `~too long: 65 bytes, at most 64`},
		{arnPrefix + "f:v 1", `~lambda: qualifier "v 1": invalid character ' ' at 1`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFunction(tt.in)
			require.Error(t, err)
			require.Equal(t, Function{}, got)
			var e *Error
			require.True(t, errors.As(err, &e), "error type %T", err)
			if sub, ok := strings.CutPrefix(tt.wantErr, "~"); ok {
				require.Contains(t, err.Error(), sub)
			} else {
				require.Equal(t, tt.wantErr, err.Error())
			}
		})
	}
}

func TestErrorTruncatesLongInput(t *testing.T) {
	_, err := ParseFunction(strings.Repeat("é", 200)) // 400 bytes
	require.Error(t, err)
	require.Less(t, len(err.Error()), 400)
	require.Contains(t, err.Error(), "…")
}

func TestFunctionStringAndPathSegment(t *testing.T) {
	tests := []struct {
		f        Function
		str, seg string
	}{
		{Function{Name: "f"}, "f", "f"},
		{Function{Name: "f", Qualifier: "$LATEST"}, "f:$LATEST", "f%3A%24LATEST"},
		{Function{Name: "f", AccountID: acct}, "123456789012:function:f", "123456789012%3Afunction%3Af"},
		{Function{Name: "f.g", AccountID: acct, Qualifier: "1"}, "123456789012:function:f.g:1", "123456789012%3Afunction%3Af.g%3A1"},
		{Function{Name: "f", Qualifier: "prod", Region: "us-east-1", AccountID: acct, Partition: "aws"},
			"arn:aws:lambda:us-east-1:123456789012:function:f:prod",
			"arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af%3Aprod"},
		// A hand-built Function with only a region is still addressed by name.
		{Function{Name: "f", Region: "eu-west-1"}, "f", "f"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.str, tt.f.String())
		require.Equal(t, tt.seg, tt.f.PathSegment())
	}
	f := Function{Name: "f", Qualifier: "prod", AccountID: acct}
	require.Equal(t, Function{Name: "f", AccountID: acct}, f.Unqualified())
}

func TestAppendEscapedEveryByte(t *testing.T) {
	// The unreserved set of the SigV4 documentation and of smithy-go
	// httpbinding.EscapePath: A-Z a-z 0-9 - . _ ~.
	const unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
	const hexdigits = "0123456789ABCDEF"
	for c := 0; c < 256; c++ {
		got := string(appendEscaped(nil, string([]byte{byte(c)})))
		if strings.IndexByte(unreserved, byte(c)) >= 0 {
			require.Equal(t, string([]byte{byte(c)}), got)
		} else {
			require.Equal(t, "%"+string(hexdigits[c>>4])+string(hexdigits[c&15]), got)
		}
	}
	require.Equal(t, "%3A%24%2F%20%25", string(appendEscaped(nil, ":$/ %")))
}
