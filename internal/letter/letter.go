// Package letter prints letters to citizens as one PDF: the layout of DIN 5008
// form B with the city's letterhead and the address window of a window
// envelope, the case number and date, the text, and a box with the tracking
// code, the QR code of the access link and the short address to type instead.
// It knows tickets only by the values it is handed, so a handler and a
// background job can both use it.
package letter

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/anliegen/anliegen/internal/i18n"
)

//go:embed fonts/DejaVuSans.ttf fonts/DejaVuSans-Bold.ttf
var fonts embed.FS

// Letterhead is the sender printed on every letter, from the configuration
// options ANLIEGEN_LETTERHEAD_NAME, ANLIEGEN_LETTERHEAD_ADDRESS and
// ANLIEGEN_LETTERHEAD_CONTACT.
type Letterhead struct {
	Name    string // the authority, e.g. "Stadt Musterstadt – Bürgerservice"
	Address string // the postal address in one line, e.g. "Markt 1, 12345 Musterstadt"
	Contact string // how to reach it, e.g. "Telefon 01234 567-0 · buergerservice@…"
}

// Letter is one letter to a citizen. The fixed parts are printed in the
// language of Localizer, whose direction also sets the text's.
type Letter struct {
	Localizer   *i18n.Localizer
	CaseNumber  string
	Date        time.Time // printed as it is; convert to the city's time zone first
	Recipient   []string  // name and address lines for the window, at most six
	Subject     string
	Body        string // paragraphs separated by blank lines
	Code        string // the tracking code in its display form
	AccessURL   string // the access link, which the QR code carries
	TrackingURL string // the short address <base>/t/<code> to type instead
}

// ErrNoLetters is returned by Render for an empty list.
var ErrNoLetters = errors.New("render letters: no letter")

// Render writes letters as one PDF to w, each starting on a new page and
// numbering its own pages.
func Render(w io.Writer, letters []Letter, head Letterhead) error {
	if len(letters) == 0 {
		return ErrNoLetters
	}

	pdf, err := newPDF()
	if err != nil {
		return err
	}

	for i, l := range letters {
		if err := newLetterWriter(pdf, head, l, i).write(); err != nil {
			return fmt.Errorf("render letter %d: %w", i+1, err)
		}
	}

	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("render letters: %w", err)
	}

	return nil
}

// newPDF starts an A4 document in millimetres with the embedded fonts.
func newPDF() (*fpdf.Fpdf, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetCreator("Anliegen", true)

	for _, f := range []struct{ style, name string }{
		{"", "DejaVuSans"},
		{"B", "DejaVuSans-Bold"},
	} {
		ttf, err := fonts.ReadFile("fonts/" + f.name + ".ttf")
		if err != nil {
			return nil, fmt.Errorf("letter font %s: %w", f.name, err)
		}
		pdf.AddUTF8FontFromBytes(fontFamily, f.style, ttf)
	}

	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("letter fonts: %w", err)
	}

	return pdf, nil
}
