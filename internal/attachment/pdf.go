package attachment

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
)

// pdfTrailerWindow is how far from the end a PDF's %%EOF marker may be; some writers
// append line breaks or padding after it.
const pdfTrailerWindow = 1024

var (
	errNoPDFHeader  = errors.New("no %PDF- header at offset 0")
	errNoPDFTrailer = errors.New("no %%EOF in the last 1 KB")
)

// activeNames are the PDF names that run script, start programs or carry files.
var activeNames = []string{
	"JavaScript", "JS", "Launch", "EmbeddedFile", "EmbeddedFiles", "OpenAction",
}

// sanitisePDF accepts a complete PDF without active content and keeps its bytes
// as they are.
func sanitisePDF(_ Policy, data []byte) ([]byte, *Error) {
	if !bytes.HasPrefix(data, []byte("%PDF-1.")) && !bytes.HasPrefix(data, []byte("%PDF-2.")) {
		return nil, refuse(ErrDamaged, "", errNoPDFHeader)
	}

	if !bytes.Contains(data[max(0, len(data)-pdfTrailerWindow):], []byte("%%EOF")) {
		return nil, refuse(ErrDamaged, "", errNoPDFTrailer)
	}

	if name, ok := findActiveName(data); ok {
		return nil, refuse(ErrType, "", fmt.Errorf("pdf contains /%s", name))
	}

	return data, nil
}

// findActiveName looks for an active name outside the bodies of streams. This is
// a conservative filter, not a PDF parser: it refuses a harmless file that merely
// mentions such a name in a text string, and the PDF is still to be served as a
// download and opened in a viewer with script turned off. Stream bodies are
// skipped because compressed data would match by chance, except object streams,
// which hold dictionaries.
//
// TODO: object streams compressed with FlateDecode (PDF 1.5 and later) are scanned
// as compressed bytes, so a name hidden in one passes; inflating them, bounded
// against decompression bombs, would close that gap.
func findActiveName(data []byte) (string, bool) {
	for pos := 0; pos < len(data); {
		kw, body := nextStream(data, pos)
		if name, ok := scanNames(data[pos:kw]); ok {
			return name, true
		}

		end := len(data)
		if i := bytes.Index(data[body:], []byte("endstream")); i >= 0 {
			end = body + i
		}

		if isObjectStream(data[pos:kw]) {
			if name, ok := scanNames(data[body:end]); ok {
				return name, true
			}
		}

		pos = end
	}

	return "", false
}

// nextStream returns the position of the next "stream" keyword that follows a
// dictionary and starts a line, and where the stream's body begins; both are
// len(data) when there is none.
func nextStream(data []byte, from int) (keyword, body int) {
	for i := from; ; {
		j := bytes.Index(data[i:], []byte("stream"))
		if j < 0 {
			return len(data), len(data)
		}

		kw := i + j
		after := kw + len("stream")
		before := bytes.TrimRight(data[from:kw], " \t\r\n\f\x00")
		if bytes.HasSuffix(before, []byte(">>")) && after < len(data) &&
			(data[after] == '\r' || data[after] == '\n') {
			return kw, after
		}

		i = after
	}
}

// isObjectStream reports whether the dictionary that ends the given text, the
// part after its last "obj" keyword, declares an object stream.
func isObjectStream(text []byte) bool {
	if i := bytes.LastIndex(text, []byte("obj")); i >= 0 {
		text = text[i:]
	}

	return slices.Contains(pdfNames(text), "ObjStm")
}
