package backoffice

import (
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/web"
)

// formField is one input of a back-office form, as the shared "field"
// template draws it.
type formField = web.Field

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
