package letter

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/bidi"
)

// A PDF draws every string from left to right, so right-to-left text is put
// into visual order here, one line at a time after wrapping, as the Unicode
// bidirectional algorithm asks. Without explicit embeddings the levels are
// only 0, 1 and 2, which is all the reordering below has to handle.

// hasRTL reports whether s contains a right-to-left character.
func hasRTL(s string) bool {
	for _, r := range s {
		if unicode.In(r, unicode.Arabic, unicode.Hebrew) {
			return true
		}
	}

	return false
}

// The invisible marks that set direction: left-to-right and right-to-left.
const (
	lrm = "\u200e"
	rlm = "\u200f"
)

// isolateLTR makes s, a case number or code inside a translated sentence, read
// as one left-to-right unit even among Arabic words; without it 2026-000123
// would show as 000123-2026.
func isolateLTR(s string) string {
	return lrm + s
}

func stripMarks(s string) string {
	if !strings.ContainsAny(s, lrm+rlm) {
		return s
	}

	return strings.ReplaceAll(strings.ReplaceAll(s, lrm, ""), rlm, "")
}

type run struct {
	text string
	rtl  bool
}

// visual returns one line of logical text in the order it is drawn from left
// to right; rtl is the direction of the paragraph the line belongs to. A line
// without right-to-left characters comes back unchanged but for the marks.
func visual(line string, rtl bool) string {
	if !hasRTL(line) {
		return stripMarks(line)
	}

	runs, ok := bidiRuns(line, rtl)
	if !ok {
		return line
	}

	if !rtl {
		runs = attachNumbers(runs)
	}

	var b strings.Builder
	b.Grow(len(line))
	for i := range runs {
		r := runs[i]
		if rtl {
			r = runs[len(runs)-1-i]
		}
		if r.rtl {
			b.WriteString(reverseRTL(r.text))
		} else {
			b.WriteString(r.text)
		}
	}

	return b.String()
}

// bidiRuns splits line into runs of one direction, in logical order. A mark of
// the paragraph's direction in front makes the line keep that direction even
// when it starts with a word of the other.
func bidiRuns(line string, rtl bool) ([]run, bool) {
	mark := lrm
	if rtl {
		mark = rlm
	}

	var p bidi.Paragraph
	if _, err := p.SetString(mark + line); err != nil {
		return nil, false
	}

	o, err := p.Order()
	if err != nil {
		return nil, false
	}

	runs := make([]run, 0, o.NumRuns())
	for i := 0; i < o.NumRuns(); i++ {
		r := o.Run(i)
		text := stripMarks(r.String())
		if text != "" {
			runs = append(runs, run{text: text, rtl: r.Direction() == bidi.RightToLeft})
		}
	}

	return runs, true
}

// attachNumbers handles a left-to-right paragraph: a number right after
// right-to-left text sits at level 2 inside it, so the two are reversed as one
// block, which keeps the number where a reader of that text expects it.
func attachNumbers(runs []run) []run {
	out := make([]run, 0, len(runs))
	for _, r := range runs {
		n := len(out)
		if !r.rtl && n > 0 && out[n-1].rtl && isNumber(r.text) {
			out[n-1].text += r.text
			continue
		}
		out = append(out, r)
	}

	return out
}

// isNumber reports whether s is a number: digits and the separators numbers
// use, starting with a digit.
func isNumber(s string) bool {
	for i, r := range s {
		if !unicode.IsDigit(r) && (i == 0 || !strings.ContainsRune(".,:/-", r)) {
			return false
		}
	}

	return s != ""
}

// mirrored maps the characters that a right-to-left run shows mirrored.
var mirrored = map[rune]rune{
	'(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{',
	'<': '>', '>': '<', '«': '»', '»': '«', '‹': '›', '›': '‹',
}

// reverseRTL reverses a right-to-left run character by character, mirroring
// brackets, and keeps each mark (a vowel sign) after the letter it belongs to:
// the font draws a mark over the glyph before it. A run of digits inside is
// kept in its own order, since numbers read left to right in Arabic too.
func reverseRTL(s string) string {
	in := []rune(s)
	out := make([]rune, 0, len(in))
	for end := len(in); end > 0; {
		start := clusterStart(in, end)
		if m, ok := mirrored[in[start]]; ok && end-start == 1 {
			out = append(out, m)
		} else {
			out = append(out, in[start:end]...)
		}
		end = start
	}

	return string(out)
}

// clusterStart returns where the unit ending at end begins: a letter with its
// marks, or a whole run of digits.
func clusterStart(in []rune, end int) int {
	start := end - 1
	if unicode.IsDigit(in[start]) {
		for start > 0 && unicode.IsDigit(in[start-1]) {
			start--
		}
		return start
	}

	for start > 0 && unicode.Is(unicode.Mn, in[start]) {
		start--
	}

	return start
}
