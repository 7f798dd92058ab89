package lambda

import (
	"strconv"
	"strings"
)

// Limits and patterns of the Invoke operation's FunctionName, as the Lambda
// service model states them (botocore 1.43.11
// data/lambda/2015-03-31/service-2.json, shape NamespacedFunctionName, the
// FunctionName member of InvocationRequest):
//
//	min 1, max 256
//	(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?
//	(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?
//
// The limit grew over time: 140 in the first models (the FunctionName shape
// still says 140), 170 in aws-sdk-go v1.55.8 models/apis/lambda/2015-03-31/
// api-2.json, 256 now. The API reference adds, for every form: "The length
// constraint applies only to the full ARN. If you specify only the function
// name, it is limited to 64 characters in length." (API_Invoke, and the
// FunctionName doc comment in aws-sdk-go-v2 service/lambda api_op_Invoke.go.)
//
// Smithy patterns are not anchored; this package applies each part of the
// pattern to a whole colon-separated component, which is what the service
// means.
const (
	// MaxFunctionLen is the longest FunctionName (any form) Invoke accepts.
	MaxFunctionLen = 256
	// MaxNameLen is the longest function name.
	MaxNameLen = 64
	// MaxQualifierLen is the longest qualifier (version or alias). The
	// Qualifier query parameter is 1..128 (shape
	// NumericLatestPublishedOrAliasQualifier), and so is an alias name (shape
	// Alias); a qualifier inside the FunctionName gets the same limit here.
	MaxQualifierLen = 128
	// maxRegionLen: a region becomes one DNS label of the endpoint host.
	maxRegionLen = 63
)

// Qualifiers with a meaning of their own. "$LATEST" is the unpublished
// version; "$LATEST.PUBLISHED" is accepted by the current model in both the
// FunctionName and the Qualifier parameter.
const (
	QualifierLatest          = "$LATEST"
	QualifierLatestPublished = "$LATEST.PUBLISHED"
)

// Function is a Lambda function identifier as Invoke's FunctionName takes it,
// split into its parts. Only the parts present in the input are set:
//
//	my-function[:QUALIFIER]                                        Name (+Qualifier)
//	123456789012:function:my-function[:QUALIFIER]                  + AccountID   (partial ARN)
//	arn:aws:lambda:us-west-2:123456789012:function:my-function[:Q] + Partition, Region (full ARN)
//
// A Function returned by [ParseFunction] turns back into exactly its input
// with [Function.String].
type Function struct {
	Name      string // 1..64 of [a-zA-Z0-9-_.]
	Qualifier string // version or alias; "" when the identifier has none
	Region    string // full ARN only
	AccountID string // partial and full ARN
	Partition string // full ARN only: "aws", "aws-cn", "aws-us-gov", ...
}

// String returns the identifier in the form it was parsed from: a full ARN
// when Partition is set, a partial ARN when AccountID is set, else the name;
// ":"+Qualifier is appended when there is one.
func (f Function) String() string {
	return string(f.appendIdentifier(make([]byte, 0, f.identifierLen())))
}

// PathSegment returns the identifier percent-encoded the way the AWS SDKs put
// the FunctionName label into the request path: every byte outside
// A-Z a-z 0-9 - . _ ~ becomes %XX (upper-case hex), so ':' is %3A and '$'
// is %24. This is the escaped (wire) form; a SigV4 signer for service
// "lambda" encodes it once more for the canonical request (%3A → %253A).
func (f Function) PathSegment() string {
	return string(appendEscaped(make([]byte, 0, 3*f.identifierLen()), f.String()))
}

// Unqualified returns f without its qualifier.
func (f Function) Unqualified() Function {
	f.Qualifier = ""
	return f
}

// IsARN reports whether f came from a full ARN.
func (f Function) IsARN() bool { return f.Partition != "" }

func (f Function) identifierLen() int {
	n := len(f.Name)
	if f.Partition != "" {
		n += len("arn::lambda:::function:") + len(f.Partition) + len(f.Region) + len(f.AccountID)
	} else if f.AccountID != "" {
		n += len(":function:") + len(f.AccountID)
	}
	if f.Qualifier != "" {
		n += 1 + len(f.Qualifier)
	}
	return n
}

