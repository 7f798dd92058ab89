package sigv4

// URI encoding as SigV4 defines it: every byte except the unreserved set
// A-Z a-z 0-9 - _ . ~ becomes %XX with upper-case hex. Space is %20,
// never '+'.

const upperHex = "0123456789ABCDEF"

var unreserved = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['-'], t['_'], t['.'], t['~'] = true, true, true, true
	return t
}()

// unreservedOrSlash is unreserved plus '/', for paths.
var unreservedOrSlash = func() (t [256]bool) {
	t = unreserved
	t['/'] = true
	return t
}()

func keepTable(keepSlash bool) *[256]bool {
	if keepSlash {
		return &unreservedOrSlash
	}
	return &unreserved
}

// appendEscaped URI-encodes s; '/' is kept when keepSlash is true. Runs
// of bytes that need no encoding are copied at once: most of a request
// is such runs.
func appendEscaped[T string | []byte](dst []byte, s T, keepSlash bool) []byte {
	keep := keepTable(keepSlash)
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; !keep[c] {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
			start = i + 1
		}
	}
	return append(dst, s[start:]...)
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// appendReescaped decodes the percent-escapes of s and encodes the result
// again, so that every spelling of the same bytes gives one canonical
// form. With keepSlash, '/' stays a separator and an escaped "%2F" stays
// escaped. ok is false when s holds a '%' that does not start a valid
// escape, a control byte or '#'. (Query strings, where '+' is a space,
// go through reescapeTo.)
func appendReescaped(dst []byte, s string, keepSlash bool) (_ []byte, ok bool) {
	keep := keepTable(keepSlash)
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if keep[c] {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch {
		case c == '%':
			if i+2 >= len(s) {
				return dst, false
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return dst, false
			}
			c = hi<<4 | lo
			i += 2
			if c == '/' && keepSlash {
				dst = append(dst, "%2F"...)
				start = i + 1
				continue
			}
		case c < 0x20 || c == 0x7f || c == '#':
			return dst, false
		}
		if unreserved[c] {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
		start = i + 1
	}
	return append(dst, s[start:]...), true
}

// EscapePath returns path in the canonical encoding AWS expects on the wire
// for S3 object keys: existing escapes are decoded and every byte outside
// the unreserved set and '/' is encoded again. Sending this form means the
// path S3 sees and the path the signer signed are the same bytes whatever
// characters the key holds (space, '+', '=', '(', ':', unicode...).
func EscapePath(path string) (string, error) {
	b, ok := appendReescaped(make([]byte, 0, len(path)+16), path, true)
	if !ok {
		return "", fieldErr("path", "invalid percent-encoding")
	}
	return string(b), nil
}
