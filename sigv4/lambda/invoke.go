package lambda

import "strings"

// Service is the SigV4 signing name for both ways of calling Lambda: the
// Invoke API (service model metadata: signingName "lambda", endpointPrefix
// "lambda") and function URLs.
const Service = "lambda"

// Invoke is POST /2015-03-31/functions/{FunctionName}/invocations with an
// optional ?Qualifier= (service model, operation Invoke: requestUri
// "/2015-03-31/functions/{FunctionName}/invocations"; member Qualifier has
// location "querystring", locationName "Qualifier").
const (
	InvokeMethod     = "POST"
	invokePathPrefix = "/2015-03-31/functions/"
	invokePathSuffix = "/invocations"
)

// Request and response headers of Invoke (service model, InvocationRequest
// and InvocationResponse members with location "header").
const (
	HeaderInvocationType  = "X-Amz-Invocation-Type"  // InvocationType: RequestResponse (default), Event, DryRun
	HeaderLogType         = "X-Amz-Log-Type"         // LogType: None, Tail
	HeaderClientContext   = "X-Amz-Client-Context"   // up to 3,583 bytes of base64-encoded JSON
	HeaderFunctionError   = "X-Amz-Function-Error"   // response: set when the function failed
	HeaderLogResult       = "X-Amz-Log-Result"       // response: last 4 KB of the log, base64, with LogType Tail
	HeaderExecutedVersion = "X-Amz-Executed-Version" // response: the version that ran
)

// Values of [HeaderInvocationType] (enum InvocationType). The values are
// case-sensitive. The status on success is 200 for RequestResponse, 202 for
// Event and 204 for DryRun (InvocationResponse StatusCode documentation).
const (
	InvocationRequestResponse = "RequestResponse" // synchronous; the default
	InvocationEvent           = "Event"           // asynchronous
	InvocationDryRun          = "DryRun"          // check parameters and permission only
)

// Values of [HeaderLogType] (enum LogType).
const (
	LogTypeNone = "None"
	LogTypeTail = "Tail"
)

// ValidInvocationType reports whether s is a value of the InvocationType enum:
// "RequestResponse", "Event" or "DryRun", exactly.
func ValidInvocationType(s string) bool {
	return s == InvocationRequestResponse || s == InvocationEvent || s == InvocationDryRun
}

// ValidLogType reports whether s is "None" or "Tail".
func ValidLogType(s string) bool { return s == LogTypeNone || s == LogTypeTail }

// InvokePath returns the request path and raw query of an Invoke call.
//
// function is anything [ParseFunction] accepts; it is put into the path
// percent-encoded as the AWS SDKs put the FunctionName label on the wire
// (see [Function.PathSegment]): "arn:aws:lambda:us-east-1:123456789012:function:f:prod"
// becomes "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af%3Aprod".
//
// qualifier, when not empty, is a version or alias given apart from the
// identifier, as Invoke's Qualifier parameter (1..128; "$LATEST",
// "$LATEST.PUBLISHED" or [a-zA-Z0-9-_$]); rawQuery is then
// "Qualifier=<escaped>", else "". When the identifier already carries a
// qualifier, a separate one must be equal to it (and is then not repeated in
// the query) or InvokePath fails with an error wrapping [ErrQualifierConflict]:
// the two would name different versions.
//
// The path is the escaped form to send. A SigV4 signer for service "lambda"
// (any service but S3) URI-encodes that path once more for the canonical
// request, so its canonical URI holds "%253A" where the path holds "%3A":
//
//	path sent:       /2015-03-31/functions/my-function%3Aprod/invocations
//	canonical URI:   /2015-03-31/functions/my-function%253Aprod/invocations
//
// aws-sdk-go-v2 does the same: aws/signer/v4 v4.go applies
// httpbinding.EscapePath to the already-escaped URL path unless
// DisableURIPathEscaping is set (which only S3 sets).
func InvokePath(function, qualifier string) (path, rawQuery string, err error) {
	f, err := ParseFunction(function)
	if err != nil {
		return "", "", err
	}
	if qualifier != "" {
		if err := checkQualifierParam(qualifier); err != nil {
			return "", "", err
		}
		if f.Qualifier != "" {
			if f.Qualifier != qualifier {
				return "", "", &Error{Field: "qualifier", Value: qualifier, Err: ErrQualifierConflict,
					Problem: "differs from " + quoteShort(f.Qualifier) + " in function " + quoteShort(function)}
			}
			qualifier = ""
		}
	}

	b := make([]byte, 0, len(invokePathPrefix)+3*len(function)+len(invokePathSuffix))
	b = append(b, invokePathPrefix...)
	b = appendEscaped(b, function)
	b = append(b, invokePathSuffix...)
	path = string(b)
	if qualifier != "" {
		q := make([]byte, 0, len("Qualifier=")+3*len(qualifier))
		q = append(q, "Qualifier="...)
		q = appendEscaped(q, qualifier)
		rawQuery = string(q)
	}
	return path, rawQuery, nil
}

