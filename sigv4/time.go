package sigv4

import "time"

// amzDate formats t as X-Amz-Date (20150830T123600Z) without allocating.
// Its first 8 bytes are the scope date (20150830).
func amzDate(t time.Time) (d [16]byte, err error) {
	if t.IsZero() {
		return d, fieldErr("time", "zero time; pass time.Now()")
	}
	t = t.UTC()
	y, mo, day := t.Date()
	if y < 0 || y > 9999 {
		return d, fieldErr("time", "year outside 0000-9999")
	}
	h, mi, s := t.Clock()
	put := func(i, v, n int) {
		for j := i + n - 1; j >= i; j-- {
			d[j] = byte('0' + v%10)
			v /= 10
		}
	}
	put(0, y, 4)
	put(4, int(mo), 2)
	put(6, day, 2)
	d[8] = 'T'
	put(9, h, 2)
	put(11, mi, 2)
	put(13, s, 2)
	d[15] = 'Z'
	return d, nil
}
