package textmodule

import (
	"strings"
	"unicode/utf8"

	"github.com/anliegen/anliegen/internal/catalog"
)

// Languages are the language tags a module may have a text in, German first;
// German is required.
var Languages = []string{"de", "de-x-ls", "en", "uk", "ru", "ar", "tr", "vi"}

// MaxName and MaxText bound a module's name and each of its texts, in
// characters.
const (
	MaxName = 200
	MaxText = 10000
)

// Message IDs of the checks, translated by the page that shows them.
const (
	ErrNameMissing   = "bo_module_error_name"
	ErrGermanMissing = "bo_module_error_german"
	ErrTextInvalid   = "bo_module_error_text"
	ErrPlaceholder   = "bo_module_error_placeholder"
	ErrTeamUnknown   = "bo_module_error_team"
)

// Clean trims a module's name and texts and drops empty texts.
func Clean(m Module) Module {
	m.Name = strings.TrimSpace(m.Name)
	body := catalog.Texts{}
	for _, tag := range Languages {
		if s := strings.TrimSpace(m.Body[tag]); s != "" {
			body[tag] = s
		}
	}
	m.Body = body

	return m
}

// Check returns the message ID of each problem of a cleaned module, keyed by
// "name" or by the language tag of the text.
func Check(m Module) map[string]string {
	errs := map[string]string{}
	if m.Name == "" || utf8.RuneCountInString(m.Name) > MaxName ||
		!catalog.CleanText(m.Name, false) {
		errs["name"] = ErrNameMissing
	}

	if m.Body["de"] == "" {
		errs["de"] = ErrGermanMissing
	}

	for tag, text := range m.Body {
		switch {
		case utf8.RuneCountInString(text) > MaxText || !catalog.CleanText(text, true):
			errs[tag] = ErrTextInvalid
		case checkPlaceholders(text) != nil:
			errs[tag] = ErrPlaceholder
		}
	}

	return errs
}
