// Package tracking creates and checks what a citizen holds to follow a request: the tracking
// code, typed in to see the status, and the access link secret, sent by e-mail and as QR code.
package tracking

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// alphabet is Crockford's base32 alphabet; the value of a symbol is its index.
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

const (
	randomBytes = 10                  // 80 random bits
	payloadLen  = randomBytes * 8 / 5 // 5 bits per symbol
	codeLen     = payloadLen + 1      // the payload and one check symbol
	groupLen    = 4
	maxInputLen = 64
)

// ErrCodeLength reports a tracking code with too few or too many symbols.
var ErrCodeLength = errors.New("tracking code: wrong length")

// ErrCodeSymbol reports a tracking code containing a character that is neither a symbol nor
// a separator.
var ErrCodeSymbol = errors.New("tracking code: invalid symbol")

// ErrCodeCheck reports a tracking code whose check symbol does not match, which is what a
// typing mistake usually produces.
var ErrCodeCheck = errors.New("tracking code: check symbol does not match")

// Code is a tracking code: 16 random Crockford base32 symbols and one check symbol. It only
// shows the status of a request. The zero Code is not a valid code.
type Code struct {
	canonical string
}

// NewCode returns a fresh tracking code made of 80 bits from crypto/rand and a check symbol.
func NewCode() (Code, error) {
	var raw [randomBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return Code{}, fmt.Errorf("new tracking code: %w", err)
	}

	payload := encodeSymbols(raw[:])

	return Code{canonical: payload + string(checkSymbol(payload))}, nil
}

// ParseCode reads a tracking code as a person types it: case is ignored, spaces, dashes, dots
// and similar separators are skipped, O is read as 0 and I and L as 1. It returns
// ErrCodeLength, ErrCodeSymbol or ErrCodeCheck, so a typo is rejected before any lookup.
func ParseCode(s string) (Code, error) {
	if len(s) > maxInputLen {
		return Code{}, ErrCodeLength
	}

	canonical, err := normalize(s)
	if err != nil {
		return Code{}, err
	}

	if luhnSum(canonical, false) != 0 {
		return Code{}, ErrCodeCheck
	}

	return Code{canonical: canonical}, nil
}

// String returns the display form, XXXX-XXXX-XXXX-XXXX-C, or "" for the zero Code.
func (c Code) String() string {
	if c.canonical == "" {
		return ""
	}

	var b strings.Builder
	b.Grow(codeLen + codeLen/groupLen)
	for i := 0; i < len(c.canonical); i += groupLen {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(c.canonical[i:min(i+groupLen, len(c.canonical))])
	}

	return b.String()
}

// Canonical returns the 17 upper-case symbols without separators: the form the database
// stores and /t/{code} URLs carry. ParseCode also accepts the grouped form of String, so a
// URL carrying the grouped form leads to the same code.
func (c Code) Canonical() string {
	return c.canonical
}

// encodeSymbols writes raw as Crockford base32, most significant bit first. The length of
// raw must be a multiple of 5 bytes so that no bits are left over.
func encodeSymbols(raw []byte) string {
	out := make([]byte, 0, len(raw)*8/5)
	var buf uint
	bits := 0
	for _, b := range raw {
		buf = buf<<8 | uint(b)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out = append(out, alphabet[buf>>bits&31])
		}
		buf &= 1<<bits - 1
	}

	return string(out)
}

// normalize turns typed input into the canonical symbols, skipping separators.
func normalize(s string) (string, error) {
	var buf [codeLen]byte
	n := 0
	for _, r := range s {
		if isSeparator(r) {
			continue
		}

		sym, ok := symbolFor(r)
		if !ok {
			return "", ErrCodeSymbol
		}

		if n == codeLen {
			return "", ErrCodeLength
		}

		buf[n] = sym
		n++
	}

	if n != codeLen {
		return "", ErrCodeLength
	}

	return string(buf[:]), nil
}

// symbolFor maps a typed rune to its canonical symbol, folding case and the look-alikes that
// Crockford's alphabet leaves out on purpose.
func symbolFor(r rune) (byte, bool) {
	if r >= 'a' && r <= 'z' {
		r -= 'a' - 'A'
	}

	switch r {
	case 'O':
		return '0', true
	case 'I', 'L':
		return '1', true
	}

	if r >= utf8.RuneSelf || strings.IndexByte(alphabet, byte(r)) < 0 {
		return 0, false
	}

	return byte(r), true
}

// isSeparator reports whether r may stand between symbols. Besides what people type between
// groups, this covers the en dashes, soft hyphens and zero-width spaces that copying out of
// mail programs and PDF viewers tends to add.
func isSeparator(r rune) bool {
	if unicode.IsSpace(r) || unicode.Is(unicode.Pd, r) {
		return true
	}

	return strings.ContainsRune("._/,:\u2212\u00ad\u200b\ufeff", r)
}
