package letter

import (
	"errors"
	"fmt"

	"codeberg.org/go-pdf/fpdf"
)

var errNoLocalizer = errors.New("letter has no localizer")

// letterWriter draws one letter into a document.
type letterWriter struct {
	pdf   *fpdf.Fpdf
	head  Letterhead
	l     Letter
	rtl   bool
	index int
}

// placed is a line of the text on its page; y is the line's top.
type placed struct {
	page int
	y    float64
	text string
}

// plan is where everything goes, worked out before anything is drawn so that
// every page can say how many pages the letter has.
type plan struct {
	subject []string
	body    []placed
	box     *box
	pages   int
}

func newLetterWriter(pdf *fpdf.Fpdf, head Letterhead, l Letter, index int) *letterWriter {
	w := &letterWriter{pdf: pdf, head: head, l: l, index: index}
	if l.Localizer != nil {
		w.rtl = l.Localizer.Dir == "rtl"
	}

	return w
}

func (w *letterWriter) t(id string, args ...any) string {
	return prepare(w.l.Localizer.T(id, args...))
}

func (w *letterWriter) write() error {
	if w.l.Localizer == nil {
		return errNoLocalizer
	}

	p, err := w.plan()
	if err != nil {
		return err
	}

	for page := 1; page <= p.pages; page++ {
		w.pdf.AddPage()
		if page == 1 {
			w.firstPage(p.subject)
		} else {
			w.pageHeader()
		}

		w.drawBody(p.body, page)
		if p.box != nil && p.box.page == page {
			w.drawBox(p.box)
		}
		w.footer(page, p.pages)
	}

	if err := w.pdf.Error(); err != nil {
		return fmt.Errorf("draw: %w", err)
	}

	return nil
}

func (w *letterWriter) plan() (plan, error) {
	var p plan
	w.font("B", bodySize)
	p.subject = paragraphs(prepare(w.l.Subject), textWidth, w.pdf.GetStringWidth)

	w.font("", bodySize)
	lines := paragraphs(prepare(w.l.Body), textWidth, w.pdf.GetStringWidth)
	top := subjectTop + float64(len(p.subject)+2)*lineH
	var y float64
	p.body, p.pages, y = placeLines(lines, top)

	if w.l.Code == "" {
		return p, nil
	}

	b, err := w.planBox()
	if err != nil {
		return plan{}, err
	}

	b.page, b.y = p.pages, y+lineH
	if b.y+b.height > bodyBottom {
		b.page, b.y = p.pages+1, nextTop
	}
	p.box, p.pages = b, b.page

	return p, nil
}

// placeLines puts the wrapped text on pages starting at top on the first; it
// returns the lines, the last page and where the text ends on it. A blank line
// at the top of a page is dropped. Paragraphs, the runs of lines between blank
// ones, break across pages only with at least two lines on either side: a
// paragraph whose first line alone would fit goes to the next page, and one
// that would leave its last line alone there takes a line along.
func placeLines(lines []string, top float64) ([]placed, int, float64) {
	out := make([]placed, 0, len(lines))
	page, y := 1, top
	for i := 0; i < len(lines); {
		if lines[i] == "" {
			if y+lineH > bodyBottom {
				page, y = page+1, nextTop
			}
			if y != nextTop || page == 1 {
				y += lineH
			}
			i++
			continue
		}

		end := i
		for end < len(lines) && lines[end] != "" {
			end++
		}
		for i < end {
			n := pageShare(end-i, linesLeft(y), y == nextTop && page > 1)
			if n == 0 {
				page, y = page+1, nextTop
				continue
			}
			for _, s := range lines[i : i+n] {
				out = append(out, placed{page: page, y: y, text: s})
				y += lineH
			}
			i += n
			if i < end {
				page, y = page+1, nextTop
			}
		}
	}

	return out, page, y
}

// linesLeft is how many lines fit on the page from y.
func linesLeft(y float64) int {
	n := 0
	for y+float64(n+1)*lineH <= bodyBottom+1e-9 {
		n++
	}

	return n
}

// pageShare is how many of a paragraph's rest lines go on a page with room for
// room lines: all that fit, but never a single line on either side of the
// break. A fresh page takes what fits whatever is left, so that a paragraph
// longer than a page still goes on.
func pageShare(rest, room int, fresh bool) int {
	if rest <= room {
		return rest
	}

	n := room
	if rest-n == 1 {
		n-- // the last line would stand alone on the next page
	}
	if n < 2 && !fresh {
		return 0 // the first line would stand alone here
	}

	return max(n, 1)
}

func (w *letterWriter) drawBody(lines []placed, page int) {
	w.font("", bodySize)
	for _, l := range lines {
		if l.page == page {
			w.start(marginLeft, l.y+baseline, textWidth, l.text)
		}
	}
}

// font sets the type; style is "" or "B".
func (w *letterWriter) font(style string, size float64) {
	w.pdf.SetFont(fontFamily, style, size)
}

// start draws a prepared line at baseline y in the column from x of width,
// aligned to where the letter's language starts a line.
func (w *letterWriter) start(x, y, width float64, s string) {
	s = visual(s, w.rtl)
	if w.rtl {
		x += width - w.pdf.GetStringWidth(s)
	}
	w.pdf.Text(x, y, s)
}

// end draws a prepared line aligned to where the letter's language ends one.
func (w *letterWriter) end(x, y, width float64, s string) {
	s = visual(s, w.rtl)
	if !w.rtl {
		x += width - w.pdf.GetStringWidth(s)
	}
	w.pdf.Text(x, y, s)
}

// left draws a prepared line from x whatever the language: the address window
// and letterhead keep their place on the paper.
func (w *letterWriter) left(x, y float64, s string) {
	w.pdf.Text(x, y, visual(s, w.rtl))
}

// fit shrinks the current font until s fits width, down to minFontSize; it
// returns the size chosen.
func (w *letterWriter) fit(style string, size, width float64, s string) float64 {
	w.font(style, size)
	for size > minFontSize && w.pdf.GetStringWidth(s) > width {
		size -= 0.5
		w.font(style, size)
	}

	return size
}