func (f Function) appendIdentifier(b []byte) []byte {
	switch {
	case f.Partition != "":
		b = append(b, "arn:"...)
		b = append(b, f.Partition...)
		b = append(b, ":lambda:"...)
		b = append(b, f.Region...)
		b = append(b, ':')
		b = append(b, f.AccountID...)
		b = append(b, ":function:"...)
	case f.AccountID != "":
		b = append(b, f.AccountID...)
		b = append(b, ":function:"...)
	}
	b = append(b, f.Name...)
	if f.Qualifier != "" {
		b = append(b, ':')
		b = append(b, f.Qualifier...)
	}
	return b
}

const formsHint = "want NAME[:QUALIFIER], ACCOUNT:function:NAME[:QUALIFIER] or arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]"

// ParseFunction parses what Lambda's Invoke accepts as FunctionName: a name
// ("my-function"), a name with a version or alias ("my-function:1",
// "my-function:prod", "my-function:$LATEST"), a partial ARN
// ("123456789012:function:my-function[:QUALIFIER]") or a full ARN
// ("arn:aws:lambda:us-west-2:123456789012:function:my-function[:QUALIFIER]",
// in any partition: aws, aws-cn, aws-us-gov, aws-iso, ...).
//
// Rules (see the constants above for their source):
//   - the whole identifier is 1..256 bytes;
//   - the name is 1..64 of [a-zA-Z0-9-_.] (the Invoke pattern allows '.';
//     "." and ".." are refused: they would be dot-segments in the path);
//   - a qualifier is "$LATEST", "$LATEST.PUBLISHED" or 1..128 of
//     [a-zA-Z0-9-_];
//   - an account ID is exactly 12 digits;
//   - a partition is "aws" followed by [a-zA-Z-];
//   - a region is lower-case letters in hyphen-separated words ending in a
//     number (us-east-1, us-gov-west-1, us-isob-east-1, eusc-de-east-1), and
//     when it belongs to a known partition the ARN must name that partition.
//
// Only the three documented forms are accepted: the model's pattern, read
// literally, also matches oddities such as "us-west-2:my-function" or
// "function:my-function", whose meaning the documentation does not give
// (a two-part "a:b" is always NAME:QUALIFIER, as documented).
//
// ParseFunction never panics; its errors are *[Error].
func ParseFunction(s string) (Function, error) {
	if s == "" {
		return Function{}, &Error{Field: "function", Value: s, Problem: "empty; " + formsHint}
	}
	if len(s) > MaxFunctionLen {
		return Function{}, &Error{Field: "function", Value: s,
			Problem: "too long: " + strconv.Itoa(len(s)) + " bytes, at most " + strconv.Itoa(MaxFunctionLen)}
	}

	// Split on ':' into at most 9 parts without allocating a slice.
	var parts [9]string
	n := 0
	rest := s
	for {
		i := strings.IndexByte(rest, ':')
		if i < 0 || n == len(parts)-1 {
			parts[n] = rest
			n++
			break
		}
		parts[n] = rest[:i]
		n++
		rest = rest[i+1:]
	}

	var f Function
	var name, qual string
	switch {
	case n <= 2:
		name = parts[0]
		if n == 2 {
			qual = parts[1]
			if qual == "" {
				return Function{}, &Error{Field: "qualifier", Value: qual, Input: s, Problem: "empty after ':'"}
			}
		}
	case parts[0] == "arn":
		if n < 7 || n > 8 {
			return Function{}, &Error{Field: "function", Value: s,
				Problem: "ARN has " + strconv.Itoa(strings.Count(s, ":")+1) + " ':'-separated parts, want 7 or 8 (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])"}
		}
		if err := checkPartition(parts[1], s); err != nil {
			return Function{}, err
		}
		if parts[2] != "lambda" {
			return Function{}, &Error{Field: "ARN service", Value: parts[2], Input: s, Problem: `want "lambda"`}
		}
		if err := checkRegion("region", parts[3], s); err != nil {
			return Function{}, err
		}
		if want, known := partitionOf(parts[3]); known && want.id != parts[1] {
			return Function{}, &Error{Field: "partition", Value: parts[1], Input: s,
				Problem: "region " + parts[3] + " is in partition " + want.id}
		}
		if err := checkAccount(parts[4], s); err != nil {
			return Function{}, err
		}
		if parts[5] != "function" {
			return Function{}, &Error{Field: "ARN resource type", Value: parts[5], Input: s, Problem: `want "function"`}
		}
		f.Partition, f.Region, f.AccountID = parts[1], parts[3], parts[4]
		name = parts[6]
		if n == 8 {
			qual = parts[7]
			if qual == "" {
				return Function{}, &Error{Field: "qualifier", Value: qual, Input: s, Problem: "empty after ':'"}
			}
		}
	case n == 3 || n == 4:
		if err := checkAccount(parts[0], s); err != nil {
			return Function{}, err
		}
		if parts[1] != "function" {
			return Function{}, &Error{Field: "ARN resource type", Value: parts[1], Input: s,
				Problem: `want "function" (partial ARN ACCOUNT:function:NAME[:QUALIFIER])`}
		}
		f.AccountID = parts[0]
		name = parts[2]
		if n == 4 {
			qual = parts[3]
			if qual == "" {
				return Function{}, &Error{Field: "qualifier", Value: qual, Input: s, Problem: "empty after ':'"}
			}
		}
	default:
		return Function{}, &Error{Field: "function", Value: s,
			Problem: strconv.Itoa(strings.Count(s, ":")+1) + " ':'-separated parts; " + formsHint}
	}

	if err := checkName(name, s); err != nil {
		return Function{}, err
	}
	if qual != "" {
		if err := checkQualifierInName(qual, s); err != nil {
			return Function{}, err
		}
	}
	f.Name, f.Qualifier = name, qual
	return f, nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// checkName: [a-zA-Z0-9-_.]{1,64}, not "." or "..".
func checkName(name, input string) error {
	if name == "" {
		return &Error{Field: "function name", Value: name, Input: input, Problem: "empty"}
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return &Error{Field: "function name", Value: name, Input: input, Problem: badChar(name, i)}
		}
	}
	if len(name) > MaxNameLen {
		return &Error{Field: "function name", Value: name, Input: input,
			Problem: "too long: " + strconv.Itoa(len(name)) + " bytes, at most " + strconv.Itoa(MaxNameLen)}
	}
	if name == "." || name == ".." {
		return &Error{Field: "function name", Value: name, Input: input,
			Problem: "a dot-segment cannot name a function in a request path"}
	}
	return nil
}

