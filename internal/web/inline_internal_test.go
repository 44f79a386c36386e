package web

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/locales"
)

// inlineFS has the places a fixed text can stand: text, attributes, a URL, an
// argument of another call, a range, a partial, and a text with arguments that
// must stay a call.
var inlineFS = fstest.MapFS{
	"layouts/portal.html": {Data: []byte(`{{define "layout"}}<html lang="{{.Tag}}">` +
		`<title>{{template "title" .}} – {{.T "portal_name"}}</title>` +
		`{{template "content" .}}{{template "part" .}}</html>{{end}}`)},
	"partials/part.html": {Data: []byte(`{{define "part"}}<nav aria-label="{{.T "nav_main"}}">` +
		`{{range .Items}}<a href="/x?q={{$.T "nav_track"}}" title="{{$.T "nav_track"}}">{{.}}</a>` +
		`{{end}}</nav>{{end}}`)},
	"portal/sample.html": {Data: []byte(`{{define "title"}}{{.T "track_title"}}{{end}}` +
		`{{define "content"}}<p>{{printf "%s!" (.T "track_intro")}}</p>` +
		`<p>{{.T "track_since" "Date" "1. Mai"}}</p>` +
		`{{if .Items}}<b>{{.T "nav_services"}}</b>{{end}}` +
		`<p>{{.T "no_such_message_id"}}</p>{{end}}`)},
}

type inlineSample struct {
	Page
	Items []string
}

// inlineRenderer renders inlineFS in every shipped language.
func inlineRenderer(t *testing.T) (*i18n.Bundle, *Renderer) {
	t.Helper()
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}

	r, err := NewRenderer(inlineFS, "portal", bundle)
	if err != nil {
		t.Fatal(err)
	}

	return bundle, r
}

func TestInlinedTextsRenderAsTheCalls(t *testing.T) {
	bundle, r := inlineRenderer(t)

	for _, l := range bundle.Languages() {
		t.Run(l.Tag, func(t *testing.T) {
			data := inlineSample{
				Page:  Page{Localizer: bundle.Localizer(l.Tag)},
				Items: []string{"<a>", "b&c"},
			}

			var called, inlined bytes.Buffer
			if err := r.pages["sample"].ExecuteTemplate(&called, "layout", data); err != nil {
				t.Fatal(err)
			}
			if err := r.execute(&inlined, "sample", data); err != nil {
				t.Fatal(err)
			}

			if inlined.String() != called.String() {
				t.Errorf("inlined page\n%s\ndiffers from the page with calls\n%s",
					&inlined, &called)
			}
			if !strings.Contains(inlined.String(), data.T("track_intro")+"!") {
				t.Errorf("page lacks the translated intro: %s", &inlined)
			}
		})
	}
}

func TestInlinedPagesExistForEveryLanguage(t *testing.T) {
	bundle, r := inlineRenderer(t)

	for _, l := range bundle.Languages() {
		page := r.inlined[l.Tag]["sample"]
		if page == nil {
			t.Errorf("no translated sample page for %s", l.Tag)
			continue
		}

		want := strconv.Quote(bundle.Localizer(l.Tag).T("track_title"))
		if got := page.Lookup("title").Tree.Root.String(); got != "{{"+want+"}}" {
			t.Errorf("%s title is %s, want the constant {{%s}}", l.Tag, got, want)
		}
		if got := page.Lookup("content").Tree.Root.String(); !strings.Contains(got,
			`.T "track_since" "Date"`) {
			t.Errorf("%s: the text with arguments is no call any more: %s", l.Tag, got)
		}
	}
}

func TestFoldedTextsAreWrittenAsText(t *testing.T) {
	bundle, r := inlineRenderer(t)

	for _, l := range bundle.Languages() {
		loc := bundle.Localizer(l.Tag)
		part := r.inlined[l.Tag]["sample"].Lookup("part").Tree.Root.String()

		// In a quoted attribute the text is written as it renders.
		label := `<nav aria-label="` + EscapeHTML(loc.T("nav_main")) + `">`
		if !strings.Contains(part, label) {
			t.Errorf("%s: the label is not folded into text %q: %s", l.Tag, label, part)
		}
		// In a URL it keeps its escapers.
		if !strings.Contains(part, "_html_template_urlescaper") {
			t.Errorf("%s: the text in the URL lost its escaper: %s", l.Tag, part)
		}

		content := r.inlined[l.Tag]["sample"].Lookup("content").Tree.Root.String()
		if strings.Contains(content, strconv.Quote(loc.T("nav_services"))) {
			t.Errorf("%s: the text within if is still a constant: %s", l.Tag, content)
		}
	}
}
