package letter

import "strconv"

// firstPage draws what only the first page has: marks, letterhead, address
// window, information block and subject.
func (w *letterWriter) firstPage(subject []string) {
	w.marks()
	w.letterhead()
	w.window()
	w.info()

	w.font("B", bodySize)
	for i, s := range subject {
		w.start(marginLeft, subjectTop+float64(i)*lineH+baseline, textWidth, s)
	}
}

// marks draws the fold marks for a window envelope and the punch mark at the
// left edge.
func (w *letterWriter) marks() {
	w.pdf.SetDrawColor(120, 120, 120)
	w.pdf.SetLineWidth(0.2)
	for _, y := range []float64{foldTop, foldBottom} {
		w.pdf.Line(4, y, 8, y)
	}
	w.pdf.Line(4, holeMark, 10, holeMark)
	w.pdf.SetDrawColor(0, 0, 0)
}

func (w *letterWriter) letterhead() {
	w.fit("B", headSize, textWidth, prepare(w.head.Name))
	w.left(marginLeft, headNameY, prepare(w.head.Name))

	w.pdf.SetTextColor(60, 60, 60)
	w.fit("", headSubSize, textWidth, prepare(w.head.Address))
	w.left(marginLeft, headAddressY, prepare(w.head.Address))
	w.fit("", headSubSize, textWidth, prepare(w.head.Contact))
	w.left(marginLeft, headContactY, prepare(w.head.Contact))
	w.pdf.SetTextColor(0, 0, 0)
}

// window fills the address window: the return address in small type above a
// hairline, then the recipient.
func (w *letterWriter) window() {
	inner := windowWidth - 2*(marginLeft-windowLeft)
	back := w.head.Name
	if w.head.Address != "" {
		back += " · " + w.head.Address
	}
	back = prepare(back)

	w.fit("", returnSize, inner, back)
	w.left(marginLeft, returnY, back)
	w.pdf.SetLineWidth(0.1)
	w.pdf.Line(marginLeft, returnY+1, marginLeft+inner, returnY+1)

	w.font("", bodySize)
	for i, line := range w.l.Recipient {
		if i == addressLines {
			break
		}
		line = prepare(line)
		w.fit("", bodySize, inner, line)
		w.left(marginLeft, addressTop+float64(i+1)*addressLineH, line)
	}
}

// info draws the information block: the case number and the date, each a
// small label above its value.
func (w *letterWriter) info() {
	date := w.l.Date.Format(w.l.Localizer.T("format_date"))
	entries := [][2]string{
		{w.t("letter_case_number"), w.l.CaseNumber},
		{w.t("letter_date"), date},
	}

	for i, e := range entries {
		y := infoTop + float64(i)*infoStep
		w.pdf.SetTextColor(80, 80, 80)
		w.fit("", smallSize, infoWidth, e[0])
		w.start(infoLeft, y+3, infoWidth, e[0])

		w.pdf.SetTextColor(0, 0, 0)
		w.font("", bodySize)
		w.start(infoLeft, y+7.5, infoWidth, prepare(e[1]))
	}
}

// pageHeader draws the short header of a following page: sender and case
// number, so that a loose page finds its letter.
func (w *letterWriter) pageHeader() {
	w.pdf.SetTextColor(80, 80, 80)
	w.font("", footerSize)
	w.start(marginLeft, headerY, textWidth, prepare(w.head.Name))
	w.end(marginLeft, headerY, textWidth, w.t("letter_case_number")+" "+isolateLTR(w.l.CaseNumber))
	w.pdf.SetTextColor(0, 0, 0)
}

// footer numbers the page when the letter has more than one.
func (w *letterWriter) footer(page, pages int) {
	if pages < 2 {
		return
	}

	w.pdf.SetTextColor(80, 80, 80)
	w.font("", footerSize)
	label := w.t("letter_page", "Page", strconv.Itoa(page), "Pages", strconv.Itoa(pages))
	w.end(marginLeft, footerY, textWidth, label)
	w.pdf.SetTextColor(0, 0, 0)
}
