package catalog_test

import (
	"maps"
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/catalog"
)

var label = catalog.Texts{"de": "Feld", "en": "Field"}

// kinds are the options of the choice field in the tests below.
var kinds = []catalog.Option{
	{Key: "sperrmuell", Label: catalog.Texts{"de": "Sperrmüll"}},
	{Key: "bauschutt", Label: catalog.Texts{"de": "Bauschutt"}},
}

func field(typ string, required bool, maxLength int) catalog.Field {
	f := catalog.Field{Code: "f", Type: typ, Required: required, Label: label,
		MaxLength: maxLength}
	if typ == catalog.FieldChoice {
		f.Options = kinds
	}

	return f
}

// TestValidateField submits one value to a form of one field and checks the answer kept
// and the message ID the citizen would see.
func TestValidateField(t *testing.T) {
	tests := []struct {
		name       string
		field      catalog.Field
		input      string
		wantAnswer string // "" means absent from the answers
		wantErr    string // "" means no error
	}{
		{"required text empty", field(catalog.FieldText, true, 0), "", "",
			catalog.ErrRequired},
		{"required text only spaces", field(catalog.FieldText, true, 0), " \t ", "",
			catalog.ErrRequired},
		{"required textarea only line breaks", field(catalog.FieldTextarea, true, 0), "\n\r\n",
			"", catalog.ErrRequired},
		{"required choice empty", field(catalog.FieldChoice, true, 0), "", "",
			catalog.ErrRequired},
		{"optional text empty", field(catalog.FieldText, false, 0), "", "", ""},
		{"optional number only spaces", field(catalog.FieldNumber, false, 0), "  ", "", ""},
		{"text trimmed", field(catalog.FieldText, true, 0), "  Hauptstraße 1\t",
			"Hauptstraße 1", ""},
		{"textarea trimmed inside kept", field(catalog.FieldTextarea, true, 0),
			"\n  Zeile 1\n\n  Zeile 2  \n", "Zeile 1\n\n  Zeile 2", ""},

		{"umlauts count as one character", field(catalog.FieldText, true, 5), "Größe",
			"Größe", ""},
		{"one character too many", field(catalog.FieldText, true, 5), "Straße", "",
			catalog.ErrTooLong},
		{"length counted after trimming", field(catalog.FieldText, true, 5), "  Größe  ",
			"Größe", ""},
		{"text default limit 200", field(catalog.FieldText, true, 0),
			strings.Repeat("ü", 200), strings.Repeat("ü", 200), ""},
		{"text over default limit", field(catalog.FieldText, true, 0),
			strings.Repeat("ü", 201), "", catalog.ErrTooLong},
		{"textarea default limit 4000", field(catalog.FieldTextarea, true, 0),
			strings.Repeat("ö", 4000), strings.Repeat("ö", 4000), ""},
		{"textarea over default limit", field(catalog.FieldTextarea, true, 0),
			strings.Repeat("ö", 4001), "", catalog.ErrTooLong},

		{"whole number", field(catalog.FieldNumber, true, 0), "12", "12", ""},
		{"comma decimal", field(catalog.FieldNumber, true, 0), "12,5", "12,5", ""},
		{"point decimal", field(catalog.FieldNumber, true, 0), "12.5", "12.5", ""},
		{"negative number", field(catalog.FieldNumber, true, 0), "-3", "-3", ""},
		{"letters for a number", field(catalog.FieldNumber, true, 0), "abc", "",
			catalog.ErrNumber},
		{"number with unit", field(catalog.FieldNumber, true, 0), "12 m", "",
			catalog.ErrNumber},
		{"two decimal commas", field(catalog.FieldNumber, true, 0), "1,2,3", "",
			catalog.ErrNumber},

		{"ISO date", field(catalog.FieldDate, true, 0), "2026-12-31", "2026-12-31", ""},
		{"German date", field(catalog.FieldDate, true, 0), "31.12.2026", "",
			catalog.ErrDate},
		{"day that does not exist", field(catalog.FieldDate, true, 0), "2026-02-30", "",
			catalog.ErrDate},
		{"date with time", field(catalog.FieldDate, true, 0), "2026-12-31T10:00", "",
			catalog.ErrDate},

		{"e-mail address", field(catalog.FieldEmail, true, 0), "a@b.de", "a@b.de", ""},
		{"e-mail without dot in domain", field(catalog.FieldEmail, true, 0), "a@b", "",
			catalog.ErrEmail},
		{"e-mail with display name", field(catalog.FieldEmail, true, 0), "Name <a@b.de>", "",
			catalog.ErrEmail},

		{"phone number", field(catalog.FieldPhone, true, 0), "+49 30 1234567",
			"+49 30 1234567", ""},
		{"phone letters", field(catalog.FieldPhone, true, 0), "Zentrale", "",
			catalog.ErrPhone},

		{"choice key", field(catalog.FieldChoice, true, 0), "bauschutt", "bauschutt", ""},
		{"choice label instead of key", field(catalog.FieldChoice, true, 0), "Bauschutt", "",
			catalog.ErrChoice},
		{"choice key not offered", field(catalog.FieldChoice, true, 0), "altreifen", "",
			catalog.ErrChoice},

		{"yes", field(catalog.FieldYesNo, true, 0), "yes", "yes", ""},
		{"no", field(catalog.FieldYesNo, true, 0), "no", "no", ""},
		{"ja", field(catalog.FieldYesNo, true, 0), "ja", "", catalog.ErrChoice},
		{"Yes in capitals", field(catalog.FieldYesNo, true, 0), "Yes", "", catalog.ErrChoice},
		{"true", field(catalog.FieldYesNo, true, 0), "true", "", catalog.ErrChoice},

		{"NUL in text", field(catalog.FieldText, true, 0), "Haupt\x00straße", "",
			catalog.ErrControlCh},
		{"line break in text", field(catalog.FieldText, true, 0), "Zeile 1\nZeile 2", "",
			catalog.ErrControlCh},
		{"line breaks in textarea", field(catalog.FieldTextarea, true, 0),
			"Zeile 1\r\nZeile 2\n\tZeile 3", "Zeile 1\r\nZeile 2\n\tZeile 3", ""},
		{"bell in textarea", field(catalog.FieldTextarea, true, 0), "Zeile\a1", "",
			catalog.ErrControlCh},
		{"escape in textarea", field(catalog.FieldTextarea, true, 0), "\x1b[31mrot", "",
			catalog.ErrControlCh},
		{"invalid UTF-8 in text", field(catalog.FieldText, true, 0), "Stra\xdfe", "",
			catalog.ErrControlCh},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answers, errs := catalog.Validate([]catalog.Field{tt.field},
				func(string) string { return tt.input })

			if got := errs["f"]; got != tt.wantErr {
				t.Errorf("error of %q = %q, want %q", tt.input, got, tt.wantErr)
			}

			got, ok := answers["f"]
			if tt.wantAnswer == "" && ok {
				t.Errorf("answers hold %q for %q, want the field absent", got, tt.input)
			}
			if tt.wantAnswer != "" && got != tt.wantAnswer {
				t.Errorf("answer of %q = %q, want %q", tt.input, got, tt.wantAnswer)
			}
		})
	}
}

