package lambda

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestInvokePath(t *testing.T) {
	const (
		pre = "/2015-03-31/functions/"
		suf = "/invocations"
	)
	tests := []struct {
		fn, qual      string
		path, rawQury string
	}{
		{"my-function", "", pre + "my-function" + suf, ""},
		{"my-function", "prod", pre + "my-function" + suf, "Qualifier=prod"},
		{"my-function", "7", pre + "my-function" + suf, "Qualifier=7"},
		{"my-function", "$LATEST", pre + "my-function" + suf, "Qualifier=%24LATEST"},
		{"my-function", "$LATEST.PUBLISHED", pre + "my-function" + suf, "Qualifier=%24LATEST.PUBLISHED"},
		// The Qualifier parameter's pattern allows '$' anywhere ([a-zA-Z0-9-_$]+).
		{"my-function", "a$b", pre + "my-function" + suf, "Qualifier=a%24b"},
		{"my-function", qual128, pre + "my-function" + suf, "Qualifier=" + qual128},
		{"my-function:prod", "", pre + "my-function%3Aprod" + suf, ""},
		{"my-function:$LATEST", "", pre + "my-function%3A%24LATEST" + suf, ""},
		// Same qualifier in both places: not repeated in the query.
		{"my-function:prod", "prod", pre + "my-function%3Aprod" + suf, ""},
		{"my-function:$LATEST", "$LATEST", pre + "my-function%3A%24LATEST" + suf, ""},
		{"us-east-1.edge-fn", "", pre + "us-east-1.edge-fn" + suf, ""},
		{"123456789012:function:f", "7", pre + "123456789012%3Afunction%3Af" + suf, "Qualifier=7"},
		// The example of the task, escaped as aws-sdk-go-v2 puts it on the wire.
		{"arn:aws:lambda:us-east-1:123456789012:function:f:prod", "",
			pre + "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af%3Aprod" + suf, ""},
		{"arn:aws:lambda:us-east-1:123456789012:function:f", "prod",
			pre + "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af" + suf, "Qualifier=prod"},
		{"arn:aws-cn:lambda:cn-north-1:123456789012:function:f", "",
			pre + "arn%3Aaws-cn%3Alambda%3Acn-north-1%3A123456789012%3Afunction%3Af" + suf, ""},
	}
	for _, tt := range tests {
		t.Run(tt.fn+"?"+tt.qual, func(t *testing.T) {
			path, q, err := InvokePath(tt.fn, tt.qual)
			require.NoError(t, err)
			require.Equal(t, tt.path, path)
			require.Equal(t, tt.rawQury, q)
		})
	}
}

func TestInvokePathErrors(t *testing.T) {
	tests := []struct {
		fn, qual string
		wantErr  string
		conflict bool
	}{
		{"my-function:prod", "dev", `lambda: qualifier "dev": differs from "prod" in function "my-function:prod"`, true},
		{"my-function:1", "$LATEST", `lambda: qualifier "$LATEST": differs from "1"`, true},
		{"arn:aws:lambda:us-east-1:123456789012:function:f:prod", "PROD", `differs from "prod"`, true},
		{"my-function", "a b", `lambda: qualifier "a b": invalid character ' ' at 1`, false},
		{"my-function", "v1.0", `lambda: qualifier "v1.0": invalid character '.' at 2`, false},
		{"my-function", "$LATEST.", `invalid character '.' at 7`, false},
		{"my-function", "a/b", `invalid character '/' at 1`, false},
		{"my-function", "a&Qualifier=b", `invalid character '&' at 1`, false},
		{"my-function", qual129, `too long: 129 bytes, at most 128`, false},
		{"bad name", "", `lambda: function name "bad name": invalid character ' ' at 3`, false},
		{"", "prod", `lambda: function "": empty`, false},
		{"arn:aws:lambda", "", `ARN has 3 ':'-separated parts`, false},
	}
	for _, tt := range tests {
		t.Run(tt.fn+"?"+tt.qual, func(t *testing.T) {
			path, q, err := InvokePath(tt.fn, tt.qual)
			require.Error(t, err)
			require.Empty(t, path)
			require.Empty(t, q)
			require.Contains(t, err.Error(), tt.wantErr)
			require.Equal(t, tt.conflict, errors.Is(err, ErrQualifierConflict))
			var e *Error
			require.True(t, errors.As(err, &e))
		})
	}
}

