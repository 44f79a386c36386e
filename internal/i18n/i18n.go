// Package i18n loads the message files of every shipped language and chooses the
// language of each request; every word a person reads comes from here.
package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"
)

// Default is the primary language, used when nothing else matches and for any
// message a translation lacks.
const Default = "de"

// Language is one shipped language: its tag, its own name and writing direction.
type Language struct {
	Tag  string
	Name string
	Dir  string
}

// Bundle holds the messages of all languages. Each language has a go-i18n bundle
// of its own, so that a private-use tag such as de-x-ls (Leichte Sprache) is never
// matched to plain German; fallback to German is done here.
type Bundle struct {
	bundles   map[string]*i18n.Bundle
	languages []Language
	byTag     map[string]Language
	matcher   language.Matcher
	ids       map[string][]string
}

// Load reads every *.toml file of fsys and of its folders; the file name is the
// language tag, and the files of one tag in several folders (one folder per area
// of the product) make up that language together.
func Load(fsys fs.FS) (*Bundle, error) {
	b := &Bundle{
		bundles: map[string]*i18n.Bundle{},
		byTag:   map[string]Language{},
		ids:     map[string][]string{},
	}

	files, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, fmt.Errorf("list locales: %w", err)
	}

	for _, f := range files {
		if err := b.loadFile(fsys, f); err != nil {
			return nil, err
		}
	}

	areas, err := fs.Glob(fsys, "*/*.toml")
	if err != nil {
		return nil, fmt.Errorf("list locales: %w", err)
	}

	for _, f := range areas {
		if err := b.loadArea(fsys, f); err != nil {
			return nil, err
		}
	}

	if _, ok := b.byTag[Default]; !ok {
		return nil, errors.New("load locales: the default language de is missing")
	}

	b.sortLanguages()

	return b, nil
}

func (b *Bundle) loadFile(fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("read locale %s: %w", name, err)
	}

	tag := strings.TrimSuffix(path.Base(name), ".toml")
	parsed, err := language.Parse(tag)
	if err != nil {
		return fmt.Errorf("locale %s: file name is no language tag: %w", name, err)
	}

	bundle := i18n.NewBundle(parsed)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	mf, err := bundle.ParseMessageFileBytes(data, name)
	if err != nil {
		return fmt.Errorf("parse locale %s: %w", name, err)
	}

	for _, m := range mf.Messages {
		b.ids[tag] = append(b.ids[tag], m.ID)
	}
	b.bundles[tag] = bundle

	l := Language{Tag: tag}
	loc := i18n.NewLocalizer(bundle, tag)
	l.Name, err = loc.Localize(&i18n.LocalizeConfig{MessageID: "language_name"})
	if err != nil {
		return fmt.Errorf("locale %s: language_name: %w", name, err)
	}

	l.Dir, err = loc.Localize(&i18n.LocalizeConfig{MessageID: "language_dir"})
	if err != nil || (l.Dir != "ltr" && l.Dir != "rtl") {
		return fmt.Errorf("locale %s: language_dir must be ltr or rtl", name)
	}

	b.byTag[tag] = l

	return nil
}

// loadArea adds the messages of one area's file to the language it is named
// after, which a top-level file must already have introduced.
func (b *Bundle) loadArea(fsys fs.FS, name string) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("read locale %s: %w", name, err)
	}

	tag := strings.TrimSuffix(path.Base(name), ".toml")
	bundle, ok := b.bundles[tag]
	if !ok {
		return fmt.Errorf("locale %s: no top-level file %s.toml for its language", name, tag)
	}

	known := make(map[string]bool, len(b.ids[tag]))
	for _, id := range b.ids[tag] {
		known[id] = true
	}

	mf, err := bundle.ParseMessageFileBytes(data, name)
	if err != nil {
		return fmt.Errorf("parse locale %s: %w", name, err)
	}

	for _, m := range mf.Messages {
		if known[m.ID] {
			return fmt.Errorf("locale %s: %s is defined twice for %s", name, m.ID, tag)
		}
		b.ids[tag] = append(b.ids[tag], m.ID)
	}

	return nil
}

