package attachment

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
)

func TestCheckRefuses(t *testing.T) {
	jpg := makeJPEG(t, 64, 48)
	pngData := makePNG(t, 64, 48)
	svg := `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`
	tests := []struct {
		name   string
		file   string
		data   []byte
		policy func(*Policy)
		wantID string
	}{
		{"empty file", "leer.jpg", nil, nil, ErrEmpty},
		{"11 MB file", "gross.pdf", bytes.Repeat([]byte{'%'}, 11<<20), nil, ErrTooLarge},
		{"svg with script", "bild.svg", []byte(svg), nil, ErrType},
		{"svg named jpg", "bild.jpg", []byte(svg), nil, ErrType},
		{"html named jpg", "foto.jpg", []byte("<!DOCTYPE html><html><body>hi</body></html>"),
			nil, ErrType},
		{"gif", "a.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), nil, ErrType},
		{"exe", "setup.jpg", append([]byte("MZ\x90\x00"), make([]byte, 64)...), nil, ErrType},
		{"zip named jpg", "foto.jpg", makeZip(t, "a.txt", 1000), nil, ErrType},
		{"zip bomb", "bomb.zip", makeZip(t, "zeros.bin", 64<<20), nil, ErrType},
		{"truncated jpeg", "halb.jpg", jpg[:len(jpg)/2], nil, ErrDamaged},
		{"truncated png", "halb.png", pngData[:len(pngData)/2], nil, ErrDamaged},
		{"jpeg header only", "kopf.jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0}, nil, ErrDamaged},
		{"png not in policy", "bild.png", pngData, func(p *Policy) {
			p.Types = []string{"image/jpeg", "application/pdf"}
		}, ErrType},
		{"svg in policy", "bild.svg", []byte(svg), func(p *Policy) {
			p.Types = append(p.Types, "image/svg+xml")
		}, ErrType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultPolicy()
			if tt.policy != nil {
				tt.policy(&p)
			}

			_, err := p.Check(tt.file, tt.data)
			e := wantID(t, err, tt.wantID)
			if e.File != cleanName(tt.file) {
				t.Errorf("error File = %q, want %q", e.File, cleanName(tt.file))
			}
		})
	}
}

func TestCheckAccepts(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		data     []byte
		wantType string
		wantName string
	}{
		{"jpeg", "Schlagloch.JPEG", makeJPEG(t, 64, 48), "image/jpeg", "Schlagloch.jpg"},
		{"png", "Plan.png", makePNG(t, 64, 48), "image/png", "Plan.png"},
		{"png named jpg", "Plan.jpg", makePNG(t, 64, 48), "image/png", "Plan.png"},
		{"pdf", "Antrag.pdf", makePDF("1.4", "", "BT ET"), "application/pdf", "Antrag.pdf"},
		{"pdf 2.0", "Antrag", makePDF("2.0", "", "BT ET"), "application/pdf", "Antrag.pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := DefaultPolicy().Check(tt.file, tt.data)
			wantID(t, err, "")
			if f.ContentType != tt.wantType || f.Name != tt.wantName {
				t.Errorf("got %q as %q, want %q as %q",
					f.ContentType, f.Name, tt.wantType, tt.wantName)
			}

			if f.SHA256 != sha256.Sum256(f.Data) {
				t.Errorf("SHA256 is not the checksum of the stored data")
			}
		})
	}
}

func TestCheckAll(t *testing.T) {
	small := makeJPEG(t, 16, 16)
	nine := bytes.Repeat([]byte{0}, 9<<20)
	tests := []struct {
		name      string
		uploads   []Upload
		wantIDs   []string
		wantFiles int
	}{
		{"five files", repeat(Upload{"a.jpg", small}, 5), nil, 5},
		{"six files", repeat(Upload{"a.jpg", small}, 6), []string{ErrTooMany}, 0},
		{"three of 9 MB", repeat(Upload{"scan.pdf", nine}, 3), []string{ErrTotalTooLarge}, 0},
		{"one too large among others", []Upload{
			{"a.jpg", small}, {"b.pdf", bytes.Repeat([]byte{0}, 11<<20)}, {"c.jpg", small},
		}, []string{ErrTooLarge}, 2},
		{"good and bad", []Upload{
			{"a.jpg", small}, {"b.svg", []byte("<svg></svg>")}, {"c.jpg", nil},
			{"d.jpg", small},
		}, []string{ErrType, ErrEmpty}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := DefaultPolicy().CheckAll(tt.uploads)
			if got := errorIDs(t, err); !equalStrings(got, tt.wantIDs) {
				t.Fatalf("error IDs = %q, want %q", got, tt.wantIDs)
			}

			if len(files) != tt.wantFiles {
				t.Errorf("got %d files, want %d", len(files), tt.wantFiles)
			}
		})
	}
}

func TestCheckAllErrorsAs(t *testing.T) {
	_, err := DefaultPolicy().CheckAll([]Upload{{"../geheim/bild.svg", []byte("<svg/>")}})

	var first *Error
	if !errors.As(err, &first) || first.ID != ErrType || first.File != "bild.svg" {
		t.Fatalf("errors.As found %+v in %v, want attachment_type for bild.svg", first, err)
	}

	var all Errors
	if !errors.As(err, &all) || len(all) != 1 {
		t.Fatalf("errors.As(Errors) found %v in %v, want one refusal", all, err)
	}
}

func TestErrorLeavesOutFileName(t *testing.T) {
	err := &Error{ID: ErrDamaged, File: "Attest Erika Mustermann.pdf", Err: errNoPDFTrailer}
	msg := err.Error()
	if strings.Contains(msg, "Mustermann") || !strings.HasPrefix(msg, ErrDamaged) {
		t.Errorf("Error() = %q, want the message ID and cause without the file name", msg)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		change  func(*Policy)
		wantErr bool
	}{
		{"default", func(*Policy) {}, false},
		{"svg", func(p *Policy) { p.Types = append(p.Types, "image/svg+xml") }, true},
		{"gif", func(p *Policy) { p.Types = []string{"image/gif"} }, true},
		{"no pixel limit", func(p *Policy) { p.MaxPixels = 0 }, true},
		{"no file limit", func(p *Policy) { p.MaxFiles = 0 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultPolicy()
			tt.change(&p)
			if err := p.Validate(); (err != nil) != tt.wantErr {
				t.Errorf("Validate() = %v, want error: %v", err, tt.wantErr)
			}
		})
	}
}

func repeat(u Upload, n int) []Upload {
	us := make([]Upload, n)
	for i := range us {
		us[i] = u
	}

	return us
}

func errorIDs(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}

	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("error = %#v, want Errors", err)
	}

	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}

	return ids
}

func equalStrings(a, b []string) bool {
	return strings.Join(a, ",") == strings.Join(b, ",")
}