// checkQualifierInName: the FunctionName pattern's qualifier,
// \$LATEST(\.PUBLISHED)? | [a-zA-Z0-9-_]+, at most 128 bytes.
func checkQualifierInName(q, input string) error {
	if q == QualifierLatest || q == QualifierLatestPublished {
		return nil
	}
	return checkQualifierChars(q, input, false)
}

// checkQualifierParam: the Qualifier query parameter of Invoke, shape
// NumericLatestPublishedOrAliasQualifier: 1..128,
// \$(LATEST(\.PUBLISHED)?) | [a-zA-Z0-9-_$]+.
func checkQualifierParam(q string) error {
	if q == QualifierLatest || q == QualifierLatestPublished {
		return nil
	}
	return checkQualifierChars(q, "", true)
}

func checkQualifierChars(q, input string, dollar bool) error {
	if q == "" {
		return &Error{Field: "qualifier", Value: q, Input: input, Problem: "empty"}
	}
	for i := 0; i < len(q); i++ {
		c := q[i]
		if !isAlnum(c) && c != '-' && c != '_' && !(dollar && c == '$') {
			p := badChar(q, i)
			if !dollar {
				p += `; want "$LATEST", "$LATEST.PUBLISHED" or [a-zA-Z0-9-_]`
			}
			return &Error{Field: "qualifier", Value: q, Input: input, Problem: p}
		}
	}
	if len(q) > MaxQualifierLen {
		return &Error{Field: "qualifier", Value: q, Input: input,
			Problem: "too long: " + strconv.Itoa(len(q)) + " bytes, at most " + strconv.Itoa(MaxQualifierLen)}
	}
	return nil
}