// TestValidateForm submits a whole form as a citizen would and checks every answer and
// every error at once.
func TestValidateForm(t *testing.T) {
	form := []catalog.Field{
		{Code: "hint", Type: catalog.FieldInfo, Required: true, Label: label},
		{Code: "location", Type: catalog.FieldText, Required: true, MaxLength: 300,
			Label: label},
		{Code: "kind", Type: catalog.FieldChoice, Required: true, Label: label,
			Options: kinds},
		{Code: "description", Type: catalog.FieldTextarea, Label: label},
		{Code: "email", Type: catalog.FieldEmail, Label: label},
		{Code: "phone", Type: catalog.FieldPhone, Label: label},
		{Code: "since", Type: catalog.FieldDate, Required: true, Label: label},
	}
	values := map[string]string{
		"hint":        "ignored",
		"location":    " Am Markt 3 ",
		"kind":        "altreifen",
		"description": "",
		"email":       "a b@c.de",
		"phone":       "+49 221 123456",
		"unknown":     "not in the form",
	}
	var asked []string
	answers, errs := catalog.Validate(form, func(code string) string {
		asked = append(asked, code)
		return values[code]
	})

	wantAnswers := map[string]string{"location": "Am Markt 3", "phone": "+49 221 123456"}
	if !maps.Equal(answers, wantAnswers) {
		t.Errorf("answers = %v, want %v", answers, wantAnswers)
	}

	wantErrs := map[string]string{
		"kind":  catalog.ErrChoice,
		"email": catalog.ErrEmail,
		"since": catalog.ErrRequired,
	}
	if !maps.Equal(errs, wantErrs) {
		t.Errorf("errors = %v, want %v", errs, wantErrs)
	}

	for _, code := range asked {
		if code == "hint" {
			t.Errorf("Validate read the value of info field %q, want info fields skipped", code)
		}
	}
}

func TestValidateEmptyForm(t *testing.T) {
	answers, errs := catalog.Validate(nil, func(string) string { return "x" })
	if len(answers) != 0 || len(errs) != 0 {
		t.Errorf("empty form gave answers %v and errors %v, want none", answers, errs)
	}

	if answers == nil || errs == nil {
		t.Errorf("empty form gave nil maps (%v, %v), want empty maps", answers == nil,
			errs == nil)
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		multiline bool
		want      bool
	}{
		{"plain", "Schlagloch vor Nr. 5", false, true},
		{"umlauts and ß", "Größe: Straße, Ärger", false, true},
		{"apostrophe and accents", "D'Agostino, Renée Müller-Łukasiewicz", false, true},
		{"arabic", "شارع السوق", false, true},
		{"emoji", "Schlagloch 🚧", false, true},
		{"empty", "", false, true},
		{"newline single line", "a\nb", false, false},
		{"carriage return single line", "a\rb", false, false},
		{"tab single line", "a\tb", false, false},
		{"newline multiline", "a\nb", true, true},
		{"CRLF multiline", "a\r\nb", true, true},
		{"tab multiline", "a\tb", true, true},
		{"NUL multiline", "a\x00b", true, false},
		{"bell", "a\ab", false, false},
		{"DEL", "a\x7fb", true, false},
		{"C1 control", "a\u0085b", true, false},
		{"invalid UTF-8", "a\xffb", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := catalog.CleanText(tt.in, tt.multiline); got != tt.want {
				t.Errorf("CleanText(%q, %v) = %v, want %v", tt.in, tt.multiline, got, tt.want)
			}
		})
	}
}

