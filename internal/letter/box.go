package letter

import (
	"bytes"
	"fmt"
	"strconv"

	"codeberg.org/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"
)

// The box with the tracking code: the QR code on the side where lines start,
// the texts beside it.
const (
	boxPad      = 4.0
	qrSize      = 32.0
	qrScale     = 8 // pixels per QR module
	titleSize   = 10.0
	titleLineH  = 4.6
	codeSize    = 14.0
	codeLineH   = 7.5
	hintSize    = 8.5
	hintLineH   = 3.8
	urlSize     = 10.0
	urlLineH    = 5.5
	columnWidth = textWidth - qrSize - 3*boxPad
)

// box is the planned tracking box: its texts, already wrapped, and its place.
type box struct {
	page   int
	y      float64
	height float64
	title  []string
	scan   []string
	typed  []string
	qr     string // the name the QR image is registered under
}

func (w *letterWriter) planBox() (*box, error) {
	b := &box{qr: "qr" + strconv.Itoa(w.index)}
	if err := w.registerQR(b.qr); err != nil {
		return nil, err
	}

	w.font("B", titleSize)
	b.title = wrap(w.t("letter_code_title"), columnWidth, w.pdf.GetStringWidth)
	w.font("", hintSize)
	b.scan = paragraphs(w.t("letter_code_scan"), columnWidth, w.pdf.GetStringWidth)
	b.typed = paragraphs(w.t("letter_code_type"), columnWidth, w.pdf.GetStringWidth)

	text := float64(len(b.title))*titleLineH + codeLineH + urlLineH +
		float64(len(b.scan)+len(b.typed))*hintLineH + 2
	b.height = max(qrSize, text) + 2*boxPad

	return b, nil
}

// registerQR adds the QR code of the access link to the document as a PNG.
func (w *letterWriter) registerQR(name string) error {
	q, err := qrcode.New(w.l.AccessURL, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("qr code: %w", err)
	}

	png, err := q.PNG(-qrScale)
	if err != nil {
		return fmt.Errorf("qr code: %w", err)
	}

	opts := fpdf.ImageOptions{ImageType: "PNG"}
	w.pdf.RegisterImageOptionsReader(name, opts, bytes.NewReader(png))
	if err := w.pdf.Error(); err != nil {
		return fmt.Errorf("qr code: %w", err)
	}

	return nil
}

func (w *letterWriter) drawBox(b *box) {
	w.pdf.SetDrawColor(90, 90, 90)
	w.pdf.SetLineWidth(0.3)
	w.pdf.Rect(marginLeft, b.y, textWidth, b.height, "D")

	qrX, colX := marginLeft+boxPad, marginLeft+qrSize+2*boxPad
	if w.rtl {
		qrX, colX = marginLeft+textWidth-boxPad-qrSize, marginLeft+boxPad
	}
	w.pdf.ImageOptions(b.qr, qrX, b.y+boxPad, qrSize, qrSize, false,
		fpdf.ImageOptions{ImageType: "PNG"}, 0, "")

	y := b.y + boxPad
	w.font("B", titleSize)
	y = w.lines(colX, y, titleLineH, b.title)

	w.font("B", codeSize)
	w.start(colX, y+5.5, columnWidth, w.l.Code)
	y += codeLineH

	w.font("", hintSize)
	y = w.lines(colX, y, hintLineH, b.scan) + 2
	y = w.lines(colX, y, hintLineH, b.typed)

	w.fit("B", urlSize, columnWidth, w.l.TrackingURL)
	w.start(colX, y+4, columnWidth, w.l.TrackingURL)
}

// lines draws lines in the current font from top y in the box's column and
// returns the top of the line after them.
func (w *letterWriter) lines(x, y, lineHeight float64, lines []string) float64 {
	for _, s := range lines {
		w.start(x, y+lineHeight*0.8, columnWidth, s)
		y += lineHeight
	}

	return y
}
