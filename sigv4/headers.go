package sigv4

import "strconv"

// Header policy, kept as data.

// ignoredHeaders are never signed: clients, proxies and Varnish add,
// remove or rewrite them after signing, so a signature over them breaks
// in flight. This is the set aws-c-auth and the AWS SDKs agree on
// (aws-c-auth source/aws_signing.c; aws-sdk-go-v2 internal/v4/headers.go
// IgnoredHeaders; smithy-rs settings.rs). Names are lower case.
var ignoredHeaders = []string{
	"authorization",
	"connection",
	"expect",
	"transfer-encoding",
	"upgrade",
	"user-agent",
	"x-amzn-trace-id",
}

// ignoredPrefixes extend ignoredHeaders to whole families.
var ignoredPrefixes = []string{"sec-websocket-"}

// Headers the signer sets itself; a caller's copy is ignored.
const (
	lowerDate          = "x-amz-date"
	lowerSecurityToken = "x-amz-security-token"
	lowerContentSHA256 = "x-amz-content-sha256"
	lowerHost          = "host"
)

// Header classes, from classify.
const (
	classSign    uint8 = iota // an ordinary header: signed unless the Options say otherwise
	classIgnored              // never signed (ignoredHeaders, ignoredPrefixes)
	classHost
	classDate
	classToken
	classContentSHA256
)

// classify sorts a lower-cased name into its class. It switches on the
// length first: most names are compared with nothing at all.
func classify(name []byte) uint8 {
	switch len(name) {
	case 4:
		if string(name) == lowerHost {
			return classHost
		}
	case 10:
		if string(name) == lowerDate {
			return classDate
		}
	case 20:
		switch string(name) {
		case lowerSecurityToken:
			return classToken
		case lowerContentSHA256:
			return classContentSHA256
		}
	}
	if isIgnored(name) {
		return classIgnored
	}
	return classSign
}

// minPrefixLen is the length of the shortest of ignoredPrefixes.
var minPrefixLen = func() int {
	n := 1 << 30
	for _, p := range ignoredPrefixes {
		n = min(n, len(p))
	}
	return n
}()

// ignoredLen[n] says whether some ignoredHeaders name is n bytes long.
var ignoredLen = func() (t [32]bool) {
	for _, h := range ignoredHeaders {
		t[len(h)] = true
	}
	return t
}()

func isIgnored(name []byte) bool {
	if len(name) < len(ignoredLen) && !ignoredLen[len(name)] && len(name) < minPrefixLen {
		return false
	}
	for _, h := range ignoredHeaders {
		if string(name) == h {
			return true
		}
	}
	for _, p := range ignoredPrefixes {
		if len(name) >= len(p) && string(name[:len(p)]) == p {
			return true
		}
	}
	return false
}

func inList(name []byte, list []string) bool {
	for _, h := range list {
		if string(name) == h {
			return true
		}
	}
	return false
}

func hasAmzPrefix(name []byte) bool {
	return len(name) >= 6 && string(name[:6]) == "x-amz-"
}

// tchar is the RFC 9110 token alphabet: valid header name and method bytes.
var tchar = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()

// validToken reports the index of the first byte of s that is not a
// tchar, -1 if none, len(s) for an empty s.
func badTokenByte(s string) int {
	if s == "" {
		return 0
	}
	for i := 0; i < len(s); i++ {
		if !tchar[s[i]] {
			return i
		}
	}
	return -1
}

// lowerToken maps each RFC 9110 token byte to its lower case and every
// other byte to 0: one table lookup validates and lower-cases a name.
var lowerToken = func() (t [256]byte) {
	for c := 0; c < 256; c++ {
		if tchar[c] {
			t[c] = byte(c)
			if 'A' <= c && c <= 'Z' {
				t[c] = byte(c + 'a' - 'A')
			}
		}
	}
	return t
}()

// badValueByte returns the index of the first control byte in a header
// value (HTAB allowed), or -1.
func badValueByte(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return i
		}
	}
	return -1
}

// collectHeaders validates the request headers, lower-cases the names of
// those to sign into r.names, adds the signer's own and sorts them.
func (r *Result) collectHeaders(in []Header, o *Options, presign bool, token, payload string) error {
	host := false
	for i, h := range in {
		off := len(r.names)
		r.names = append(r.names, h.Name...)
		name := r.names[off:]
		least := byte(0xff) // the smallest lowerToken value seen; 0 marks a bad name
		if len(name) == 0 {
			least = 0
		}
		for j, c := range name {
			l := lowerToken[c] // 0 for a byte that is not a token byte
			least = min(least, l)
			name[j] = l
		}
		if least == 0 {
			return fieldErr("header "+strconv.Itoa(i)+" name", "empty or not an HTTP token")
		}
		var skip bool
		switch classify(name) {
		case classHost:
			host = true
		case classIgnored, classDate, classToken:
			skip = true
		case classContentSHA256:
			skip = o.AddContentSHA256 && !presign
		default:
			skip = len(o.ExcludeHeaders) > 0 && inList(name, o.ExcludeHeaders) ||
				len(o.IncludeHeaders) > 0 && !hasAmzPrefix(name) && !inList(name, o.IncludeHeaders)
		}
		if skip {
			r.names = r.names[:off]
			continue
		}
		r.hdrs = append(r.hdrs, hdrEntry{prefix: prefix8(name), off: int32(off), n: int32(len(name)), idx: int32(i), value: h.Value})
	}
	if !host {
		return fieldErr("headers", "no Host header")
	}
	if !presign {
		r.addOwnHeader(lowerDate, valueDate, "")
		if token != "" {
			r.addOwnHeader(lowerSecurityToken, valueInput, token)
		}
		if o.AddContentSHA256 {
			r.addOwnHeader(lowerContentSHA256, valueInput, payload)
		}
	}
	r.sortHeaders()
	return nil
}

func (r *Result) addOwnHeader(name string, kind uint8, v string) {
	off := len(r.names)
	r.names = append(r.names, name...)
	r.hdrs = append(r.hdrs, hdrEntry{prefix: prefix8(r.names[off:]), off: int32(off), n: int32(len(name)), kind: kind, value: v})
}