func TestValidEmail(t *testing.T) {
	local := strings.Repeat("a", 64)
	domain := strings.Repeat("abcdefghi.", 18)
	tests := []struct {
		name string // the address itself when empty
		in   string
		want bool
	}{
		{"", "a@b.de", true},
		{"", "vorname.nachname@stadt-musterstadt.de", true},
		{"", "buergerin+anliegen@example.org", true},
		{"", "jörg@müller.de", true},
		{"empty", "", false},
		{"", "a@b", false},
		{"", "Name <a@b.de>", false},
		{"", "<a@b.de>", false},
		{"", "a b@c.de", false},
		{"", `"a b"@c.de`, false},
		{"", "@b.de", false},
		{"", "a@", false},
		{"", "a@@b.de", false},
		{"", "a@b..de", false},
		{"", "a@b.de,c@d.de", false},
		{"", "a@b.de\n", false},
		{"254 characters", local + "@" + domain + "stadtx.de", true},
		{"255 characters", local + "@" + domain + "stadtxy.de", false},
	}
	for _, tt := range tests {
		name := tt.name
		if name == "" {
			name = tt.in
		}
		t.Run(name, func(t *testing.T) {
			if got := catalog.ValidEmail(tt.in); got != tt.want {
				t.Errorf("ValidEmail(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidPhone(t *testing.T) {
	tests := []struct {
		name string // the number itself when empty
		in   string
		want bool
	}{
		{"", "+49 30 1234567", true},
		{"", "030 1234567", true},
		{"", "030/123456-7", true},
		{"", "0171.234.5678", true},
		{"", "+49 (0)30 123456", true},
		{"", "1234", true},
		{"empty", "", false},
		{"", "123", false},
		{"", "++49 30 1234567", false},
		{"", "Zentrale", false},
		{"", "030 1234567 Durchwahl 5", false},
		{"", "030-1234567\n", false},
		{"too long", "+49 " + strings.Repeat("1", 31), false},
	}
	for _, tt := range tests {
		name := tt.name
		if name == "" {
			name = tt.in
		}
		t.Run(name, func(t *testing.T) {
			if got := catalog.ValidPhone(tt.in); got != tt.want {
				t.Errorf("ValidPhone(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidateMultipleChoiceAndAddress(t *testing.T) {
	form := []catalog.Field{
		{Code: "what", Type: catalog.FieldMulti, Required: true,
			Label: catalog.Texts{"de": "Was"},
			Options: []catalog.Option{{Key: "a", Label: catalog.Texts{"de": "A"}},
				{Key: "b", Label: catalog.Texts{"de": "B"}}}},
		{Code: "where", Type: catalog.FieldAddress, Required: true,
			Label: catalog.Texts{"de": "Wo"}},
		{Code: "photo", Type: catalog.FieldFile, Label: catalog.Texts{"de": "Foto"}},
	}
	cases := []struct {
		name        string
		values      map[string][]string
		wantAnswers map[string]string
		wantErrs    map[string]string
	}{
		{"ticks and full address",
			map[string][]string{"what": {"b", "a", "b"}, "where_street": {"Markt"},
				"where_number": {"1"}, "where_postcode": {"09111"}},
			map[string]string{"what": "b,a", "where": "Markt 1, 09111"}, map[string]string{}},
		{"free text instead of an address",
			map[string][]string{"what": {"a"}, "where_text": {"Parkplatz hinter der Schule"}},
			map[string]string{"what": "a", "where": "Parkplatz hinter der Schule"},
			map[string]string{}},
		{"nothing ticked, no place",
			map[string][]string{},
			map[string]string{},
			map[string]string{"what": catalog.ErrRequired, "where": catalog.ErrRequired}},
		{"unknown option and bad postcode",
			map[string][]string{"what": {"a", "zzz"}, "where_street": {"Markt"},
				"where_postcode": {"0911"}},
			map[string]string{},
			map[string]string{"what": catalog.ErrChoice, "where": catalog.ErrPostcode}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			answers, errs := catalog.ValidateAll(form, func(k string) []string {
				return c.values[k]
			})
			if len(answers) != len(c.wantAnswers) || len(errs) != len(c.wantErrs) {
				t.Fatalf("answers %v errs %v; want %v and %v", answers, errs,
					c.wantAnswers, c.wantErrs)
			}
			for k, v := range c.wantAnswers {
				if answers[k] != v {
					t.Errorf("answer %s = %q, want %q", k, answers[k], v)
				}
			}
			for k, v := range c.wantErrs {
				if errs[k] != v {
					t.Errorf("error %s = %q, want %q", k, errs[k], v)
				}
			}
		})
	}
}
