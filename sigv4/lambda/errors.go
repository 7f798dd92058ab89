package lambda

import (
	"errors"
	"strconv"
	"unicode/utf8"
)

// ErrNotFunctionURL is wrapped by every error of [ParseFunctionURLHost]: the
// host is not <url-id>.lambda-url.<region>.on.aws. Test with errors.Is.
var ErrNotFunctionURL = errors.New("lambda: not a Lambda function URL host")

// ErrQualifierConflict is wrapped by the error of [InvokePath] when the
// function identifier carries a qualifier and a different separate qualifier
// is given as well.
var ErrQualifierConflict = errors.New("lambda: qualifier conflict")

// Error describes an input this package refused. Its message names the field
// and the problem, e.g.
//
//	lambda: function name "x y": invalid character ' ' at 1
//
// Value is the part of the input that is wrong, Input the whole input when it
// differs from Value. Err, when set, is a sentinel ([ErrNotFunctionURL],
// [ErrQualifierConflict]) that errors.Is finds.
type Error struct {
	Field   string // "function", "function name", "qualifier", "region", "account ID", "partition", "function URL host", ...
	Value   string // the offending part of the input
	Input   string // the whole input, when Value is only a part of it
	Problem string // what is wrong, in words
	Err     error  // optional sentinel
}

// maxShown bounds how much of an input an error message repeats.
const maxShown = 300

func quoteShort(s string) string {
	if len(s) > maxShown {
		cut := maxShown
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		return strconv.Quote(s[:cut]) + "…"
	}
	return strconv.Quote(s)
}

// Error implements error.
func (e *Error) Error() string {
	b := make([]byte, 0, 64+len(e.Value)+len(e.Input))
	b = append(b, "lambda: "...)
	b = append(b, e.Field...)
	b = append(b, ' ')
	b = append(b, quoteShort(e.Value)...)
	b = append(b, ": "...)
	b = append(b, e.Problem...)
	if e.Input != "" && e.Input != e.Value {
		b = append(b, " (in "...)
		b = append(b, quoteShort(e.Input)...)
		b = append(b, ')')
	}
	return string(b)
}

// Unwrap returns the sentinel, if any.
func (e *Error) Unwrap() error { return e.Err }

// badChar describes the byte at s[i] as "invalid character 'c' at i": the
// whole rune when s holds valid UTF-8 there, the byte in hex otherwise.
func badChar(s string, i int) string {
	r, size := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && size <= 1 {
		return "invalid byte 0x" + strconv.FormatUint(uint64(s[i]), 16) + " at " + strconv.Itoa(i)
	}
	return "invalid character " + strconv.QuoteRune(r) + " at " + strconv.Itoa(i)
}
