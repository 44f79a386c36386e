package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/anliegen/anliegen/internal/i18n"
)

// pathStandIn stands where a page's path goes when the language switch is
// rendered once at start-up. html/template writes it unchanged into a URL.
const pathStandIn = "/zPATHz"

// languageSwitches holds every language's language switch, rendered at
// start-up by the template lang_switch_links around a stand-in for the path,
// so that a request only puts its path in between. html/template has escaped
// everything else; a path it would change is rendered by the template anew.
type languageSwitches struct {
	tmpl  *template.Template
	langs []i18n.Language
	parts map[string][]string // language, then the switch split at the path
}

// switchData is what lang_switch_links reads: the translations of the page's
// language and the links to every language.
type switchData struct {
	*i18n.Localizer
	Languages []LanguageLink
}

func newLanguageSwitches(tmpl *template.Template, bundle *i18n.Bundle,
	localizer func(string) *i18n.Localizer) (*languageSwitches, error) {
	sw := &languageSwitches{tmpl: tmpl, langs: bundle.Languages(), parts: map[string][]string{}}
	for _, l := range sw.langs {
		html, err := sw.render(localizer(l.Tag), pathStandIn)
		if err != nil {
			return nil, err
		}

		parts := strings.Split(string(html), pathStandIn)
		if len(parts) != len(sw.langs)+1 {
			return nil, fmt.Errorf("language switch in %s: the path stands %d times, not %d",
				l.Tag, len(parts)-1, len(sw.langs))
		}
		sw.parts[l.Tag] = parts
	}

	return sw, nil
}

// render executes lang_switch_links for the language of loc and path.
func (sw *languageSwitches) render(loc *i18n.Localizer, path string) (template.HTML, error) {
	d := switchData{Localizer: loc, Languages: make([]LanguageLink, len(sw.langs))}
	// A tag needs no escaping in a query: letters, digits and dashes.
	for i, l := range sw.langs {
		d.Languages[i] = LanguageLink{
			Tag: l.Tag, Name: l.Name, URL: path + "?lang=" + l.Tag, Current: l.Tag == loc.Tag,
		}
	}

	var buf bytes.Buffer
	if err := sw.tmpl.ExecuteTemplate(&buf, "lang_switch_links", d); err != nil {
		return "", fmt.Errorf("language switch: %w", err)
	}

	return template.HTML(buf.String()), nil
}

// html returns the switch of loc's language for path.
func (sw *languageSwitches) html(loc *i18n.Localizer, path string) (template.HTML, error) {
	parts, ok := sw.parts[loc.Tag]
	if !ok || !plainPath(path) {
		return sw.render(loc, path)
	}

	n := len(path) * (len(parts) - 1)
	for _, p := range parts {
		n += len(p)
	}

	var b strings.Builder
	b.Grow(n)
	b.WriteString(parts[0])
	for _, p := range parts[1:] {
		b.WriteString(path)
		b.WriteString(p)
	}

	return template.HTML(b.String()), nil
}

// plainPath reports whether path holds only characters html/template writes
// into a URL attribute unchanged: letters, digits and - . _ ~ /.
func plainPath(path string) bool {
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '.', c == '_', c == '~', c == '/':
		default:
			return false
		}
	}

	return path != ""
}
