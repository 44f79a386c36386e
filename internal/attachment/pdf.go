package attachment

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
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

	name, err := findActiveName(data)
	if err != nil {
		return nil, refuse(ErrDamaged, "", err)
	}
	if name != "" {
		return nil, refuse(ErrType, "", fmt.Errorf("pdf contains /%s", name))
	}

	return data, nil
}

// findActiveName looks for an active name outside the bodies of streams and
// returns the first it finds, "" for none. This is a conservative filter, not a
// PDF parser: it refuses a harmless file that merely mentions such a name in a
// text string, and the PDF is still to be served as a download and opened in a
// viewer with script turned off. Stream bodies are skipped because compressed
// data would match by chance, except object streams, which hold dictionaries:
// those are read as they are or, compressed with FlateDecode, inflated within
// objectStreamBudget. An object stream that cannot be read so is an error.
func findActiveName(data []byte) (string, error) {
	budget := objectStreamBudget
	for pos := 0; pos < len(data); {
		kw, body := nextStream(data, pos)
		if name, ok := scanNames(data[pos:kw]); ok {
			return name, nil
		}

		end := len(data)
		if i := bytes.Index(data[body:], []byte("endstream")); i >= 0 {
			end = body + i
		}

		if dict := data[pos:kw]; isObjectStream(dict) {
			objects, err := objectStreamText(dict, data[body:end], &budget)
			if err != nil {
				return "", err
			}
			if name, ok := scanNames(objects); ok {
				return name, nil
			}
		}

		pos = end
	}

	return "", nil
}

// objectStreamBudget is how many bytes all object streams of one PDF may inflate
// to: far more than the dictionaries of a real form or scan, far less than a
// decompression bomb.
const objectStreamBudget = 16 << 20

var (
	errObjectStreamFilter = errors.New("object stream with a filter other than FlateDecode")
	errObjectStreamBomb   = errors.New("object streams inflate beyond 16 MB")
)

// objectStreamText returns the dictionaries an object stream holds: its body as
// it is, or inflated when its dictionary asks for FlateDecode alone, which uses
// up budget. Other filters and predictors, which could hide names from the
// scan, are refused.
func objectStreamText(dict, body []byte, budget *int) ([]byte, error) {
	if i := bytes.LastIndex(dict, []byte("obj")); i >= 0 {
		dict = dict[i:]
	}

	names := pdfNames(dict)
	filters := 0
	for _, n := range names {
		switch n {
		case "FlateDecode", "Fl":
			filters++
		case "ASCIIHexDecode", "AHx", "ASCII85Decode", "A85", "LZWDecode", "LZW",
			"RunLengthDecode", "RL", "Crypt", "Predictor", "DecodeParms", "DP":
			return nil, errObjectStreamFilter
		}
	}
	if filters == 0 {
		return body, nil
	}
	if filters > 1 {
		return nil, errObjectStreamFilter
	}

	// The body starts after the line break that ends the stream keyword.
	body = bytes.TrimLeft(body, "\r\n")
	r, err := zlib.NewReader(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("inflate object stream: %w", err)
	}
	defer r.Close()

	out, err := io.ReadAll(io.LimitReader(r, int64(*budget)+1))
	if len(out) > *budget {
		return nil, errObjectStreamBomb
	}
	if err != nil {
		return nil, fmt.Errorf("inflate object stream: %w", err)
	}
	*budget -= len(out)

	return out, nil
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
