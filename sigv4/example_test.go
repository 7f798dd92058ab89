package sigv4_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/awsv4/awsv4/sigv4"
	"github.com/awsv4/awsv4/sigv4/credentials"
)

// The outputs below are the official AWS test suite's expected values
// (aws-c-auth, case get-vanilla), not values produced by this package.

// Sign a request with the low-level API: plain fields in, header values
// out. Reusing res makes later signatures allocation-free.
func Example() {
	creds, err := credentials.NewStatic("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")
	if err != nil {
		log.Fatal(err)
	}
	signer, err := sigv4.New("us-east-1", "service", creds, nil)
	if err != nil {
		log.Fatal(err)
	}
	req := sigv4.Request{
		Method:  "GET",
		Path:    "/",
		Headers: []sigv4.Header{{Name: "Host", Value: "example.amazonaws.com"}},
	}
	var res sigv4.Result
	when := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	if err := signer.Sign(context.Background(), &res, &req, when); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("X-Amz-Date: %s\n", res.Date())
	fmt.Printf("Authorization: %s\n", res.Authorization())
	// Output:
	// X-Amz-Date: 20150830T123600Z
	// Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31
}

// Presign the same request: the signature goes into the query string.
func ExampleSigner_Presign() {
	creds, _ := credentials.NewStatic("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")
	signer, _ := sigv4.New("us-east-1", "service", creds, nil)
	req := sigv4.Request{Method: "GET", Path: "/", Headers: []sigv4.Header{{Name: "Host", Value: "example.amazonaws.com"}}}
	var res sigv4.Result
	when := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	if err := signer.Presign(context.Background(), &res, &req, when, time.Hour); err != nil {
		log.Fatal(err)
	}
	for _, p := range strings.Split(string(res.Query()), "&") {
		fmt.Println(p)
	}
	// Output:
	// X-Amz-Algorithm=AWS4-HMAC-SHA256
	// X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request
	// X-Amz-Date=20150830T123600Z
	// X-Amz-Expires=3600
	// X-Amz-SignedHeaders=host
	// X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d
}

// Sign an *http.Request in place, here a Lambda Invoke call. The body's
// hash is part of the signature: Lambda refuses UNSIGNED-PAYLOAD.
func ExampleSigner_SignHTTP() {
	creds, _ := credentials.NewStatic("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")
	signer, _ := sigv4.New("eu-west-1", "lambda", creds, nil)
	body := `{"hello":"world"}`
	r, _ := http.NewRequest("POST", "https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/my-function/invocations", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if err := signer.SignHTTP(context.Background(), r, sigv4.HashBytes([]byte(body)), time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)); err != nil {
		log.Fatal(err)
	}
	auth := r.Header.Get("Authorization")
	fmt.Println(r.Header.Get("X-Amz-Date"))
	fmt.Println(auth[:strings.Index(auth, ", Signature=")])
	// Output:
	// 20261126T120000Z
	// AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/eu-west-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date
}

// Sign every request of an HTTP client, credentials from the SDKs'
// default chain (environment, then ~/.aws files), refreshed in the
// background.
func ExampleTransport() {
	signer, err := sigv4.New("us-east-1", "lambda", credentials.NewCache(credentials.DefaultChain()), nil)
	if err != nil {
		log.Fatal(err)
	}
	client := &http.Client{Transport: &sigv4.Transport{Signer: signer}}
	_ = client // client.Post("https://<id>.lambda-url.us-east-1.on.aws/path?x=1", "application/json", body)
}
