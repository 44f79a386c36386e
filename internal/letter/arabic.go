package letter

import "unicode"

// PDF fonts draw one glyph per character and know nothing of Arabic shaping, so
// Arabic letters are replaced here by the contextual forms of Unicode's Arabic
// Presentation Forms-B, which DejaVu Sans draws. This covers the letters of
// Arabic itself; letters of Persian or Urdu keep their isolated form.

// arabicForms lists, per Arabic letter, its isolated, final, initial and medial
// forms; a letter that joins only to the preceding one has no initial and
// medial form.
var arabicForms = map[rune][4]rune{
	0x0621: {0xFE80, 0, 0, 0},
	0x0622: {0xFE81, 0xFE82, 0, 0},
	0x0623: {0xFE83, 0xFE84, 0, 0},
	0x0624: {0xFE85, 0xFE86, 0, 0},
	0x0625: {0xFE87, 0xFE88, 0, 0},
	0x0626: {0xFE89, 0xFE8A, 0xFE8B, 0xFE8C},
	0x0627: {0xFE8D, 0xFE8E, 0, 0},
	0x0628: {0xFE8F, 0xFE90, 0xFE91, 0xFE92},
	0x0629: {0xFE93, 0xFE94, 0, 0},
	0x062A: {0xFE95, 0xFE96, 0xFE97, 0xFE98},
	0x062B: {0xFE99, 0xFE9A, 0xFE9B, 0xFE9C},
	0x062C: {0xFE9D, 0xFE9E, 0xFE9F, 0xFEA0},
	0x062D: {0xFEA1, 0xFEA2, 0xFEA3, 0xFEA4},
	0x062E: {0xFEA5, 0xFEA6, 0xFEA7, 0xFEA8},
	0x062F: {0xFEA9, 0xFEAA, 0, 0},
	0x0630: {0xFEAB, 0xFEAC, 0, 0},
	0x0631: {0xFEAD, 0xFEAE, 0, 0},
	0x0632: {0xFEAF, 0xFEB0, 0, 0},
	0x0633: {0xFEB1, 0xFEB2, 0xFEB3, 0xFEB4},
	0x0634: {0xFEB5, 0xFEB6, 0xFEB7, 0xFEB8},
	0x0635: {0xFEB9, 0xFEBA, 0xFEBB, 0xFEBC},
	0x0636: {0xFEBD, 0xFEBE, 0xFEBF, 0xFEC0},
	0x0637: {0xFEC1, 0xFEC2, 0xFEC3, 0xFEC4},
	0x0638: {0xFEC5, 0xFEC6, 0xFEC7, 0xFEC8},
	0x0639: {0xFEC9, 0xFECA, 0xFECB, 0xFECC},
	0x063A: {0xFECD, 0xFECE, 0xFECF, 0xFED0},
	0x0641: {0xFED1, 0xFED2, 0xFED3, 0xFED4},
	0x0642: {0xFED5, 0xFED6, 0xFED7, 0xFED8},
	0x0643: {0xFED9, 0xFEDA, 0xFEDB, 0xFEDC},
	0x0644: {0xFEDD, 0xFEDE, 0xFEDF, 0xFEE0},
	0x0645: {0xFEE1, 0xFEE2, 0xFEE3, 0xFEE4},
	0x0646: {0xFEE5, 0xFEE6, 0xFEE7, 0xFEE8},
	0x0647: {0xFEE9, 0xFEEA, 0xFEEB, 0xFEEC},
	0x0648: {0xFEED, 0xFEEE, 0, 0},
	0x0649: {0xFEEF, 0xFEF0, 0, 0},
	0x064A: {0xFEF1, 0xFEF2, 0xFEF3, 0xFEF4},
}

// lamAlef maps the alef that follows a lam to the isolated and final form of
// their obligatory ligature.
var lamAlef = map[rune][2]rune{
	0x0622: {0xFEF5, 0xFEF6},
	0x0623: {0xFEF7, 0xFEF8},
	0x0625: {0xFEF9, 0xFEFA},
	0x0627: {0xFEFB, 0xFEFC},
}

const (
	lam     = 0x0644
	tatweel = 0x0640
)

const (
	formIsolated = iota
	formFinal
	formInitial
	formMedial
)

// hasArabic reports whether s contains a letter that needs shaping.
func hasArabic(s string) bool {
	for _, r := range s {
		if r >= 0x0600 && r <= 0x06FF {
			return true
		}
	}

	return false
}

// shapeArabic returns s, still in logical order, with every Arabic letter in
// the form its neighbours call for and lam-alef as one ligature.
func shapeArabic(s string) string {
	if !hasArabic(s) {
		return s
	}

	in := []rune(s)
	out := make([]rune, 0, len(in))
	for i := 0; i < len(in); i++ {
		r := in[i]
		forms, ok := arabicForms[r]
		if !ok {
			out = append(out, r)
			continue
		}

		joinsBefore := joinsForward(neighbour(in, i, -1))
		if lig, ok := lamAlef[at(in, i+1)]; r == lam && ok {
			out = append(out, lig[pick(joinsBefore, formFinal, formIsolated)])
			i++
			continue
		}

		out = append(out, forms[formOf(forms, joinsBefore, joinsBackward(neighbour(in, i, 1)))])
	}

	return string(out)
}

// formOf chooses among a letter's forms by whether it joins the letters
// before and after it.
func formOf(forms [4]rune, before, after bool) int {
	before = before && forms[formFinal] != 0
	after = after && forms[formInitial] != 0
	switch {
	case before && after:
		return formMedial
	case before:
		return formFinal
	case after:
		return formInitial
	default:
		return formIsolated
	}
}

// neighbour returns the nearest rune before (step -1) or after (step 1) index
// i that is not a vowel sign or other mark, which joining looks through.
func neighbour(in []rune, i, step int) rune {
	for j := i + step; j >= 0 && j < len(in); j += step {
		if !unicode.Is(unicode.Mn, in[j]) {
			return in[j]
		}
	}

	return 0
}

// joinsForward reports whether r connects to the letter that follows it.
func joinsForward(r rune) bool {
	return r == tatweel || arabicForms[r][formInitial] != 0
}

// joinsBackward reports whether r connects to the letter that precedes it.
func joinsBackward(r rune) bool {
	f, ok := arabicForms[r]
	return r == tatweel || (ok && f[formFinal] != 0)
}

func at(in []rune, i int) rune {
	if i < len(in) {
		return in[i]
	}

	return 0
}

func pick(cond bool, yes, no int) int {
	if cond {
		return yes
	}

	return no
}
