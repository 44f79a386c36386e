package letter_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/letter"
	"github.com/anliegen/anliegen/locales"
)

const (
	testCase   = "2026-000123"
	testCode   = "K7QF-M20X-9PQ1-4HTR-P"
	testShort  = "https://anliegen.example.org/t/K7QFM20X9PQ14HTRP"
	testAccess = "https://anliegen.example.org/a/3q2-7wX0rV8nQ1sT5uY9zA"
)

var testHead = letter.Letterhead{
	Name:    "Stadt Musterstadt – Bürgerservice",
	Address: "Markt 1, 12345 Musterstadt",
	Contact: "Telefon 01234 567-0 · buergerservice@musterstadt.example",
}

func bundle(t testing.TB) *i18n.Bundle {
	t.Helper()
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatalf("load locales: %v", err)
	}

	return b
}

// sample is a letter in language tag with body as its text.
func sample(b *i18n.Bundle, tag, body string) letter.Letter {
	return letter.Letter{
		Localizer:   b.Localizer(tag),
		CaseNumber:  testCase,
		Date:        time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC),
		Recipient:   []string{"Erika Mustermann", "Lindenweg 7", "12345 Musterstadt"},
		Subject:     "Schlagloch in der Hauptstraße",
		Body:        body,
		Code:        testCode,
		AccessURL:   testAccess,
		TrackingURL: testShort,
	}
}

// pdftotext returns the text of pdf, pages separated by form feeds. Without
// poppler-utils the test is skipped, except in CI, where it must be there.
func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext (poppler-utils) is missing in CI")
		}
		t.Skip("pdftotext (poppler-utils) is not installed")
	}

	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}

	out, err := exec.Command(tool, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}

	return string(out)
}

func render(t testing.TB, letters []letter.Letter) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := letter.Render(&buf, letters, testHead); err != nil {
		t.Fatalf("render: %v", err)
	}

	return buf.Bytes()
}

var spaces = regexp.MustCompile(`\s+`)

// TestLanguages renders a letter in each language and reads it back as a
// person would: case number, code, the short address, the labels in the
// letter's language and the body text.
func TestLanguages(t *testing.T) {
	b := bundle(t)
	cases := []struct {
		tag, body string
		labels    []string
	}{
		{"de", "Wir reparieren das Schlagloch nächste Woche.", []string{
			"Ihr Aktenzeichen", "Datum", "09.03.2026", "Ihr Code für den Bearbeitungsstand",
		}},
		{"en", "We will repair the pothole next week.", []string{
			"Your case reference", "Date", "Your code to check progress",
		}},
		{"uk", "Ми відремонтуємо вибоїну наступного тижня.", []string{
			"Ваш номер справи", "Дата", "Ваш код для перевірки стану розгляду",
		}},
		{"vi", "Chúng tôi sẽ sửa ổ gà vào tuần tới.", []string{
			"Số hồ sơ của quý vị", "Ngày", "Mã tra cứu tình trạng xử lý của quý vị",
		}},
	}
	for _, c := range cases {
		t.Run(c.tag, func(t *testing.T) {
			pdf := render(t, []letter.Letter{sample(b, c.tag, c.body)})
			text := spaces.ReplaceAllString(pdftotext(t, pdf), " ")
			want := append([]string{testCase, testCode, testShort, "Erika Mustermann",
				"Stadt Musterstadt", c.body}, c.labels...)
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("the letter lacks %q; its text is:\n%s", w, text)
				}
			}
			wantPages(t, pdf, 1)
			wantA4(t, pdf)
			wantImage(t, pdf)
		})
	}
}

