package attachment

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"runtime"
	"testing"
	"time"
)

func TestImageMetadataAndAppendedDataAreRemoved(t *testing.T) {
	jpg := makeJPEG(t, 64, 48)
	pngData := makePNG(t, 64, 48)
	tests := []struct {
		name    string
		data    []byte
		gone    []string // byte strings that must not survive
		wantDim image.Point
	}{
		{"jpeg with exif gps", withExif(jpg, 1), []string{"Exif", "II*\x00"}, image.Pt(64, 48)},
		{"png with text chunk", withPNGChunk(pngData, "tEXt", []byte("Author\x00Erika Muster")),
			[]string{"tEXt", "Erika"}, image.Pt(64, 48)},
		{"jpeg with zip appended", append(append([]byte{}, jpg...), makeZip(t, "x.txt", 100)...),
			[]string{"PK\x03\x04", "x.txt"}, image.Pt(64, 48)},
		{"jpeg with html appended", append(append([]byte{}, jpg...), "<script>x()</script>"...),
			[]string{"<script>"}, image.Pt(64, 48)},
		{"png with zip appended", append(append([]byte{}, pngData...), makeZip(t, "y", 9)...),
			[]string{"PK\x03\x04"}, image.Pt(64, 48)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := DefaultPolicy().Check("bild", tt.data)
			wantID(t, err, "")
			for _, s := range tt.gone {
				if bytes.Contains(f.Data, []byte(s)) {
					t.Errorf("sanitised file still contains %q", s)
				}
			}

			cfg, _, err := image.DecodeConfig(bytes.NewReader(f.Data))
			if err != nil {
				t.Fatalf("sanitised file does not decode: %v", err)
			}

			if got := image.Pt(cfg.Width, cfg.Height); got != tt.wantDim {
				t.Errorf("sanitised image is %v, want %v", got, tt.wantDim)
			}
		})
	}
}

func TestJPEGIsTurnedUpright(t *testing.T) {
	tests := []struct {
		orientation uint16
		wantDim     image.Point
		wantCorner  int // where the source's top left corner lands: 0 top left, then clockwise
	}{
		{1, image.Pt(32, 16), 0},
		{2, image.Pt(32, 16), 1},
		{3, image.Pt(32, 16), 2},
		{4, image.Pt(32, 16), 3},
		{5, image.Pt(16, 32), 0},
		{6, image.Pt(16, 32), 1},
		{7, image.Pt(16, 32), 2},
		{8, image.Pt(16, 32), 3},
		{9, image.Pt(32, 16), 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("orientation %d", tt.orientation), func(t *testing.T) {
			data := withExif(markedJPEG(t, 32, 16), tt.orientation)
			f, err := DefaultPolicy().Check("foto.jpg", data)
			wantID(t, err, "")

			img, err := jpeg.Decode(bytes.NewReader(f.Data))
			if err != nil {
				t.Fatalf("decode sanitised jpeg: %v", err)
			}

			if got := img.Bounds().Size(); got != tt.wantDim {
				t.Fatalf("size = %v, want %v", got, tt.wantDim)
			}

			for i, p := range corners(img.Bounds()) {
				if isGreen := near(img.At(p.X, p.Y), green); isGreen != (i == tt.wantCorner) {
					t.Errorf("corner %d green: %v, want the marker in corner %d", i, isGreen,
						tt.wantCorner)
				}
			}
		})
	}
}

// markedJPEG is a JPEG of halves with a green square in its top left corner.
func markedJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := halves(w, h)
	for y := range 8 {
		for x := range 8 {
			img.SetRGBA(x, y, green)
		}
	}

	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatalf("encode jpeg: %v", err)
	}

	return buf.Bytes()
}

// corners returns points 3 pixels inside the corners of b, clockwise from the top left.
func corners(b image.Rectangle) []image.Point {
	return []image.Point{
		{b.Min.X + 3, b.Min.Y + 3}, {b.Max.X - 4, b.Min.Y + 3},
		{b.Max.X - 4, b.Max.Y - 4}, {b.Min.X + 3, b.Max.Y - 4},
	}
}

func TestImageTooBigIsRefusedBeforeDecoding(t *testing.T) {
	data := hugePNG(100000, 100000)
	p := DefaultPolicy()

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := p.Check("riesig.png", data)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)

	wantID(t, err, ErrImageTooBig)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("refusing took %d bytes of allocation, want under 1 MB", alloc)
	}

	if elapsed > time.Second {
		t.Errorf("refusing took %v, want well under a second", elapsed)
	}
}

func TestImagePixelLimit(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		wantID string
	}{
		{"jpeg at the limit", makeJPEG(t, 100, 100), ""},
		{"jpeg over the limit", makeJPEG(t, 101, 100), ErrImageTooBig},
		{"png over the limit", makePNG(t, 100, 101), ErrImageTooBig},
		{"png without pixels", hugePNG(0, 10), ErrDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultPolicy()
			p.MaxPixels = 100 * 100
			_, err := p.Check("bild", tt.data)
			wantID(t, err, tt.wantID)
		})
	}
}

func near(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	diff := func(got uint32, want uint8) bool {
		d := int(got>>8) - int(want)
		return d > -40 && d < 40
	}

	return diff(r, want.R) && diff(g, want.G) && diff(b, want.B)
}
