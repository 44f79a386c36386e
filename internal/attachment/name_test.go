package attachment

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFileName(t *testing.T) {
	long := strings.Repeat("ä", 300)
	tests := []struct {
		name, in, ext, want string
	}{
		{"plain", "Schlagloch.jpg", ".jpg", "Schlagloch.jpg"},
		{"path traversal", "../../etc/passwd.jpg", ".jpg", "passwd.jpg"},
		{"windows path", `C:\Users\erika\Bilder\Baum.png`, ".png", "Baum.png"},
		{"extension from type", "rechnung.exe", ".pdf", "rechnung.pdf"},
		{"upper case extension", "FOTO.JPEG", ".jpg", "FOTO.jpg"},
		{"no extension", "Scan vom Amt", ".pdf", "Scan vom Amt.pdf"},
		{"dot that is no extension", "Hauptstr. 5", ".jpg", "Hauptstr. 5.jpg"},
		{"date that is no extension", "Bericht 2024.03", ".pdf", "Bericht 2024.03.pdf"},
		{"two extensions", "bild.php.jpg", ".jpg", "bild.php.jpg"},
		{"control characters", "a\x00b\nc\td\x7f.png", ".png", "abcd.png"},
		{"bidi override", "foto\u202Egpj.exe", ".jpg", "fotogpj.jpg"},
		{"invalid utf-8", "Stra\xdfe.pdf", ".pdf", "Stra_e.pdf"},
		{"accents and apostrophes", "Zoë O'Brien – Müllabfuhr.pdf", ".pdf",
			"Zoë O'Brien – Müllabfuhr.pdf"},
		{"empty", "", ".png", "attachment.png"},
		{"only extension", ".jpg", ".jpg", "attachment.jpg"},
		{"only dots", "..", ".pdf", "attachment.pdf"},
		{"trailing slash", "bilder/", ".jpg", "attachment.jpg"},
		{"only control characters", "\x01\x02", ".jpg", "attachment.jpg"},
		{"very long", long + ".jpg", ".jpg", strings.Repeat("ä", 196) + ".jpg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fileName(tt.in, tt.ext)
			if got != tt.want {
				t.Errorf("fileName(%q, %q) = %q, want %q", tt.in, tt.ext, got, tt.want)
			}

			if n := utf8.RuneCountInString(got); n > maxNameRunes {
				t.Errorf("fileName(%q) has %d characters, want at most %d", tt.in, n, maxNameRunes)
			}
		})
	}
}

func TestCheckCleansName(t *testing.T) {
	f, err := DefaultPolicy().Check("../../etc/passwd.jpg", makePNG(t, 8, 8))
	wantID(t, err, "")

	if f.Name != "passwd.png" {
		t.Errorf("Name = %q, want %q", f.Name, "passwd.png")
	}
}
