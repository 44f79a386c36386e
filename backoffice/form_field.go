package backoffice

import (
	"strings"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/i18n"
)

// formField is one input as the shared "field" template draws it, with its
// label, hint and error, the same for the portal's forms and the back
// office's.
type formField struct {
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
	Options   []fieldOption
	Multiple  bool
	Parts     []fieldPart
	Accept    string
}

// fieldOption is one answer of a choice field.
type fieldOption struct {
	Key     string
	Label   string
	Checked bool
}

// fieldPart is one input of a composite field such as an address.
type fieldPart struct {
	ID           string
	Name         string
	Label        string
	Value        string
	Width        string
	Autocomplete string
	Inputmode    string
}

// summaryLink is one entry of an error summary, leading to its field.
type summaryLink struct {
	Href string
	Text string
}

// fieldErrors collects translated field errors and the summary that leads to
// them.
type fieldErrors struct {
	lz      *i18n.Localizer
	byID    map[string]string
	Summary []summaryLink
}

func newFieldErrors(lz *i18n.Localizer) *fieldErrors {
	return &fieldErrors{lz: lz, byID: map[string]string{}}
}

// add records the message ID msg for the field with id, its label filled in.
func (e *fieldErrors) add(id, msg, label string, maxLength int) {
	text := e.lz.T(msg, "Field", label, "Max", maxLength)
	e.byID[id] = text
	e.Summary = append(e.Summary, summaryLink{Href: "#" + id, Text: text})
}

// apply puts the recorded error of f into it.
func (e *fieldErrors) apply(f formField) formField {
	f.Error = e.byID[f.ID]
	return f
}

// textField is a text input of a back-office form: required unless optional
// names the word for it.
func textField(id, typ, label, help, value string, maxLength int, optional string) formField {
	return formField{
		ID: id, Name: id, Type: typ, Label: label, Help: help, Value: value,
		MaxLength: maxLength, Required: optional == "", Optional: optional,
	}
}

// serviceFields builds the inputs of a service's form, as the portal does, with
// the values given so far; a file field, such as for a scanned letter, takes
// the types of accept.
func serviceFields(
	svc catalog.Service,
	lz *i18n.Localizer,
	values func(string) []string,
	accept string,
) []formField {
	first := func(name string) string {
		if vs := values(name); len(vs) > 0 {
			return vs[0]
		}
		return ""
	}

	var out []formField
	for _, f := range svc.Form {
		name := "field_" + f.Code
		v := formField{
			ID: "field-" + f.Code, Name: name, Type: f.Type, Label: lz.Pick(f.Label),
			Help: lz.Pick(f.Help), Required: f.Required, MaxLength: f.Limit(), Value: first(name),
			Multiple: f.Type == catalog.FieldMulti,
		}
		if !f.Required {
			v.Optional = lz.T("form_optional")
		}
		v.Options = fieldOptions(f, lz, values(name))
		if f.Type == catalog.FieldAddress {
			v.Parts = addressParts(v, lz, first)
		}
		if f.Type == catalog.FieldFile {
			v.Value, v.Accept = "", accept
			v.Help = strings.TrimSpace(v.Help + " " + lz.T("form_file_rules"))
		}
		out = append(out, v)
	}

	return out
}

func fieldOptions(f catalog.Field, lz *i18n.Localizer, chosen []string) []fieldOption {
	picked := map[string]bool{}
	for _, c := range chosen {
		picked[c] = true
	}

	var out []fieldOption
	if f.Type == catalog.FieldYesNo {
		for _, key := range []string{"yes", "no"} {
			out = append(out, fieldOption{Key: key, Label: lz.T("answer_" + key),
				Checked: picked[key]})
		}
		return out
	}

	for _, o := range f.Options {
		out = append(out, fieldOption{Key: o.Key, Label: lz.Pick(o.Label), Checked: picked[o.Key]})
	}

	return out
}

func addressParts(f formField, lz *i18n.Localizer, value func(string) string) []fieldPart {
	parts := []struct{ part, label, width, mode string }{
		{catalog.AddressStreet, "address_street", "", ""},
		{catalog.AddressNumber, "address_number", "kern-form-input__input--width-4", ""},
		{catalog.AddressPostcode, "address_postcode", "kern-form-input__input--width-4", "numeric"},
		{catalog.AddressText, "address_text", "", ""},
	}

	var out []fieldPart
	for _, p := range parts {
		name := f.Name + "_" + p.part
		out = append(out, fieldPart{
			ID: f.ID + "-" + p.part, Name: name, Label: lz.T(p.label), Value: value(name),
			Width: p.width, Inputmode: p.mode,
		})
	}

	return out
}