// partition is what this package needs of an AWS partition.
type partition struct {
	id, dnsSuffix string
}

var (
	partitionAWS   = partition{"aws", "amazonaws.com"}
	partitionCN    = partition{"aws-cn", "amazonaws.com.cn"}
	partitionGov   = partition{"aws-us-gov", "amazonaws.com"}
	partitionISO   = partition{"aws-iso", "c2s.ic.gov"}
	partitionISOB  = partition{"aws-iso-b", "sc2s.sgov.gov"}
	partitionISOE  = partition{"aws-iso-e", "cloud.adc-e.uk"}
	partitionISOF  = partition{"aws-iso-f", "csp.hci.ic.gov"}
	partitionEUSC  = partition{"aws-eusc", "amazonaws.eu"}
	awsRegionHeads = [...]string{"us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"}
)

// partitionOf maps a region (already of a valid shape) to its partition by
// the regionRegex table of aws-sdk-go-v2 internal/endpoints/awsrulesfn/
// partitions.json (the same in botocore data/partitions.json):
//
//	aws        ^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$   amazonaws.com
//	aws-cn     ^cn\-\w+\-\d+$                             amazonaws.com.cn
//	aws-us-gov ^us\-gov\-\w+\-\d+$                        amazonaws.com
//	aws-iso    ^us\-iso\-\w+\-\d+$                        c2s.ic.gov
//	aws-iso-b  ^us\-isob\-\w+\-\d+$                       sc2s.sgov.gov
//	aws-iso-e  ^eu\-isoe\-\w+\-\d+$                       cloud.adc-e.uk
//	aws-iso-f  ^us\-isof\-\w+\-\d+$                       csp.hci.ic.gov
//	aws-eusc   ^eusc\-(de)\-\w+\-\d+$                     amazonaws.eu
//
// A region no regex matches falls back to "aws", as the SDKs' partition
// function does; known is false then.
func partitionOf(region string) (p partition, known bool) {
	var w [4]string
	n := 0
	for rest := region; n < len(w); n++ {
		i := strings.IndexByte(rest, '-')
		if i < 0 {
			w[n] = rest
			n++
			break
		}
		w[n] = rest[:i]
		rest = rest[i+1:]
		if n == len(w)-1 {
			return partitionAWS, false // five words or more: no regex matches
		}
	}
	switch n {
	case 3:
		if w[0] == "cn" {
			return partitionCN, true
		}
		for _, h := range awsRegionHeads {
			if w[0] == h {
				return partitionAWS, true
			}
		}
	case 4:
		switch {
		case w[0] == "us" && w[1] == "gov":
			return partitionGov, true
		case w[0] == "us" && w[1] == "iso":
			return partitionISO, true
		case w[0] == "us" && w[1] == "isob":
			return partitionISOB, true
		case w[0] == "us" && w[1] == "isof":
			return partitionISOF, true
		case w[0] == "eu" && w[1] == "isoe":
			return partitionISOE, true
		case w[0] == "eusc" && w[1] == "de":
			return partitionEUSC, true
		}
	}
	return partitionAWS, false
}

// InvokeHost returns the Invoke endpoint host for region:
// "lambda.<region>.<dnsSuffix>", the last rule of Lambda's endpoint rule set
// (https://lambda.{Region}.{PartitionResult#dnsSuffix}, botocore
// data/lambda/2015-03-31/endpoint-rule-set-1.json). So us-west-2 gives
// lambda.us-west-2.amazonaws.com and cn-north-1 gives
// lambda.cn-north-1.amazonaws.com.cn. FIPS and dual-stack endpoints are not
// covered.
func InvokeHost(region string) (string, error) {
	if err := checkRegion("region", region, ""); err != nil {
		return "", err
	}
	p, _ := partitionOf(region)
	return "lambda." + region + "." + p.dnsSuffix, nil
}

// RegionOf returns the region to send an Invoke for fn to: the ARN's region
// when fn came from a full ARN, else fallback (the signer's configured
// region). A function in another region must be invoked through that region's
// endpoint and signed for it.
func RegionOf(fn Function, fallback string) string {
	if fn.Region != "" {
		return fn.Region
	}
	return fallback
}
