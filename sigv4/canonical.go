package sigv4

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strconv"
	"strings"
)

// Canonicalization: the request's path, query and headers in the one
// spelling both sides of a signature agree on. Everything appends into
// the Result's reused buffers.

// appendPath appends the canonical URI. With normalize, empty and "."
// segments are dropped and ".." removes the previous segment (never
// above the root); a trailing '/' is kept. With doubleEncode the path is
// URI-encoded (again: it arrives already encoded), as every service but
// S3 requires; otherwise it is used as sent.
func (r *Result) appendPath(path string, normalize, doubleEncode bool) error {
	if path == "" || path[0] != '/' {
		return fieldErr("path", "must start with '/'")
	}
	for i := 0; i < len(path); i++ {
		if badPathByte[path[i]] {
			return fieldErr("path", "holds a control character, '?' or '#' at byte "+strconv.Itoa(i))
		}
	}
	seg := func(s string) {
		if doubleEncode {
			r.canon = appendEscaped(r.canon, s, true)
		} else {
			r.canon = append(r.canon, s...)
		}
	}
	if !normalize || !needsNormalizing(path) {
		seg(path)
		return nil
	}
	root := len(r.canon)
	r.canon = append(r.canon, '/')
	r.stack = r.stack[:0]
	for rest := path[1:]; rest != ""; {
		s := rest
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			s, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		switch s {
		case "", ".":
		case "..":
			if n := len(r.stack); n > 0 {
				r.canon = r.canon[:r.stack[n-1]]
				r.stack = r.stack[:n-1]
			}
		default:
			r.stack = append(r.stack, len(r.canon))
			if len(r.canon) > root+1 {
				r.canon = append(r.canon, '/')
			}
			seg(s)
		}
	}
	if path[len(path)-1] == '/' && len(r.canon) > root+1 {
		r.canon = append(r.canon, '/')
	}
	return nil
}

// needsNormalizing reports whether path may hold an empty, "." or ".."
// segment. (It may say yes for a segment such as ".well-known": the slow
// path then finds nothing to change.)
func needsNormalizing(path string) bool {
	return strings.Contains(path, "//") || strings.Contains(path, "/.")
}

// presignParams are the query parameters Presign sets; copies already in
// the request (re-signing a presigned URL) are dropped.
var presignParams = []string{
	QueryAlgorithm, QueryCredential, QueryDate, QueryExpires,
	QuerySignedHeaders, QuerySecurityToken, QuerySignature,
}

// parseQuery splits raw on '&', decodes and re-encodes each key and
// value into r.names and records them in r.qs, in one pass over raw.
// Empty pieces are skipped; a key without '=' has an empty value. When
// out is true the kept raw pieces are also copied to r.out, unchanged,
// for the presigned URL.
func (r *Result) parseQuery(raw string, dropPresign, out bool) error {
	n := 0
	for i := 0; i < len(raw); {
		if raw[i] == '&' {
			i++
			continue
		}
		n++
		start := i
		var e queryEntry
		var ok bool
		e.k0 = int32(len(r.names))
		r.names, i, ok = reescapeTo(r.names, raw, i, true)
		e.k1 = int32(len(r.names))
		keyEnd := i
		if ok && i < len(raw) && raw[i] == '=' {
			r.names, i, ok = reescapeTo(r.names, raw, i+1, false)
		}
		e.v0, e.v1 = e.k1, int32(len(r.names))
		if !ok {
			return fieldErr("query", "invalid percent-encoding, control character or '#' in parameter "+strconv.Itoa(n))
		}
		if dropPresign && slices.Contains(presignParams, raw[start:keyEnd]) {
			r.names = r.names[:e.k0]
			continue
		}
		e.prefix = prefix8(r.names[e.k0:e.k1])
		r.qs = append(r.qs, e)
		if out {
			if len(r.out) > 0 {
				r.out = append(r.out, '&')
			}
			r.out = append(r.out, raw[start:i]...)
		}
	}
	return nil
}

