package letter

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// measure returns the width of s in millimetres in the current font.
type measure func(s string) float64

// prepare turns text into what the font draws, still in logical order: composed
// characters (a Vietnamese letter with two marks is one glyph in the font),
// no control characters, Arabic letters in their contextual forms.
func prepare(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)

	return shapeArabic(norm.NFC.String(s))
}

// paragraphs wraps a prepared text to lines of at most width; a blank line
// separates paragraphs and a single line break is kept as one.
func paragraphs(text string, width float64, m measure) []string {
	var out []string
	blank := true
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			if !blank {
				out = append(out, "")
			}
			blank = true
			continue
		}

		out = append(out, wrap(line, width, m)...)
		blank = false
	}

	return out
}

// wrap breaks one line of text at spaces into lines of at most width; a word
// longer than a line is broken between characters.
func wrap(line string, width float64, m measure) []string {
	var out []string
	cur := ""
	for _, word := range strings.Fields(line) {
		next := word
		if cur != "" {
			next = cur + " " + word
		}
		if m(next) <= width {
			cur = next
			continue
		}

		if cur != "" {
			out = append(out, cur)
		}
		pieces := breakWord(word, width, m)
		out = append(out, pieces[:len(pieces)-1]...)
		cur = pieces[len(pieces)-1]
	}

	if cur != "" {
		out = append(out, cur)
	}

	return out
}

// breakWord splits a word into pieces that each fit width; the last piece may
// be joined by the words that follow.
func breakWord(word string, width float64, m measure) []string {
	if m(word) <= width {
		return []string{word}
	}

	var out []string
	cur := []rune{}
	for _, r := range word {
		if len(cur) > 0 && m(string(append(cur, r))) > width {
			out = append(out, string(cur))
			cur = cur[:0]
		}
		cur = append(cur, r)
	}

	return append(out, string(cur))
}
