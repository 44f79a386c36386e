package portal

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/web"
)

// Names of the contact inputs; form fields are named field_<code>.
const (
	inputName  = "contact_name"
	inputEmail = "contact_email"
	inputPhone = "contact_phone"
)

type optionView struct {
	Key     string
	Label   string
	Checked bool
}

type fieldView struct {
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
	Options   []optionView
	Multiple  bool
	Parts     []partView
	Accept    string
}

// partView is one input of a composite field such as an address.
type partView struct {
	ID           string
	Name         string
	Label        string
	Value        string
	Width        string
	Autocomplete string
	Inputmode    string
}

type summaryItem struct {
	Href string
	Text string
}

type formPage struct {
	web.Page
	Code      string
	Name      string
	Help      string
	Promise   string
	Anonymous bool
	Action    string
	Fields    []fieldView
	Contact   []fieldView
	Errors    []summaryItem
	// Notice is the city's own privacy notice in the reader's language, by
	// paragraph; empty shows the shipped one.
	Notice []string
}

func (p *Portal) requestForm(c *fiber.Ctx) error {
	svc, err := p.publicService(c)
	if err != nil {
		return err
	}

	page := p.newFormPage(c, svc, func(string) []string { return nil }, nil)

	return p.web.Render(c, fiber.StatusOK, "request_form", page)
}

// publicService loads the service named in the path; unknown and non-public
// services are not found.
func (p *Portal) publicService(c *fiber.Ctx) (catalog.Service, error) {
	svc, err := p.catalog.SharedServiceByCode(c.UserContext(), c.Params("code"))
	if errors.Is(err, db.ErrNotFound) || (err == nil && !svc.Public) {
		return catalog.Service{}, fiber.ErrNotFound
	}

	return svc, err
}

// newFormPage builds the form of svc with the values given so far (every value of
// each input name) and the message IDs of their errors by input name.
func (p *Portal) newFormPage(
	c *fiber.Ctx,
	svc catalog.Service,
	values func(name string) []string,
	errs map[string]string,
) formPage {
	value := func(name string) string {
		if vs := values(name); len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	page := formPage{
		Page: p.web.NewPage(c), Code: svc.Code, Anonymous: svc.AllowAnonymous,
		Action: "/services/" + svc.Code,
	}
	page.Name = page.Pick(svc.Name)
	page.Help = page.Pick(svc.Help)
	page.Promise = page.Pick(svc.Promise)
	// Should the notice not be read, the shipped one is shown: the page then
	// still says what happens to the data, and the submission reports the
	// database's failure itself.
	notice, _ := p.catalog.PrivacyText(c.UserContext(), catalog.PrivacyNotice, page.Tag)
	page.Notice = catalog.Paragraphs(notice)

	for _, f := range svc.Form {
		v := fieldView{
			ID: "field-" + f.Code, Name: "field_" + f.Code, Type: f.Type,
			Label: page.Pick(f.Label), Help: page.Pick(f.Help), Required: f.Required,
			MaxLength: f.Limit(), Value: value("field_" + f.Code),
		}
		if !f.Required {
			v.Optional = page.T("form_optional")
		}
		v.Options = page.options(f, values("field_"+f.Code))
		v.Multiple = f.Type == catalog.FieldMulti
		if f.Type == catalog.FieldAddress {
			v.Parts = page.addressParts(v, value)
		}
		if f.Type == catalog.FieldFile {
			v.Accept = p.accept
			v.Help = strings.TrimSpace(v.Help + " " + page.T("form_file_rules"))
		}
		page.Fields = append(page.Fields, page.withError(v, errs))
	}

	for _, in := range []struct{ name, typ, label string }{
		{inputName, catalog.FieldText, "form_contact_name"},
		{inputEmail, catalog.FieldEmail, "form_contact_email"},
		{inputPhone, catalog.FieldPhone, "form_contact_phone"},
	} {
		v := fieldView{
			ID: in.name, Name: in.name, Type: in.typ, Label: page.T(in.label),
			MaxLength: 200, Value: value(in.name),
		}
		if svc.AllowAnonymous || in.name == inputPhone {
			v.Optional = page.T("form_optional")
		} else {
			v.Required = true
		}
		if in.name == inputEmail {
			v.Help = page.T("form_contact_email_help")
		}
		page.Contact = append(page.Contact, page.withError(v, errs))
	}

	if id, ok := errs[honeypotField]; ok && len(page.Fields) > 0 {
		page.Errors = append(page.Errors, summaryItem{
			Href: "#" + page.Fields[0].ID, Text: page.T(id),
		})
	}

	return page
}

// options returns the answers of a choice field with the chosen ones checked; a
// yes/no field has two, whose labels come from the locales.
func (page *formPage) options(f catalog.Field, chosen []string) []optionView {
	picked := map[string]bool{}
	for _, c := range chosen {
		picked[c] = true
	}

	var out []optionView
	if f.Type == catalog.FieldYesNo {
		for _, key := range []string{"yes", "no"} {
			out = append(out, optionView{
				Key: key, Label: page.T("answer_" + key), Checked: picked[key],
			})
		}
		return out
	}

	for _, o := range f.Options {
		out = append(out, optionView{Key: o.Key, Label: page.Pick(o.Label), Checked: picked[o.Key]})
	}

	return out
}

// addressParts are the inputs of an address: street, number, postcode, and a
// free description for places without an address.
func (page *formPage) addressParts(f fieldView, value func(string) string) []partView {
	parts := []struct{ part, label, width, auto, mode string }{
		{catalog.AddressStreet, "address_street", "", "address-line1", ""},
		{catalog.AddressNumber, "address_number", "kern-form-input__input--width-4", "", ""},
		{catalog.AddressPostcode, "address_postcode", "kern-form-input__input--width-4",
			"postal-code", "numeric"},
		{catalog.AddressText, "address_text", "", "", ""},
	}

	var out []partView
	for _, p := range parts {
		name := f.Name + "_" + p.part
		out = append(out, partView{
			ID: f.ID + "-" + p.part, Name: name, Label: page.T(p.label), Value: value(name),
			Width: p.width, Autocomplete: p.auto, Inputmode: p.mode,
		})
	}

	return out
}

func (page *formPage) withError(v fieldView, errs map[string]string) fieldView {
	id, ok := errs[v.Name]
	if !ok {
		return v
	}

	v.Error = page.T(id, "Field", v.Label, "Max", v.MaxLength)
	page.Errors = append(page.Errors, summaryItem{Href: "#" + v.ID, Text: v.Error})

	return v
}
