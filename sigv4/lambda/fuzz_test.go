package lambda

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var functionSeeds = []string{
	"", "my-function", "my-function:v1", "my-function:$LATEST", "my-function:$LATEST.PUBLISHED",
	"123456789012:function:my-function", "123456789012:function:my-function:7",
	"arn:aws:lambda:us-west-2:123456789012:function:my-function",
	"arn:aws:lambda:us-east-1:123456789012:function:f:prod",
	"arn:aws-cn:lambda:cn-north-1:123456789012:function:f",
	"arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f:$LATEST",
	"arn:aws-eusc:lambda:eusc-de-east-1:123456789012:function:f",
	"arn:aws:lambda", "arn:aws:lambda:us-west-2:123456789012:function:",
	"arn::lambda:us-west-2:123456789012:function:f", "arn:v1", "x y", "..", ".", "a:b:c:d:e",
	"f\xff", "fünf", ":", "::", ":::::::::", strings.Repeat("n", 65), strings.Repeat("a", 257),
}

// FuzzParseFunction checks that ParseFunction never panics, that its errors
// are *Error with a message, and that every accepted input round-trips and
// yields a well-formed Invoke path.
func FuzzParseFunction(f *testing.F) {
	for _, s := range functionSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fn, err := ParseFunction(s)
		if err != nil {
			var e *Error
			require.True(t, errors.As(err, &e), "%T", err)
			require.True(t, strings.HasPrefix(err.Error(), "lambda: "), err.Error())
			require.Equal(t, Function{}, fn)
			_, _, perr := InvokePath(s, "")
			require.Error(t, perr)
			return
		}
		require.Equal(t, s, fn.String())
		again, err := ParseFunction(fn.String())
		require.NoError(t, err)
		require.Equal(t, fn, again)

		require.NotEmpty(t, fn.Name)
		require.LessOrEqual(t, len(fn.Name), MaxNameLen)
		require.LessOrEqual(t, len(fn.Qualifier), MaxQualifierLen)
		require.LessOrEqual(t, len(s), MaxFunctionLen)

		path, q, err := InvokePath(s, "")
		require.NoError(t, err)
		require.Empty(t, q)
		require.Equal(t, "/2015-03-31/functions/"+fn.PathSegment()+"/invocations", path)
		seg := fn.PathSegment()
		require.NotEqual(t, ".", seg)
		require.NotEqual(t, "..", seg)
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
				c == '-' || c == '_' || c == '.' || c == '~' || c == '%'
			require.True(t, ok, "byte %q in path segment %q", c, seg)
		}

		if fn.Qualifier != "" {
			// The same qualifier given separately is accepted and not repeated.
			p2, q2, err := InvokePath(s, fn.Qualifier)
			require.NoError(t, err)
			require.Equal(t, path, p2)
			require.Empty(t, q2)
		}
		if fn.Region != "" {
			host, err := InvokeHost(fn.Region)
			require.NoError(t, err)
			require.True(t, strings.HasPrefix(host, "lambda."+fn.Region+"."), host)
		}
	})
}

// FuzzFunctionURLHost checks that ParseFunctionURLHost never panics,
// that every error wraps ErrNotFunctionURL, and that accepted hosts
// round-trip through Host.
func FuzzFunctionURLHost(f *testing.F) {
	for _, s := range []string{
		"", "abcdefg.lambda-url.us-east-1.on.aws", "ABC.LAMBDA-URL.US-EAST-1.ON.AWS.:443",
		"[::1]:443", "::1", "x.lambda-url.us-east-1.on.aws:99999", "lambda.us-east-1.amazonaws.com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseFunctionURLHost(s)
		if err != nil {
			require.True(t, errors.Is(err, ErrNotFunctionURL), "%v", err)
			require.Equal(t, FunctionURL{}, u)
			return
		}
		require.NotEmpty(t, u.ID)
		require.Equal(t, strings.ToLower(u.ID), u.ID)
		require.Equal(t, strings.ToLower(u.Region), u.Region)
		again, err := ParseFunctionURLHost(u.Host())
		require.NoError(t, err)
		require.Equal(t, u, again)
		_, err = InvokeHost(u.Region)
		require.NoError(t, err)
	})
}
