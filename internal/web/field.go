package web

import (
	"strings"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/i18n"
)

// Field is one input as the shared "field" template draws it, with its label,
// hint and error, the same for the portal's forms and the back office's.
type Field struct {
	ID        string
	Name      string
	Type      string
	Label     string
	Help      string
	Required  bool
	Optional  string
	MaxLength int
	Value     string
	Error     string
	Options   []FieldOption
	Multiple  bool
	Parts     []FieldPart
	Accept    string
}

// FieldOption is one answer of a choice field.
type FieldOption struct {
	Key     string
	Label   string
	Checked bool
}

// FieldPart is one input of a composite field such as an address.
type FieldPart struct {
	ID           string
	Name         string
	Label        string
	Value        string
	Width        string
	Autocomplete string
	Inputmode    string
}

// ServiceFields builds the inputs of a service's form in the language of lz,
// with every value of each input name given so far. A file field takes the
// types of accept. ownAddress lets the browser fill an address in with the
// user's own, as it should for a citizen and not for staff typing another's.
func ServiceFields(
	svc catalog.Service,
	lz *i18n.Localizer,
	values func(name string) []string,
	accept string,
	ownAddress bool,
) []Field {
	first := func(name string) string {
		if vs := values(name); len(vs) > 0 {
			return vs[0]
		}
		return ""
	}

	out := make([]Field, 0, len(svc.Form))
	for _, f := range svc.Form {
		name := "field_" + f.Code
		v := Field{
			ID: "field-" + f.Code, Name: name, Type: f.Type, Label: lz.Pick(f.Label),
			Help: lz.Pick(f.Help), Required: f.Required, MaxLength: f.Limit(), Value: first(name),
			Multiple: f.Type == catalog.FieldMulti, Options: fieldOptions(f, lz, values(name)),
		}
		if !f.Required {
			v.Optional = lz.T("form_optional")
		}
		if f.Type == catalog.FieldAddress {
			v.Parts = addressParts(v, lz, first, ownAddress)
		}
		if f.Type == catalog.FieldFile {
			v.Value, v.Accept = "", accept
			v.Help = strings.TrimSpace(v.Help + " " + lz.T("form_file_rules"))
		}
		out = append(out, v)
	}

	return out
}

// fieldOptions returns the answers of a choice field with the chosen ones
// checked; a yes/no field has two, whose labels come from the locales.
func fieldOptions(f catalog.Field, lz *i18n.Localizer, chosen []string) []FieldOption {
	picked := map[string]bool{}
	for _, c := range chosen {
		picked[c] = true
	}

	var out []FieldOption
	if f.Type == catalog.FieldYesNo {
		for _, key := range []string{"yes", "no"} {
			out = append(out, FieldOption{Key: key, Label: lz.T("answer_" + key),
				Checked: picked[key]})
		}
		return out
	}

	for _, o := range f.Options {
		out = append(out, FieldOption{Key: o.Key, Label: lz.Pick(o.Label), Checked: picked[o.Key]})
	}

	return out
}

// addressParts are the inputs of an address: street, number, postcode, and a
// free description for places without an address.
func addressParts(f Field, lz *i18n.Localizer, value func(string) string, own bool) []FieldPart {
	parts := []struct{ part, label, width, auto, mode string }{
		{catalog.AddressStreet, "address_street", "", "address-line1", ""},
		{catalog.AddressNumber, "address_number", "kern-form-input__input--width-4", "", ""},
		{catalog.AddressPostcode, "address_postcode", "kern-form-input__input--width-4",
			"postal-code", "numeric"},
		{catalog.AddressText, "address_text", "", "", ""},
	}

	out := make([]FieldPart, 0, len(parts))
	for _, p := range parts {
		name := f.Name + "_" + p.part
		part := FieldPart{
			ID: f.ID + "-" + p.part, Name: name, Label: lz.T(p.label), Value: value(name),
			Width: p.width, Inputmode: p.mode,
		}
		if own {
			part.Autocomplete = p.auto
		}
		out = append(out, part)
	}

	return out
}