// reescapeTo decodes and re-encodes s from i up to the next '&' (or '='
// too, when eq) and returns the index of that separator, len(s) at the
// end. '+' is a space. ok is false on a bad escape, a control byte or '#'.
func reescapeTo(dst []byte, s string, i int, eq bool) (_ []byte, stop int, ok bool) {
	start := i
	for ; i < len(s); i++ {
		c := s[i]
		if unreserved[c] {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch {
		case c == '&' || c == '=' && eq:
			return dst, i, true
		case c == '%':
			if i+2 >= len(s) {
				return dst, i, false
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return dst, i, false
			}
			c = hi<<4 | lo
			i += 2
		case c == '+':
			c = ' '
		case c < 0x20 || c == 0x7f || c == '#':
			return dst, i, false
		}
		if unreserved[c] {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
		start = i + 1
	}
	return append(dst, s[start:]...), i, true
}

// addParam adds a parameter whose value is encoded from v.
func addParam[T string | []byte](r *Result, key string, v T) {
	e := queryEntry{k0: int32(len(r.names))}
	r.names = append(r.names, key...)
	e.k1, e.v0 = int32(len(r.names)), int32(len(r.names))
	r.names = appendEscaped(r.names, v, false)
	e.v1 = int32(len(r.names))
	e.prefix = prefix8(r.names[e.k0:e.k1])
	r.qs = append(r.qs, e)
}

func (r *Result) key(e queryEntry) []byte { return r.names[e.k0:e.k1] }
func (r *Result) val(e queryEntry) []byte { return r.names[e.v0:e.v1] }

// appendQuery sorts the parameters by encoded key, then encoded value,
// bytewise, and appends them joined as k=v&k=v.
func (r *Result) appendQuery() {
	qs := r.qs
	for i := 1; i < len(qs); i++ { // insertion sort: few items, no allocation
		x := qs[i]
		j := i
		for ; j > 0 && r.queryLess(&x, &qs[j-1]); j-- {
			qs[j] = qs[j-1]
		}
		qs[j] = x
	}
	for i, e := range qs {
		if i > 0 {
			r.canon = append(r.canon, '&')
		}
		r.canon = append(r.canon, r.key(e)...)
		r.canon = append(r.canon, '=')
		r.canon = append(r.canon, r.val(e)...)
	}
}

func (r *Result) queryLess(a, b *queryEntry) bool {
	if a.prefix != b.prefix {
		return a.prefix < b.prefix
	}
	if c := bytes.Compare(r.key(*a), r.key(*b)); c != 0 {
		return c < 0
	}
	return string(r.val(*a)) < string(r.val(*b))
}

// prefix8 packs the first 8 bytes of b big-endian, zero-padded, so that
// comparing prefixes orders like comparing the bytes, up to a tie.
func prefix8(b []byte) uint64 {
	if len(b) >= 8 {
		return binary.BigEndian.Uint64(b)
	}
	var p uint64
	for i := 0; i < 8; i++ {
		p <<= 8
		if i < len(b) {
			p |= uint64(b[i])
		}
	}
	return p
}

func (r *Result) name(e hdrEntry) []byte { return r.names[e.off : e.off+e.n] }

// sortHeaders orders the signed headers by name; the sort is stable, so
// repeated headers keep their order on the wire.
func (r *Result) sortHeaders() {
	h := r.hdrs
	for i := 1; i < len(h); i++ {
		x := h[i]
		j := i
		for ; j > 0 && r.nameLess(&x, &h[j-1]); j-- {
			h[j] = h[j-1]
		}
		h[j] = x
	}
}

func (r *Result) nameLess(a, b *hdrEntry) bool {
	if a.prefix != b.prefix {
		return a.prefix < b.prefix
	}
	return string(r.name(*a)) < string(r.name(*b))
}

// appendHeaders appends one "name:value,value\n" line per distinct name
// and records where the signed-header list (also appended here, after
// the blank line) starts and ends in the canonical request. It refuses
// values holding control characters.
func (r *Result) appendHeaders() error {
	h := r.hdrs
	for i := 0; i < len(h); {
		name := r.name(h[i])
		r.canon = append(r.canon, name...)
		r.canon = append(r.canon, ':')
		j := i
		for ; j < len(h) && string(r.name(h[j])) == string(name); j++ {
			if j > i {
				r.canon = append(r.canon, ',')
			}
			if h[j].kind == valueDate {
				r.canon = append(r.canon, r.date[:]...)
				continue
			}
			var ok bool
			if r.canon, ok = appendTrimmed(r.canon, h[j].value); !ok {
				return fieldErr("header "+strconv.Itoa(int(h[j].idx))+" value", "control character at byte "+strconv.Itoa(badValueByte(h[j].value)))
			}
		}
		r.canon = append(r.canon, '\n')
		i = j
	}
	r.canon = append(r.canon, '\n')
	r.sigHdrs[0] = len(r.canon)
	r.canon = r.appendSignedList(r.canon)
	r.sigHdrs[1] = len(r.canon)
	return nil
}

// appendSignedList appends the distinct signed names joined with ';'.
func (r *Result) appendSignedList(dst []byte) []byte {
	h := r.hdrs
	for i := range h {
		if i > 0 && string(r.name(h[i])) == string(r.name(h[i-1])) {
			continue
		}
		if i > 0 {
			dst = append(dst, ';')
		}
		dst = append(dst, r.name(h[i])...)
	}
	return dst
}

// appendTrimmed appends v without leading and trailing white space and
// with every inner run of white space collapsed to one space. Runs
// without white space are copied at once. ok is false when v holds a
// control character other than white space.
func appendTrimmed(dst []byte, v string) (_ []byte, ok bool) {
	i, j := 0, len(v)
	for i < j && isSpace(v[i]) {
		i++
	}
	for j > i && isSpace(v[j-1]) {
		j--
	}
	v = v[i:j]
	start := 0
	for k := 0; k < len(v); k++ {
		c := v[k]
		if valueByte[c] == plain || (c == ' ' && !isSpace(v[k+1])) { // v ends in non-space
			continue
		}
		if valueByte[c] == bad {
			return dst, false
		}
		dst = append(dst, v[start:k]...)
		dst = append(dst, ' ')
		for isSpace(v[k+1]) {
			k++
		}
		start = k + 1
	}
	return append(dst, v[start:]...), true
}

// Classes of header value bytes.
const (
	plain = iota
	space
	bad
)

var valueByte = func() (t [256]uint8) {
	for c := 0; c < 0x20; c++ {
		t[c] = bad
	}
	t[0x7f] = bad
	t[' '], t['\t'] = space, space // CR and LF are refused: they would split the header
	return t
}()

func isSpace(c byte) bool { return spaceByte[c] }

var (
	spaceByte   = byteSet(" \t")
	badPathByte = func() (t [256]bool) {
		for c := 0; c < 0x20; c++ {
			t[c] = true
		}
		t[0x7f], t['?'], t['#'] = true, true, true
		return t
	}()
)

func byteSet(s string) (t [256]bool) {
	for i := 0; i < len(s); i++ {
		t[s[i]] = true
	}
	return t
}