// checkAccount: \d{12}.
func checkAccount(a, input string) error {
	for i := 0; i < len(a); i++ {
		if a[i] < '0' || a[i] > '9' {
			return &Error{Field: "account ID", Value: a, Input: input, Problem: badChar(a, i) + "; want 12 digits"}
		}
	}
	if len(a) != 12 {
		return &Error{Field: "account ID", Value: a, Input: input,
			Problem: strconv.Itoa(len(a)) + " digits, want 12"}
	}
	return nil
}

// checkPartition: aws[a-zA-Z-]* (the ARN part of the FunctionName pattern).
// The pattern makes the partition optional ("arn::lambda:..."); an ARN
// without a partition is refused here, as ARNs always name one.
func checkPartition(p, input string) error {
	if !strings.HasPrefix(p, "aws") {
		return &Error{Field: "partition", Value: p, Input: input, Problem: `want "aws", "aws-cn", "aws-us-gov", ...`}
	}
	for i := 3; i < len(p); i++ {
		c := p[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return &Error{Field: "partition", Value: p, Input: input, Problem: badChar(p, i)}
		}
	}
	return nil
}

// checkRegion accepts the shape every AWS region has: lower-case words
// separated by single hyphens, at least three words, the last one a number
// (us-east-1, us-gov-west-1, us-isob-east-1, eu-isoe-west-1, eusc-de-east-1).
// The Lambda pattern's region part, [a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1},
// is narrower: it predates aws-eusc (eusc-de-east-1), which the SDKs'
// partitions.json lists; the broader shape keeps such regions usable.
func checkRegion(field, r, input string) error {
	if r == "" {
		return &Error{Field: field, Value: r, Input: input, Problem: "empty"}
	}
	if len(r) > maxRegionLen {
		return &Error{Field: field, Value: r, Input: input,
			Problem: "too long: " + strconv.Itoa(len(r)) + " bytes, at most " + strconv.Itoa(maxRegionLen)}
	}
	words := 1
	wordStart := 0
	for i := 0; i <= len(r); i++ {
		if i < len(r) && r[i] != '-' {
			c := r[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
				return &Error{Field: field, Value: r, Input: input, Problem: badChar(r, i) + "; want a region such as us-east-1"}
			}
			continue
		}
		w := r[wordStart:i]
		if w == "" {
			return &Error{Field: field, Value: r, Input: input, Problem: "empty word at " + strconv.Itoa(i) + "; want a region such as us-east-1"}
		}
		last := i == len(r)
		for j := 0; j < len(w); j++ {
			digit := w[j] >= '0' && w[j] <= '9'
			if digit != last {
				return &Error{Field: field, Value: r, Input: input,
					Problem: "want lower-case words ending in a number, such as us-east-1"}
			}
		}
		if wordStart == 0 && len(w) < 2 {
			return &Error{Field: field, Value: r, Input: input, Problem: "want a region such as us-east-1"}
		}
		if !last {
			words++
			wordStart = i + 1
		}
	}
	if words < 3 {
		return &Error{Field: field, Value: r, Input: input, Problem: "want a region such as us-east-1"}
	}
	return nil
}

// appendEscaped percent-encodes s as aws-sdk-go-v2 does for a REST path label
// (smithy-go encoding/httpbinding EscapePath with encodeSep=true, used by
// URIValue for {FunctionName}): bytes in A-Z a-z 0-9 - . _ ~ stay, every other
// byte, '/' included, becomes %XX with upper-case hex. The same rule is the
// SigV4 URI-encode of the AWS documentation.
func appendEscaped(b []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return b
}
