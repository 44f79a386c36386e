package attachment

import "slices"

// maxNameLen is longer than any name this package looks for; longer names are
// read past but not kept.
const maxNameLen = 16

// scanNames returns the first active name in text.
func scanNames(text []byte) (string, bool) {
	for i := 0; i < len(text); i++ {
		if text[i] != '/' {
			continue
		}

		name, n := readName(text[i+1:])
		if slices.Contains(activeNames, name) {
			return name, true
		}

		i += n
	}

	return "", false
}

// pdfNames returns the names in text, decoded and cut to maxNameLen bytes.
func pdfNames(text []byte) []string {
	var names []string
	for i := 0; i < len(text); i++ {
		if text[i] == '/' {
			name, n := readName(text[i+1:])
			names = append(names, name)
			i += n
		}
	}

	return names
}

// readName reads a PDF name after its slash and returns it with the number of
// bytes it took. It decodes #xx escapes, by which /J#61vaScript spells /JavaScript.
func readName(b []byte) (string, int) {
	var buf [maxNameLen + 1]byte
	n, i := 0, 0
	for i < len(b) && isNameByte(b[i]) {
		c := b[i]
		i++
		if c == '#' && i+1 < len(b) && isHex(b[i]) && isHex(b[i+1]) {
			c = unhex(b[i])<<4 | unhex(b[i+1])
			i += 2
		}

		if n < len(buf) {
			buf[n] = c
			n++
		}
	}

	return string(buf[:n]), i
}

// isNameByte reports whether c may be part of a name: anything but white space
// and the delimiters of the PDF syntax.
func isNameByte(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ', '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return false
	}

	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}

	return c - '0'
}
