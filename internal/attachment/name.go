package attachment

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameRunes is the longest display name kept, extension included.
const maxNameRunes = 200

// cleanName returns the last path element of a name as a browser sent it, without
// control characters or bidirectional overrides, cut to maxNameRunes characters.
// Browsers on Windows have sent whole paths with backslashes, so both separators
// count.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}

	name = strings.ToValidUTF8(name, "_")
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || isBidiControl(r) {
			return -1
		}
		return r
	}, name)

	return truncateRunes(strings.TrimSpace(name), maxNameRunes)
}

// fileName returns the name under which an accepted file is kept: the cleaned
// name with its own extension replaced by ext, the one of the detected type, or
// "attachment" with ext when nothing of the name is left.
func fileName(name, ext string) string {
	stem := strings.TrimRight(stripExt(cleanName(name)), ". ")
	stem = truncateRunes(stem, maxNameRunes-utf8.RuneCountInString(ext))
	if stem == "" {
		stem = "attachment"
	}

	return stem + ext
}

// stripExt drops what looks like an extension: a dot and one to five letters and
// digits with at least one letter, so that "Nr. 5" or "2024.03" keep their ends.
func stripExt(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return name
	}

	ext := name[i+1:]
	letter := false
	for _, r := range ext {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return name
		}
		letter = letter || unicode.IsLetter(r)
	}

	if !letter || len(ext) > 5 {
		return name
	}

	return name[:i]
}

// isBidiControl reports whether r changes the direction of the text around it, as
// in "photo\u202Egpj.exe", which shows as "photoexe.jpg".
func isBidiControl(r rune) bool {
	return r == '\u061C' || r == '\u200E' || r == '\u200F' ||
		'\u202A' <= r && r <= '\u202E' || '\u2066' <= r && r <= '\u2069'
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}

	return strings.TrimSpace(string([]rune(s)[:n]))
}