func TestInvokeHost(t *testing.T) {
	// dnsSuffix per partition: aws-sdk-go-v2 internal/endpoints/awsrulesfn/partitions.json.
	tests := []struct{ region, host string }{
		{"us-east-1", "lambda.us-east-1.amazonaws.com"},
		{"us-west-2", "lambda.us-west-2.amazonaws.com"},
		{"eu-central-1", "lambda.eu-central-1.amazonaws.com"},
		{"ap-southeast-7", "lambda.ap-southeast-7.amazonaws.com"},
		{"il-central-1", "lambda.il-central-1.amazonaws.com"},
		{"mx-central-1", "lambda.mx-central-1.amazonaws.com"},
		{"cn-north-1", "lambda.cn-north-1.amazonaws.com.cn"},
		{"cn-northwest-1", "lambda.cn-northwest-1.amazonaws.com.cn"},
		{"us-gov-west-1", "lambda.us-gov-west-1.amazonaws.com"},
		{"us-gov-east-1", "lambda.us-gov-east-1.amazonaws.com"},
		{"us-iso-east-1", "lambda.us-iso-east-1.c2s.ic.gov"},
		{"us-isob-east-1", "lambda.us-isob-east-1.sc2s.sgov.gov"},
		{"eu-isoe-west-1", "lambda.eu-isoe-west-1.cloud.adc-e.uk"},
		{"us-isof-south-1", "lambda.us-isof-south-1.csp.hci.ic.gov"},
		{"eusc-de-east-1", "lambda.eusc-de-east-1.amazonaws.eu"},
		// Unknown to every regex: the SDKs fall back to partition aws.
		{"xx-north-1", "lambda.xx-north-1.amazonaws.com"},
		{"cn-north-east-1", "lambda.cn-north-east-1.amazonaws.com"},
		{"us-a-b-c-1", "lambda.us-a-b-c-1.amazonaws.com"},
	}
	for _, tt := range tests {
		got, err := InvokeHost(tt.region)
		require.NoError(t, err, tt.region)
		require.Equal(t, tt.host, got)
	}
	for _, bad := range []string{"", "US-EAST-1", "us-east", "useast1", "u-east-1", "us--east-1",
		"us-east-1-", "-us-east-1", "us-east-1.evil.example", "us-east-1/", "us-east-1:443", "us-east-1 ",
		"us-east-x", strings.Repeat("a", 61) + "-b-1"} {
		_, err := InvokeHost(bad)
		require.Error(t, err, bad)
		require.True(t, strings.HasPrefix(err.Error(), "lambda: region "), err.Error())
	}
}

func TestPartitionOf(t *testing.T) {
	tests := []struct {
		region string
		id     string
		known  bool
	}{
		{"us-east-1", "aws", true},
		{"af-south-1", "aws", true},
		{"ca-west-1", "aws", true},
		{"sa-east-1", "aws", true},
		{"me-central-1", "aws", true},
		{"cn-north-1", "aws-cn", true},
		{"us-gov-west-1", "aws-us-gov", true},
		{"us-iso-west-1", "aws-iso", true},
		{"us-isob-west-1", "aws-iso-b", true},
		{"eu-isoe-west-1", "aws-iso-e", true},
		{"us-isof-east-1", "aws-iso-f", true},
		{"eusc-de-east-1", "aws-eusc", true},
		{"eusc-fr-east-1", "aws", false}, // ^eusc\-(de)\- only
		{"xx-east-1", "aws", false},
		{"us-iso-east-x-1", "aws", false},
		{"a-b-c-d-e-1", "aws", false},
	}
	for _, tt := range tests {
		p, known := partitionOf(tt.region)
		require.Equal(t, tt.id, p.id, tt.region)
		require.Equal(t, tt.known, known, tt.region)
	}
}

func TestRegionOf(t *testing.T) {
	f, err := ParseFunction("arn:aws:lambda:eu-west-1:123456789012:function:f")
	require.NoError(t, err)
	require.Equal(t, "eu-west-1", RegionOf(f, "us-east-1"))

	f, err = ParseFunction("123456789012:function:f")
	require.NoError(t, err)
	require.Equal(t, "us-east-1", RegionOf(f, "us-east-1"))

	f, err = ParseFunction("f:prod")
	require.NoError(t, err)
	require.Equal(t, "ap-south-1", RegionOf(f, "ap-south-1"))
	require.Equal(t, "", RegionOf(f, ""))
}

func TestInvocationHeaders(t *testing.T) {
	// Header names and enum values from the Invoke request/response members.
	require.Equal(t, "X-Amz-Invocation-Type", HeaderInvocationType)
	require.Equal(t, "X-Amz-Log-Type", HeaderLogType)
	require.Equal(t, "X-Amz-Client-Context", HeaderClientContext)
	require.Equal(t, "X-Amz-Function-Error", HeaderFunctionError)
	require.Equal(t, "X-Amz-Log-Result", HeaderLogResult)
	require.Equal(t, "X-Amz-Executed-Version", HeaderExecutedVersion)
	require.Equal(t, "lambda", Service)

	for _, s := range []string{"RequestResponse", "Event", "DryRun"} {
		require.True(t, ValidInvocationType(s), s)
	}
	for _, s := range []string{"", "event", "EVENT", "requestresponse", "Dryrun", "Event ", " Event", "Async", "RequestResponse\x00"} {
		require.False(t, ValidInvocationType(s), s)
	}
	require.True(t, ValidLogType("None"))
	require.True(t, ValidLogType("Tail"))
	require.False(t, ValidLogType("tail"))
	require.False(t, ValidLogType(""))
}
