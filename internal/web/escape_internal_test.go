package web

import (
	"html/template"
	"strings"
	"testing"
)

func TestEscapeHTMLAsTemplates(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(`<p title="{{.}}">{{.}}</p>`))
	samples := []string{
		"", "plain text", "a+b", "<script>alert('x')</script>", `"quoted" & 'single'`,
		"nul\x00byte", "2026-12-03T23:18:24+01:00", "Straße – ü ä ö", "مرحبا", "\xff\xfe broken",
		"&amp; already", "\uFDD0\uFFFE odd runes", "line\nbreak\ttab", "`back` =eq",
	}
	for c := 0; c < 128; c++ {
		samples = append(samples, "x"+string(rune(c))+"y")
	}

	for _, s := range samples {
		var want strings.Builder
		if err := tmpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}

		e := EscapeHTML(s)
		if got := `<p title="` + e + `">` + e + `</p>`; got != want.String() {
			t.Errorf("EscapeHTML(%q) = %q, html/template writes %q", s, got, want.String())
		}
	}
}
