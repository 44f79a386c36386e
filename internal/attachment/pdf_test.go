package attachment

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"testing"
)

func TestPDF(t *testing.T) {
	valid := makePDF("1.7", "", "BT /F1 12 Tf (Hallo) Tj ET")
	objStm := "3 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length 30 >>\nstream\n" +
		"5 0 << /S /JavaScript >>\nendstream\nendobj\n"
	tests := []struct {
		name   string
		data   []byte
		wantID string
	}{
		{"minimal valid", valid, ""},
		{"version 2.0", makePDF("2.0", "", "BT ET"), ""},
		{"javascript", makePDF("1.4", "/Names << /JavaScript 5 0 R >> ", ""), ErrType},
		{"js action", makePDF("1.4", "/AA << /O << /S /JS (app.alert(1)) >> >> ", ""), ErrType},
		{"launch", makePDF("1.4", "/OpenAction << /S /Launch /F (cmd.exe) >> ", ""), ErrType},
		{"open action", makePDF("1.4", "/OpenAction [3 0 R /Fit] ", ""), ErrType},
		{"embedded file", makePDF("1.4", "/Names << /EmbeddedFiles 6 0 R >> ", ""), ErrType},
		{"escaped name", makePDF("1.4", "/Names << /J#61vaScript 5 0 R >> ", ""), ErrType},
		{"name in uncompressed object stream", insertBeforeXref(valid, objStm), ErrType},
		{"similar name", makePDF("1.4", "/JSON (x) /Launcher (y) ", ""), ""},
		{"names inside a content stream", makePDF("1.4", "", "/JS 1 Tf /OpenAction gs"), ""},
		{"no header", append([]byte("\n"), valid...), ErrDamaged},
		{"pdf-3 header", []byte(strings.Replace(string(valid), "%PDF-1.7", "%PDF-3.0", 1)),
			ErrDamaged},
		{"truncated", valid[:len(valid)-20], ErrDamaged},
		{"eof too early", append(append([]byte{}, valid...), bytes.Repeat([]byte(" "), 1100)...),
			ErrDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := DefaultPolicy().Check("antrag.pdf", tt.data)
			wantID(t, err, tt.wantID)
			if err == nil && !bytes.Equal(f.Data, tt.data) {
				t.Errorf("accepted PDF was changed")
			}
		})
	}
}

func TestPDFStreamBodiesDoNotMatchByChance(t *testing.T) {
	noise := []byte("x\xff/JS\x00/OpenAction\x00/Launch ")
	body := bytes.Repeat(noise, 1000)
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n1 0 obj\n<< /Type /XObject /Subtype /Image /Filter /DCTDecode >>\n")
	b.WriteString("stream\r\n")
	b.Write(body)
	b.WriteString("\r\nendstream\nendobj\ntrailer\n<< /Size 2 >>\n%%EOF\n")

	if _, err := DefaultPolicy().Check("scan.pdf", b.Bytes()); err != nil {
		t.Errorf("PDF with names only inside an image stream: error = %v, want none", err)
	}
}

func TestReadName(t *testing.T) {
	tests := []struct {
		in, want string
		wantLen  int
	}{
		{"JavaScript 5 0 R", "JavaScript", 10},
		{"JS(", "JS", 2},
		{"J#53/", "JS", 4},
		{"Emb#65ddedFile>>", "EmbeddedFile", 14},
		{"A#4", "A#4", 3},
		{"", "", 0},
		{strings.Repeat("a", 40) + " ", strings.Repeat("a", maxNameLen+1), 40},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, n := readName([]byte(tt.in))
			if got != tt.want || n != tt.wantLen {
				t.Errorf("readName(%q) = %q, %d; want %q, %d", tt.in, got, n, tt.want, tt.wantLen)
			}
		})
	}
}

// insertBeforeXref adds an object to a PDF made by makePDF; the cross-reference
// table is then off, which the check does not read.
func insertBeforeXref(pdf []byte, obj string) []byte {
	i := bytes.Index(pdf, []byte("xref\n"))

	return append(append(append([]byte{}, pdf[:i]...), obj...), pdf[i:]...)
}

// flateObjStm is an object stream object whose body is objects compressed with
// FlateDecode, or raw as given when raw is not nil.
func flateObjStm(t *testing.T, filter string, objects []byte, raw []byte) string {
	t.Helper()
	body := raw
	if body == nil {
		var b bytes.Buffer
		w := zlib.NewWriter(&b)
		if _, err := w.Write(objects); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		body = b.Bytes()
	}

	return fmt.Sprintf("3 0 obj\n<< /Type /ObjStm /N 1 /First 4 %s /Length %d >>\nstream\n%s\nendstream\nendobj\n",
		filter, len(body), body)
}

func TestPDFCompressedObjectStreams(t *testing.T) {
	valid := makePDF("1.7", "", "BT /F1 12 Tf (Hallo) Tj ET")
	harmless := []byte("5 0 << /Type /Annot /Subtype /Link /Rect [0 0 10 10] >>")
	hostile := []byte("5 0 << /S /JavaScript /JS (app.alert(1)) >>")
	tests := []struct {
		name   string
		obj    string
		wantID string
	}{
		{"harmless", flateObjStm(t, "/Filter /FlateDecode", harmless, nil), ""},
		{"harmless, filter in an array", flateObjStm(t, "/Filter [/FlateDecode]", harmless, nil), ""},
		{"javascript", flateObjStm(t, "/Filter /FlateDecode", hostile, nil), ErrType},
		{"escaped name", flateObjStm(t, "/Filter /Fl",
			[]byte("5 0 << /S /J#61vaScript >>"), nil), ErrType},
		{"decompression bomb", flateObjStm(t, "/Filter /FlateDecode",
			append(bytes.Repeat([]byte{' '}, 40<<20), hostile...), nil), ErrDamaged},
		{"other filter", flateObjStm(t, "/Filter /LZWDecode", nil, []byte("\x80\x0b\x60\x50")),
			ErrDamaged},
		{"predictor", flateObjStm(t, "/Filter /FlateDecode /DecodeParms << /Predictor 12 >>",
			harmless, nil), ErrDamaged},
		{"broken deflate data", flateObjStm(t, "/Filter /FlateDecode", nil,
			[]byte("\x78\x9c\xff\xff\xff\xff")), ErrDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DefaultPolicy().Check("antrag.pdf", insertBeforeXref(valid, tt.obj))
			wantID(t, err, tt.wantID)
		})
	}
}