// sortLanguages puts German first and the others in file order, and builds the
// matcher for Accept-Language.
func (b *Bundle) sortLanguages() {
	tags := make([]string, 0, len(b.byTag))
	for t := range b.byTag {
		tags = append(tags, t)
	}
	sort.Slice(tags, func(i, j int) bool {
		if (tags[i] == Default) != (tags[j] == Default) {
			return tags[i] == Default
		}
		return tags[i] < tags[j]
	})

	parsed := make([]language.Tag, 0, len(tags))
	for _, t := range tags {
		b.languages = append(b.languages, b.byTag[t])
		parsed = append(parsed, language.Make(t))
	}
	b.matcher = language.NewMatcher(parsed)
}

// Subset returns the bundle limited to the languages tags, for a site that is
// offered in fewer languages than the portal (the back office: German and
// English). Unknown tags are left out; German is always kept.
func (b *Bundle) Subset(tags ...string) *Bundle {
	sub := &Bundle{bundles: b.bundles, byTag: map[string]Language{}, ids: b.ids}
	for _, t := range append([]string{Default}, tags...) {
		if l, ok := b.byTag[t]; ok {
			sub.byTag[t] = l
		}
	}
	sub.sortLanguages()

	return sub
}

// Languages lists the shipped languages, German first.
func (b *Bundle) Languages() []Language {
	return b.languages
}

// Supported reports whether tag is a shipped language.
func (b *Bundle) Supported(tag string) bool {
	_, ok := b.byTag[tag]
	return ok
}

// MessageIDs returns the message IDs of one language, for completeness checks.
func (b *Bundle) MessageIDs(tag string) []string {
	return b.ids[tag]
}

// Choose picks the language of a request: an explicit choice, then the remembered
// one, then the browser's Accept-Language header, then German.
func (b *Bundle) Choose(explicit, remembered, acceptLanguage string) Language {
	for _, t := range []string{explicit, remembered} {
		if l, ok := b.byTag[t]; ok {
			return l
		}
	}

	if acceptLanguage != "" {
		prefs, _, err := language.ParseAcceptLanguage(acceptLanguage)
		if err == nil && len(prefs) > 0 {
			_, i, conf := b.matcher.Match(prefs...)
			if conf >= language.High {
				return b.languages[i]
			}
		}
	}

	return b.byTag[Default]
}

// Localizer returns the translator of one language; messages it lacks come in
// German.
func (b *Bundle) Localizer(tag string) *Localizer {
	l, ok := b.byTag[tag]
	if !ok {
		l = b.byTag[Default]
	}

	lz := &Localizer{Language: l, loc: i18n.NewLocalizer(b.bundles[l.Tag], l.Tag)}
	if l.Tag != Default {
		lz.fallback = i18n.NewLocalizer(b.bundles[Default], Default)
	}

	return lz
}

// Localizer translates message IDs into one language.
type Localizer struct {
	Language
	loc      *i18n.Localizer
	fallback *i18n.Localizer
}

// T translates id; args are pairs of names and values filled into the message,
// and a name "Count" also chooses the plural form. An unknown ID comes back as
// itself, so it is visible and caught by the completeness tests.
func (l *Localizer) T(id string, args ...any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		data := make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			name := fmt.Sprint(args[i])
			data[name] = args[i+1]
			if name == "Count" {
				cfg.PluralCount = args[i+1]
			}
		}
		cfg.TemplateData = data
	}

	s, err := l.loc.Localize(cfg)
	if err != nil && l.fallback != nil {
		s, err = l.fallback.Localize(cfg)
	}
	if err != nil {
		return id
	}

	return s
}

// Pick returns the text of a per-language map (as services and teams store their
// names) in this language, then German, then any.
func (l *Localizer) Pick(texts map[string]string) string {
	if s := texts[l.Tag]; s != "" {
		return s
	}

	if s := texts[Default]; s != "" {
		return s
	}

	keys := make([]string, 0, len(texts))
	for k := range texts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if texts[k] != "" {
			return texts[k]
		}
	}

	return ""
}