// TestPagesAndSeveralLetters gives a long text, which must break onto
// numbered pages, and prints two letters as one PDF, each starting anew.
func TestPagesAndSeveralLetters(t *testing.T) {
	b := bundle(t)
	para := strings.Repeat("Dies ist ein langer Absatz über den Stand der Arbeiten. ", 12)
	long := strings.TrimSpace(strings.Repeat(para+"\n\n", 12))
	short := sample(b, "en", "A short letter.")
	short.CaseNumber = "2026-000999"

	pdf := render(t, []letter.Letter{sample(b, "de", long), short})
	text := pdftotext(t, pdf)
	pages := strings.Split(strings.TrimRight(text, "\f"), "\f")
	if len(pages) < 3 {
		t.Fatalf("want the long letter on at least 2 pages and the short one on 1, got %d",
			len(pages))
	}

	n := len(pages) - 1
	for i, p := range pages[:n] {
		want := "Seite " + strconv.Itoa(i+1) + " von " + strconv.Itoa(n)
		if !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
	if !strings.Contains(pages[n-1], testCode) {
		t.Errorf("the code box is not on the long letter's last page %d", n)
	}
	if last := pages[n]; !strings.Contains(last, "2026-000999") ||
		!strings.Contains(last, "Your case reference") || strings.Contains(last, "Seite") {
		t.Errorf("the second letter does not start on a page of its own:\n%s", last)
	}
	wantPages(t, pdf, len(pages))
}

// TestArabic prints the fixed parts right to left with joined letters: the
// text read back holds the Arabic label, whichever order pdftotext puts it in.
func TestArabic(t *testing.T) {
	b := bundle(t)
	body := "سنصلح الحفرة في الأسبوع القادم."
	pdf := render(t, []letter.Letter{sample(b, "ar", body)})
	text := pdftotext(t, pdf)
	for _, w := range []string{testCase, testCode, testShort} {
		if !strings.Contains(text, w) {
			t.Errorf("the Arabic letter lacks %q", w)
		}
	}

	wantArabic(t, text, b.Localizer("ar").T("letter_case_number"))
	wantArabic(t, text, "الحفرة")
}

// TestNoLetters wants an error rather than an empty document.
func TestNoLetters(t *testing.T) {
	if err := letter.Render(&bytes.Buffer{}, nil, testHead); err == nil {
		t.Error("want an error for no letters")
	}
}

// BenchmarkLetter renders one complete letter; the aim is well under 100 ms.
func BenchmarkLetter(b *testing.B) {
	bun := bundle(b)
	l := sample(bun, "de", strings.Repeat("Ein Absatz mit etwas Text für den Brief. ", 20))
	for b.Loop() {
		var buf bytes.Buffer
		if err := letter.Render(&buf, []letter.Letter{l}, testHead); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLetterBatch renders 20 letters as one PDF, as a day's letters are
// printed, and reports the time per letter.
func BenchmarkLetterBatch(b *testing.B) {
	bun := bundle(b)
	letters := make([]letter.Letter, 20)
	for i := range letters {
		letters[i] = sample(bun, "de", strings.Repeat("Ein Absatz für den Brief. ", 30))
	}

	for b.Loop() {
		var buf bytes.Buffer
		if err := letter.Render(&buf, letters, testHead); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(letters)), "ms/letter")
}

var pageCount = regexp.MustCompile(`/Type /Page\b[^s]`)

func wantPages(t *testing.T, pdf []byte, n int) {
	t.Helper()
	if got := len(pageCount.FindAll(pdf, -1)); got != n {
		t.Errorf("want %d pages in the PDF, got %d", n, got)
	}
}

var mediaBox = regexp.MustCompile(`/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]`)

// wantA4 checks the page size, 210 × 297 mm in points.
func wantA4(t *testing.T, pdf []byte) {
	t.Helper()
	m := mediaBox.FindSubmatch(pdf)
	if m == nil {
		t.Fatal("the PDF has no MediaBox")
	}
	if w, h := string(m[1]), string(m[2]); !strings.HasPrefix(w, "595.2") ||
		!strings.HasPrefix(h, "841.8") {
		t.Errorf("want an A4 page of 595.28 × 841.89 pt, got %s × %s", w, h)
	}
}

// wantImage checks that the PDF carries an image, the QR code: no QR decoder
// is at hand, so the short address beside it is what the text test reads.
func wantImage(t *testing.T, pdf []byte) {
	t.Helper()
	if !bytes.Contains(pdf, []byte("/Subtype /Image")) {
		t.Error("the PDF has no image; the QR code is missing")
	}
}

// wantArabic checks that text holds the Arabic word w: pdftotext gives the
// presentation forms the PDF draws, in visual or logical order, which is
// compared with w after both are folded to plain letters without vowel signs.
func wantArabic(t *testing.T, text, w string) {
	t.Helper()
	text, w = plainArabic(text), plainArabic(w)
	if !strings.Contains(text, w) && !strings.Contains(text, reverse(w)) {
		t.Errorf("the text lacks the Arabic %q in either order:\n%s", w, text)
	}
}

func plainArabic(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, norm.NFKC.String(s))
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}

	return string(r)
}
