package lambda

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseFunctionURLHost(t *testing.T) {
	const id = "abcdefghijklmnopqrstuvwxyz012345" // 32 characters, the length of real url-ids
	tests := []struct {
		host       string
		id, region string
	}{
		{id + ".lambda-url.us-east-1.on.aws", id, "us-east-1"},
		{"abcdefg.lambda-url.us-east-1.on.aws", "abcdefg", "us-east-1"}, // the documentation's example
		{strings.ToUpper(id) + ".LAMBDA-URL.US-EAST-1.ON.AWS", id, "us-east-1"},
		{"AbCdEfG.Lambda-Url.Eu-West-1.On.Aws", "abcdefg", "eu-west-1"},
		{id + ".lambda-url.eu-west-1.on.aws:443", id, "eu-west-1"},
		{id + ".lambda-url.eu-west-1.on.aws:8443", id, "eu-west-1"},
		{id + ".lambda-url.eu-west-1.on.aws:1", id, "eu-west-1"},
		{id + ".lambda-url.eu-west-1.on.aws:65535", id, "eu-west-1"},
		{id + ".lambda-url.ap-southeast-2.on.aws.", id, "ap-southeast-2"},
		{id + ".lambda-url.ap-southeast-2.on.aws.:443", id, "ap-southeast-2"},
		{id + ".lambda-url.us-gov-west-1.on.aws", id, "us-gov-west-1"},
		{"0.lambda-url.us-east-1.on.aws", "0", "us-east-1"},
		{strings.Repeat("a", 63) + ".lambda-url.us-east-1.on.aws", strings.Repeat("a", 63), "us-east-1"},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			got, err := ParseFunctionURLHost(tt.host)
			require.NoError(t, err)
			require.Equal(t, FunctionURL{ID: tt.id, Region: tt.region}, got)
			require.Equal(t, tt.id+".lambda-url."+tt.region+".on.aws", got.Host())
		})
	}
}

func TestParseFunctionURLHostRejects(t *testing.T) {
	const id = "abcdefghijklmnopqrstuvwxyz012345"
	tests := []struct {
		host    string
		wantErr string
	}{
		{"", `lambda: function URL host "": empty`},
		{"lambda.us-east-1.amazonaws.com", `not <url-id>.lambda-url.<region>.on.aws`},
		{"example.com", `not <url-id>`},
		{"on.aws", `not <url-id>`},
		{"lambda-url.us-east-1.on.aws", `not <url-id>`},
		{".lambda-url.us-east-1.on.aws", `url-id must be 1..63 characters`},
		{id + ".lambda-url.on.aws", `not <url-id>`},
		{id + ".lambda-url..on.aws", `region "": empty`},
		{id + ".lambda-url.us-east-1.on.aws.evil.example", `not <url-id>`},
		{id + ".lambda-url.us-east-1.on.aws.evil.example:443", `not <url-id>`},
		{id + ".lambda-url.us-east-1.amazonaws.com", `not <url-id>`},
		{id + ".lambda-url.us-east-1.on.aws..", `not <url-id>`},
		{id + ".lambda-url.us-east-1.on.aws ", `invalid character ' '`},
		{" " + id + ".lambda-url.us-east-1.on.aws", `invalid character ' '`},
		{id + ".lambda-url.us-east-1.on.aws\x00", `invalid character '\x00'`},
		{"évil.lambda-url.us-east-1.on.aws", `invalid character 'é' at 0`},
		{"ab_c.lambda-url.us-east-1.on.aws", `url-id: invalid character '_' at 2`},
		{"ab-c.lambda-url.us-east-1.on.aws", `url-id: invalid character '-' at 2`},
		{"a.b.lambda-url.us-east-1.on.aws", `url-id: invalid character '.' at 1`},
		{strings.Repeat("a", 64) + ".lambda-url.us-east-1.on.aws", `url-id must be 1..63 characters`},
		{id + ".lambda-url.us_east_1.on.aws", `region "us_east_1"`},
		{id + ".lambda-url.useast1.on.aws", `region "useast1"`},
		{id + ".lambda-url.x.lambda-url.us-east-1.on.aws", `region "x.lambda-url.us-east-1"`},
		// Ports.
		{id + ".lambda-url.us-east-1.on.aws:", `empty port`},
		{id + ".lambda-url.us-east-1.on.aws:0", `port out of range`},
		{id + ".lambda-url.us-east-1.on.aws:65536", `port out of range`},
		{id + ".lambda-url.us-east-1.on.aws:123456", `port out of range`},
		{id + ".lambda-url.us-east-1.on.aws:https", `port: invalid character 'h' at 0`},
		{id + ".lambda-url.us-east-1.on.aws:-1", `port: invalid character '-' at 0`},
		{id + ".lambda-url.us-east-1.on.aws:443:443", `IPv6 address`},
		// IP addresses and IPv6-looking junk.
		{"127.0.0.1", `not <url-id>`},
		{"127.0.0.1:8080", `not <url-id>`},
		{"[::1]", `IP literal`},
		{"[::1]:443", `IP literal`},
		{"[2001:db8::1].lambda-url.us-east-1.on.aws", `IP literal`},
		{"::1", `IPv6 address`},
		{"2001:db8::1", `IPv6 address`},
		{"fe80::1%eth0", `IPv6 address`},
		{":443", `not <url-id>`},
		{":", `empty port`},
		{strings.Repeat("a", 301), `too long`},
		{strings.Repeat("a", 257) + ".on.aws", `too long`},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			got, err := ParseFunctionURLHost(tt.host)
			require.Error(t, err)
			require.Equal(t, FunctionURL{}, got)
			require.True(t, errors.Is(err, ErrNotFunctionURL), "%v", err)
			require.Contains(t, err.Error(), tt.wantErr)
			require.True(t, strings.HasPrefix(err.Error(), `lambda: function URL host `), err.Error())
		})
	}
}
