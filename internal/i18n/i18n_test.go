package i18n_test

import (
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/locales"
	"github.com/anliegen/anliegen/templates"
)

func load(t *testing.T) *i18n.Bundle {
	t.Helper()
	b, err := i18n.Load(locales.FS)
	if err != nil {
		t.Fatalf("load locales: %v", err)
	}

	return b
}

// backOfficeOnly is the prefix of messages of the back office, which is offered
// in German and English only; the other languages need not have them.
const backOfficeOnly = "bo_"

// TestEveryLocaleHasEveryMessage fails when a language lacks a message ID that
// German has, or has one German does not.
func TestEveryLocaleHasEveryMessage(t *testing.T) {
	b := load(t)
	german := set(b.MessageIDs(i18n.Default))
	if len(german) < 100 {
		t.Fatalf("German has only %d messages; the locale did not load", len(german))
	}

	for _, l := range b.Languages() {
		t.Run(l.Tag, func(t *testing.T) {
			own := set(b.MessageIDs(l.Tag))
			for _, id := range sorted(german) {
				optional := strings.HasPrefix(id, backOfficeOnly) && l.Tag != "en"
				if !own[id] && !optional {
					t.Errorf("%s lacks %s", l.Tag, id)
				}
			}
			for _, id := range sorted(own) {
				if !german[id] {
					t.Errorf("%s has %s, which German lacks", l.Tag, id)
				}
			}
		})
	}
}

var templateID = regexp.MustCompile(`\.T "([a-z0-9_]+)"`)

// TestTemplatesUseKnownMessages fails when a template asks for a message ID that
// no locale defines.
func TestTemplatesUseKnownMessages(t *testing.T) {
	german := set(load(t).MessageIDs(i18n.Default))
	err := fs.WalkDir(templates.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}

		b, err := fs.ReadFile(templates.FS, path)
		if err != nil {
			return err
		}

		for _, m := range templateID.FindAllStringSubmatch(string(b), -1) {
			if !german[m[1]] {
				t.Errorf("%s uses unknown message %s", path, m[1])
			}
		}

		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestChoose(t *testing.T) {
	b := load(t)
	cases := []struct {
		name, explicit, remembered, accept, want string
	}{
		{"nothing", "", "", "", "de"},
		{"browser English", "", "", "en-GB,en;q=0.9", "en"},
		{"browser unknown", "", "", "ja-JP", "de"},
		{"cookie beats browser", "", "de", "en", "de"},
		{"explicit beats cookie", "en", "de", "de", "en"},
		{"explicit unknown", "xx", "en", "", "en"},
		{"garbage header", "", "", ";;;q=x", "de"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := b.Choose(c.explicit, c.remembered, c.accept); got.Tag != c.want {
				t.Errorf("Choose(%q, %q, %q) = %s, want %s", c.explicit, c.remembered,
					c.accept, got.Tag, c.want)
			}
		})
	}
}

func TestTranslateWithPlaceholdersAndPlural(t *testing.T) {
	b := load(t)
	de := b.Localizer("de")
	if got := de.T("tickets_count", "Count", 1); got != "1 Vorgang" {
		t.Errorf("singular: %q", got)
	}
	if got := de.T("tickets_count", "Count", 3); got != "3 Vorgänge" {
		t.Errorf("plural: %q", got)
	}
	if got := b.Localizer("en").T("signed_in_as", "Name", "Ada"); got == "signed_in_as" ||
		!regexp.MustCompile(`Ada`).MatchString(got) {
		t.Errorf("placeholder not filled: %q", got)
	}
	if got := de.T("no_such_message"); got != "no_such_message" {
		t.Errorf("unknown ID gives %q, want the ID itself", got)
	}
}

func set(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}

	return m
}

func sorted(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)

	return out
}

func TestSubsetOffersOnlyItsLanguages(t *testing.T) {
	sub := load(t).Subset("en")
	var tags []string
	for _, l := range sub.Languages() {
		tags = append(tags, l.Tag)
	}
	if strings.Join(tags, ",") != "de,en" {
		t.Errorf("subset languages %v, want de,en", tags)
	}
	if got := sub.Choose("ar", "", "ar"); got.Tag != "de" {
		t.Errorf("Arabic chosen on a German and English site: %s", got.Tag)
	}
	if got := sub.Choose("", "", "en-US"); got.Tag != "en" {
		t.Errorf("browser English: %s, want en", got.Tag)
	}
}

// TestAreaFoldersJoinTheirLanguage shows that a folder's de.toml adds to German,
// and that an ID defined twice or an area without its language is refused.
func TestAreaFoldersJoinTheirLanguage(t *testing.T) {
	base := "language_name = \"Deutsch\"\nlanguage_dir = \"ltr\"\n"
	good := fstest.MapFS{
		"de.toml":       {Data: []byte(base + "hello = \"Hallo\"\n")},
		"stats/de.toml": {Data: []byte("bo_chart = \"Diagramm\"\n")},
	}

	b, err := i18n.Load(good)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if got := b.Localizer("de").T("bo_chart"); got != "Diagramm" {
		t.Errorf("bo_chart from the area folder = %q, want Diagramm", got)
	}
	if got := b.Localizer("de").T("hello"); got != "Hallo" {
		t.Errorf("hello from the top-level file = %q, want Hallo", got)
	}

	bad := map[string]fstest.MapFS{
		"twice": {
			"de.toml":       {Data: []byte(base + "hello = \"Hallo\"\n")},
			"stats/de.toml": {Data: []byte("hello = \"Servus\"\n")},
		},
		"no language": {
			"de.toml":       {Data: []byte(base)},
			"stats/fr.toml": {Data: []byte("bo_chart = \"Graphique\"\n")},
		},
	}
	for name, fsys := range bad {
		if _, err := i18n.Load(fsys); err == nil {
			t.Errorf("%s: loaded without error, want a refusal", name)
		}
	}
}
