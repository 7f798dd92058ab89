// Command awsv4-conformance checks the awsv4 signer against signing test
// cases in the aws-c-auth layout (one folder per case holding
// context.json, request.txt and the expected header-*/query-* files).
//
//	awsv4-conformance DIR...
//
// It prints each failure with the first differing line and ends with
// "N passed, N failed" (", N skipped" when cases lack expected files).
// The exit status is 1 when any check failed.
package main

import (
	"fmt"
	"os"

	"github.com/awsv4/awsv4/sigv4/conformance"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: awsv4-conformance DIR...   (DIR holds one folder per case)")
		os.Exit(2)
	}
	var total conformance.Report
	for _, dir := range os.Args[1:] {
		rep, err := conformance.Run(dir, os.Stdout)
		if err != nil {
			fmt.Fprintln(os.Stderr, "awsv4-conformance:", err)
			os.Exit(2)
		}
		total.Passed += rep.Passed
		total.Failed += rep.Failed
		total.Skipped += rep.Skipped
	}
	fmt.Println(total.Summary())
	if total.Failed > 0 {
		os.Exit(1)
	}
}
