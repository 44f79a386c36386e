package inbox

import (
	"html"
	"regexp"
	"strings"
)

var (
	htmlHidden = regexp.MustCompile(`(?is)<(?:script|style|head)\b.*?</(?:script|style|head)\s*>`)
	htmlBreak  = regexp.MustCompile(
		`(?i)<(?:br|hr|/p|/div|/li|/tr|/h[1-6]|/blockquote|/table)\b[^>]*>`)
	htmlTag   = regexp.MustCompile(`(?s)<[^>]*>`)
	blankRuns = regexp.MustCompile(`\n{3,}`)
)

// htmlText makes the text of an HTML mail readable as plain text.
func htmlText(s string) string {
	s = htmlHidden.ReplaceAllString(s, "")
	s = htmlBreak.ReplaceAllString(s, "\n")
	s = htmlTag.ReplaceAllString(s, "")
	s = html.UnescapeString(strings.ReplaceAll(s, "\r\n", "\n"))

	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(strings.ReplaceAll(l, "\u00a0", " "))
	}

	return strings.TrimSpace(blankRuns.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

var (
	// attribution is the line a mail program puts above the quoted mail, "Am …
	// schrieb …:", in the languages of the portal's citizens as far as their
	// programs say it.
	attribution = regexp.MustCompile(`(?i)^.{0,250}(?:schrieb|wrote|a écrit|escribió|` +
		`ha scritto|schreef|napisał|пише|написал|написала|пишет|كتب|yazdı|đã viết).{0,250}:$`)
	separator   = regexp.MustCompile(`^(?:-{2,}\s*[^-]+\s*-{2,}|_{20,})$`)
	headerFrom  = regexp.MustCompile(`(?i)^(?:von|from|de|от|від|kimden|từ)\s*:`)
	headerOther = regexp.MustCompile(
		`(?i)^(?:gesendet|sent|datum|date|an|to|betreff|subject)\s*:`)
	mobileSuffix  = regexp.MustCompile(`(?i)^(?:von meinem \S+ gesendet|sent from my \S+)`)
	quotedLine    = regexp.MustCompile(`^\s*>`)
	signatureLine = "-- "
)

// foldReply returns the new part of a reply: the quoted mail it answers, the
// signature and a mobile footer are cut off. The original stays in the
// inbound mail; when nothing would remain, the text is returned as it was.
func foldReply(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i := range lines {
		if historyStarts(lines, i) {
			lines = lines[:i]
			break
		}
	}

	for len(lines) > 0 {
		last := lines[len(lines)-1]
		if strings.TrimSpace(last) != "" && !quotedLine.MatchString(last) {
			break
		}
		lines = lines[:len(lines)-1]
	}

	if folded := strings.TrimSpace(strings.Join(lines, "\n")); folded != "" {
		return folded
	}

	return unquoted(text)
}

// historyStarts reports whether line i begins what the reply quotes or signs.
func historyStarts(lines []string, i int) bool {
	raw := strings.TrimRight(lines[i], "\r")
	l := strings.TrimSpace(raw)
	switch {
	case raw == signatureLine || l == "--":
		return true
	case separator.MatchString(l), mobileSuffix.MatchString(l):
		return true
	case attributes(l):
		return true
	case i+1 < len(lines) && attributes(l+" "+strings.TrimSpace(lines[i+1])):
		return true
	case headerFrom.MatchString(l):
		return quotedHeader(lines[i+1:])
	}

	return false
}

// attributes reports whether l is an attribution line; it names a date or an
// address, which tells it from a sentence of the citizen's that ends in a colon.
func attributes(l string) bool {
	return attribution.MatchString(l) && strings.ContainsAny(l, "0123456789@")
}

// quotedHeader reports whether the lines after a "From:" line are the rest of
// the header block that Outlook puts above a quoted mail.
func quotedHeader(next []string) bool {
	found := 0
	for i := 0; i < len(next) && i < 4; i++ {
		if headerOther.MatchString(strings.TrimSpace(next[i])) {
			found++
		}
	}

	return found >= 2
}

// unquoted is the text without quoted lines and attributions, for a reply
// written below the quote.
func unquoted(text string) string {
	var kept []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if quotedLine.MatchString(l) || attributes(strings.TrimSpace(l)) {
			continue
		}
		kept = append(kept, l)
	}

	if out := strings.TrimSpace(strings.Join(kept, "\n")); out != "" {
		return out
	}

	return strings.TrimSpace(text)
}
