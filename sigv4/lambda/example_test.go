package lambda_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/awsv4/awsv4/sigv4/lambda"
)

func ExampleInvokePath() {
	for _, c := range []struct{ function, qualifier string }{
		{"my-function", ""},      // a name
		{"my-function", "prod"},  // an alias given apart
		{"my-function:prod", ""}, // an alias in the name
		{"arn:aws:lambda:us-east-1:123456789012:function:f:prod", ""}, // full ARN with qualifier
		{"arn:aws:lambda:us-east-1:123456789012:function:f", "$LATEST"},
	} {
		path, rawQuery, err := lambda.InvokePath(c.function, c.qualifier)
		if err != nil {
			fmt.Println(err)
			continue
		}
		if rawQuery != "" {
			path += "?" + rawQuery
		}
		fmt.Println(lambda.InvokeMethod, path)
	}
	_, _, err := lambda.InvokePath("my-function:prod", "dev")
	fmt.Println(errors.Is(err, lambda.ErrQualifierConflict), err)
	// Output:
	// POST /2015-03-31/functions/my-function/invocations
	// POST /2015-03-31/functions/my-function/invocations?Qualifier=prod
	// POST /2015-03-31/functions/my-function%3Aprod/invocations
	// POST /2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af%3Aprod/invocations
	// POST /2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af/invocations?Qualifier=%24LATEST
	// true lambda: qualifier "dev": differs from "prod" in function "my-function:prod"
}

// sigv4CanonicalURI is the canonical URI step of SigV4 for every service but
// S3, written here from the AWS documentation ("URI-encode each path segment
// twice" for non-S3 services; each byte outside A-Z a-z 0-9 - _ . ~ becomes
// %XX) so that the example does not depend on package sigv4: the path as sent
// is already encoded once, and the signer encodes it again.
func sigv4CanonicalURI(escapedPath string) string {
	var b strings.Builder
	for i := 0; i < len(escapedPath); i++ {
		c := escapedPath[i]
		if c == '/' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// A SigV4 signer for service "lambda" double-encodes the Invoke path: the
// canonical request holds %253A where the wire path holds %3A.
func ExampleInvokePath_canonicalRequest() {
	fn, _ := lambda.ParseFunction("arn:aws:lambda:us-east-1:123456789012:function:f:prod")
	path, _, _ := lambda.InvokePath(fn.String(), "")
	host, _ := lambda.InvokeHost(lambda.RegionOf(fn, "eu-west-1"))
	fmt.Println("host:     ", host)
	fmt.Println("wire:     ", path)
	fmt.Println("canonical:", sigv4CanonicalURI(path))
	// Output:
	// host:      lambda.us-east-1.amazonaws.com
	// wire:      /2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af%3Aprod/invocations
	// canonical: /2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A123456789012%253Afunction%253Af%253Aprod/invocations
}

func ExampleParseFunction() {
	for _, s := range []string{
		"my-function:v1",
		"123456789012:function:my-function",
		"arn:aws-cn:lambda:cn-north-1:123456789012:function:my-function:$LATEST",
		"x y",
	} {
		f, err := lambda.ParseFunction(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("name=%s qualifier=%s account=%s region=%s partition=%s\n",
			f.Name, f.Qualifier, f.AccountID, f.Region, f.Partition)
	}
	// Output:
	// name=my-function qualifier=v1 account= region= partition=
	// name=my-function qualifier= account=123456789012 region= partition=
	// name=my-function qualifier=$LATEST account=123456789012 region=cn-north-1 partition=aws-cn
	// lambda: function name "x y": invalid character ' ' at 1
}

func ExampleParseFunctionURLHost() {
	u, err := lambda.ParseFunctionURLHost("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345.lambda-url.eu-west-1.on.aws:443")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("id:     ", u.ID)
	fmt.Println("region: ", u.Region)
	fmt.Println("service:", lambda.Service)
	fmt.Println("host:   ", u.Host())

	_, err = lambda.ParseFunctionURLHost("lambda.eu-west-1.amazonaws.com")
	fmt.Println(errors.Is(err, lambda.ErrNotFunctionURL))
	// Output:
	// id:      abcdefghijklmnopqrstuvwxyz012345
	// region:  eu-west-1
	// service: lambda
	// host:    abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws
	// true
}
