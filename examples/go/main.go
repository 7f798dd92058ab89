// Command go-example signs a Lambda Invoke request and presigns an S3 GET
// with the awsv4 Go package, and prints what would be sent.
//
//	go run ./examples/go
//
// Credentials come from the SDKs' default chain (AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY, or ~/.aws); without any, the AWS documentation's
// example keys are used so that the program always runs.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/awsv4/awsv4/sigv4"
	"github.com/awsv4/awsv4/sigv4/credentials"
	"github.com/awsv4/awsv4/sigv4/lambda"
)

func main() {
	ctx := context.Background()
	creds := provider(ctx)

	// 1. Lambda Invoke: POST /2015-03-31/functions/<name>/invocations.
	path, query, err := lambda.InvokePath("arn:aws:lambda:eu-west-1:123456789012:function:my-function", "live")
	if err != nil {
		log.Fatal(err)
	}
	host, _ := lambda.InvokeHost("eu-west-1")
	body := `{"hello":"world"}`
	req, _ := http.NewRequest("POST", "https://"+host+path+"?"+query, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(lambda.HeaderInvocationType, lambda.InvocationRequestResponse)

	signer, err := sigv4.New("eu-west-1", lambda.Service, creds, nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := signer.SignHTTP(ctx, req, sigv4.HashBytes([]byte(body)), time.Now()); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s %s\n", req.Method, req.URL.RequestURI())
	for _, h := range []string{"Host", "Content-Type", "X-Amz-Invocation-Type", "X-Amz-Date", "X-Amz-Security-Token", "Authorization"} {
		if v := req.Header.Get(h); v != "" || h == "Host" {
			if h == "Host" {
				v = req.URL.Host
			}
			fmt.Printf("%s: %s\n", h, v)
		}
	}

	// 2. A presigned S3 GET, valid for one hour, for a key with special characters.
	s3, err := sigv4.New("us-east-1", "s3", creds, nil)
	if err != nil {
		log.Fatal(err)
	}
	get, _ := http.NewRequest("GET", "https://examplebucket.s3.us-east-1.amazonaws.com/reports/2026 Q4+final (v2).pdf", nil)
	url, err := s3.PresignHTTP(ctx, get, sigv4.UnsignedPayload, time.Now(), time.Hour)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\npresigned S3 URL:\n%s\n", url)
}

func provider(ctx context.Context) credentials.Provider {
	chain := credentials.NewCache(credentials.DefaultChain())
	if _, err := chain.Retrieve(ctx); err == nil {
		return chain
	} else if !errors.Is(err, credentials.ErrNoCredentials) {
		log.Fatal(err)
	}
	fmt.Fprintln(os.Stderr, "no AWS credentials found: using the AWS documentation's example keys")
	p, _ := credentials.NewStatic("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")
	return p
}
