// Package lambda addresses AWS Lambda for a SigV4 signer: it turns function
// names, aliases and ARNs into Invoke request paths, finds the endpoint host
// and region, and recognizes function URL hosts. It signs nothing itself and
// does no I/O; the signer is package sigv4.
//
// # Two ways to call a function
//
// The Invoke API. POST https://lambda.<region>.amazonaws.com/2015-03-31/functions/<FunctionName>/invocations,
// signed for service "lambda" in <region>. FunctionName is a name, a name
// with a version or alias, a partial ARN or a full ARN ([ParseFunction]); it
// is one path segment, so its ':' travel as %3A ([InvokePath]). A version or
// alias may also go into the query as ?Qualifier=. The body is the event
// (JSON) handed to the function; the response body is what the function
// returned. Headers choose the mode: [HeaderInvocationType] (RequestResponse,
// the default, waits for the result; Event queues it and returns 202; DryRun
// only checks parameters and permissions), [HeaderLogType] and
// [HeaderClientContext]. The caller needs lambda:InvokeFunction. A full ARN
// names its region; the request must go to that region's endpoint and be
// signed for it ([RegionOf], [InvokeHost]).
//
// Function URLs. https://<url-id>.lambda-url.<region>.on.aws/<any path>?<any query>,
// a dedicated HTTPS endpoint of one function (or alias) created in its
// configuration. The request is passed to the function as an HTTP event and
// the function's answer becomes the HTTP response, so any method, path and
// query can be used. With auth type AWS_IAM every request must be signed with
// SigV4 for service "lambda" ([Service]) in the region of the host
// ([ParseFunctionURLHost]); the caller needs lambda:InvokeFunctionUrl. With
// auth type NONE no signature is needed.
//
// # Bodies must be hashed
//
// Lambda does not accept UNSIGNED-PAYLOAD. The CloudFront guide
// ("Restrict access to an AWS Lambda function URL origin") says of function
// URLs: "If you use PUT or POST methods with your Lambda function URL, your
// users must include the payload hash value in the x-amz-content-sha256
// header ... Lambda doesn't support unsigned payloads." For the Invoke API
// the SDKs always hash the body (aws-sdk-go-v2 service/lambda adds
// v4.AddComputePayloadSHA256Middleware to Invoke). So a signer in front of
// Lambda hashes the whole body (the empty body hashes to
// e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855) and, for
// function URLs, sends the hash in x-amz-content-sha256 as well.
//
// # Paths are encoded twice
//
// The path sent holds the FunctionName percent-encoded once ("%3A"). SigV4
// for every service but S3 URI-encodes the path again for the canonical
// request, so the canonical URI holds "%253A". A signer that uses the S3 rule
// (encode once) for Lambda produces a signature Lambda rejects. The same
// holds for a function URL path with reserved characters.
package lambda
