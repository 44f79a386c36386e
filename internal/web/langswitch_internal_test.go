package web

import (
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/locales"
	"github.com/anliegen/anliegen/templates"
)

func TestLanguageSwitchAsTemplate(t *testing.T) {
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRenderer(templates.FS, "portal", bundle)
	if err != nil {
		t.Fatal(err)
	}
	sw, err := newLanguageSwitches(r.partials, bundle, bundle.Localizer)
	if err != nil {
		t.Fatal(err)
	}

	paths := []string{"/", "/t/K7QF-2M9X-PL3R", "/request/strassenschaden", "/a b", `/x"y`,
		"/a+b&c", "/javascript:alert(1)", "/%2e%2e/", "/ü"}
	for _, l := range bundle.Languages() {
		loc := bundle.Localizer(l.Tag)
		for _, path := range paths {
			got, err := sw.html(loc, path)
			if err != nil {
				t.Fatal(err)
			}
			want, err := sw.render(loc, path)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s %s:\n got %s\nwant %s", l.Tag, path, got, want)
			}
			if plainPath(path) && !strings.Contains(string(got), `href="`+path+`?lang=de"`) {
				t.Errorf("%s %s: no link to German: %s", l.Tag, path, got)
			}
		}
	}
}
