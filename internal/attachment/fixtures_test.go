package attachment

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"testing"
)

var (
	red   = color.RGBA{R: 220, A: 255}
	blue  = color.RGBA{B: 220, A: 255}
	green = color.RGBA{G: 220, A: 255}
)

// halves returns a w×h image whose left half is red and right half blue, with a
// little noise so that encoders have real data to write.
func halves(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	rng := rand.New(rand.NewPCG(1, 2))
	for y := range h {
		for x := range w {
			c := red
			if x >= w/2 {
				c = blue
			}
			c.G = uint8(rng.IntN(16))
			img.SetRGBA(x, y, c)
		}
	}

	return img
}

func makeJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, halves(w, h), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatalf("encode jpeg: %v", err)
	}

	return buf.Bytes()
}

func makePNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, halves(w, h)); err != nil {
		t.Fatalf("encode png: %v", err)
	}

	return buf.Bytes()
}

// withExif inserts an APP1 Exif segment right after the JPEG's start of image.
// Its first IFD holds the orientation and a pointer to a GPS IFD with a latitude.
func withExif(jpg []byte, orientation uint16) []byte {
	le := binary.LittleEndian
	tiff := []byte("II*\x00")
	tiff = le.AppendUint32(tiff, 8)

	tiff = le.AppendUint16(tiff, 2)
	tiff = appendEntry(tiff, 0x0112, 3, 1, uint32(orientation))
	tiff = appendEntry(tiff, 0x8825, 4, 1, 38) // GPS IFD right after this one
	tiff = le.AppendUint32(tiff, 0)

	tiff = le.AppendUint16(tiff, 2)
	tiff = appendEntry(tiff, 0x0001, 2, 2, uint32('N'))
	tiff = appendEntry(tiff, 0x0002, 5, 3, 68) // three rationals after this IFD
	tiff = le.AppendUint32(tiff, 0)
	for _, v := range []uint32{52, 1, 31, 1, 1234, 100} {
		tiff = le.AppendUint32(tiff, v)
	}

	seg := append([]byte("Exif\x00\x00"), tiff...)
	app1 := []byte{0xFF, 0xE1}
	app1 = binary.BigEndian.AppendUint16(app1, uint16(len(seg)+2))
	app1 = append(app1, seg...)

	out := append([]byte{}, jpg[:2]...)
	out = append(out, app1...)

	return append(out, jpg[2:]...)
}

func appendEntry(b []byte, tag, typ uint16, count, value uint32) []byte {
	le := binary.LittleEndian
	b = le.AppendUint16(b, tag)
	b = le.AppendUint16(b, typ)
	b = le.AppendUint32(b, count)

	return le.AppendUint32(b, value)
}

// pngChunk returns a PNG chunk with a valid CRC.
func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)

	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// withPNGChunk inserts a chunk right after the IHDR chunk, which ends at byte 33.
func withPNGChunk(p []byte, typ string, data []byte) []byte {
	out := append([]byte{}, p[:33]...)
	out = append(out, pngChunk(typ, data)...)

	return append(out, p[33:]...)
}

// hugePNG returns a PNG whose header claims w×h pixels of 8-bit RGBA, with a
// token IDAT chunk: enough for a decoder that trusts the header to allocate it all.
func hugePNG(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)

	p := []byte("\x89PNG\r\n\x1a\n")
	p = append(p, pngChunk("IHDR", ihdr)...)
	p = append(p, pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)

	return append(p, pngChunk("IEND", nil)...)
}

// makeZip returns a zip archive holding one file of size zero bytes.
func makeZip(t *testing.T, name string, size int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err != nil {
		t.Fatalf("create zip entry: %v", err)
	}

	if _, err := io.CopyN(w, zeros{}, size); err != nil {
		t.Fatalf("write zip entry: %v", err)
	}

	if err := zw.Close(); err != nil {
		t.Fatalf("close zip: %v", err)
	}

	return buf.Bytes()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// makePDF returns a one-page PDF with a correct cross-reference table; extra is
// added to the catalog dictionary and content is the page's content stream.
func makePDF(version, extra, content string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R " + extra + ">>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, "%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n", version)
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}

	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}

	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		len(objs)+1, xref)

	return b.Bytes()
}

// wantID fails the test unless err is an *Error with the given message ID.
func wantID(t *testing.T, err error, id string) *Error {
	t.Helper()
	if id == "" {
		if err != nil {
			t.Fatalf("error = %v, want none", err)
		}
		return nil
	}

	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("error = %#v, want *Error with ID %q", err, id)
	}

	if e.ID != id {
		t.Fatalf("error ID = %q (%v), want %q", e.ID, e, id)
	}

	return e
}
