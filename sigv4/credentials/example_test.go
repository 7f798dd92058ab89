package credentials_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/awsv4/awsv4/sigv4/credentials"
)

func ExampleNewStatic() {
	p, err := credentials.NewStatic("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := p.Retrieve(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c) // the secret is never printed
	fmt.Printf("%+v\n", c)

	_, err = credentials.NewStatic("AKIDEXAMPLE", "", "")
	fmt.Println(err)
	// Output:
	// {AccessKeyID:AKIDEXAMPLE SecretAccessKey:<redacted> SessionToken: Source:static CanExpire:false}
	// {AccessKeyID:AKIDEXAMPLE SecretAccessKey:<redacted> SessionToken: Source:static CanExpire:false}
	// credentials: static: secret access key is empty
}

func ExampleNewSharedFile() {
	dir, err := os.MkdirTemp("", "awsv4-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	credsFile := filepath.Join(dir, "credentials")
	err = os.WriteFile(credsFile, []byte(`# written by a rotation job
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = secretDefault

[reports]
aws_access_key_id     = AKIDREPORTS   ; inline comment
aws_secret_access_key = secretReports
aws_session_token     = tokenReports
`), 0o600)
	if err != nil {
		fmt.Println(err)
		return
	}

	p := credentials.NewSharedFile(
		credentials.WithCredentialsFile(credsFile),
		credentials.WithConfigFile(filepath.Join(dir, "config")), // absent: fine
		credentials.WithProfile("reports"),
	)
	c, err := p.Retrieve(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.AccessKeyID, c.SessionToken != "", c.CanExpire)
	// Output:
	// AKIDREPORTS true true
}

func ExampleNewCache() {
	calls := 0
	slow := credentials.ProviderFunc(func(ctx context.Context) (credentials.Credentials, error) {
		calls++ // e.g. a network round trip
		return credentials.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret", Source: "example"}, nil
	})

	cache := credentials.NewCache(slow)
	for range 3 {
		c, err := cache.Retrieve(context.Background()) // lock-free, allocation-free once cached
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(c.AccessKeyID)
	}
	fmt.Println("provider calls:", calls)
	// Output:
	// AKIDEXAMPLE
	// AKIDEXAMPLE
	// AKIDEXAMPLE
	// provider calls: 1
}

func ExampleDefaultChain() {
	// Environment first, then ~/.aws/credentials and ~/.aws/config;
	// cache it for the hot path.
	provider := credentials.NewCache(credentials.DefaultChain())
	_ = provider
}
