package portal

import (
	"errors"

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
	Fields    []fieldView
	Contact   []fieldView
	Errors    []summaryItem
}

func (p *Portal) requestForm(c *fiber.Ctx) error {
	svc, err := p.publicService(c)
	if err != nil {
		return err
	}

	page := p.newFormPage(c, svc, func(string) string { return "" }, nil)

	return p.web.Render(c, fiber.StatusOK, "request_form", page)
}

// publicService loads the service named in the path; unknown and non-public
// services are not found.
func (p *Portal) publicService(c *fiber.Ctx) (catalog.Service, error) {
	svc, err := p.catalog.ServiceByCode(c.UserContext(), c.Params("code"))
	if errors.Is(err, db.ErrNotFound) || (err == nil && !svc.Public) {
		return catalog.Service{}, fiber.ErrNotFound
	}

	return svc, err
}

// newFormPage builds the form of svc with the values given so far and the
// message IDs of their errors by input name.
func (p *Portal) newFormPage(
	c *fiber.Ctx,
	svc catalog.Service,
	value func(name string) string,
	errs map[string]string,
) formPage {
	page := formPage{
		Page: p.web.NewPage(c), Code: svc.Code, Anonymous: svc.AllowAnonymous,
	}
	page.Name = page.Pick(svc.Name)
	page.Help = page.Pick(svc.Help)
	page.Promise = page.Pick(svc.Promise)

	for _, f := range svc.Form {
		v := fieldView{
			ID: "field-" + f.Code, Name: "field_" + f.Code, Type: f.Type,
			Label: page.Pick(f.Label), Help: page.Pick(f.Help), Required: f.Required,
			MaxLength: f.Limit(), Value: value("field_" + f.Code),
		}
		if !f.Required {
			v.Optional = page.T("form_optional")
		}
		v.Options = page.options(f, v.Value)
		page.Fields = append(page.Fields, page.withError(v, errs))
	}

	for _, in := range []struct{ name, typ, label string }{
		{inputName, catalog.FieldText, "form_contact_name"},
		{inputEmail, catalog.FieldEmail, "form_contact_email"},
		{inputPhone, catalog.FieldPhone, "form_contact_phone"},
	} {
		v := fieldView{
			ID: in.name, Name: in.name, Type: in.typ, Label: page.T(in.label),
			Optional: page.T("form_optional"), MaxLength: 200, Value: value(in.name),
		}
		if in.name == inputEmail {
			v.Help = page.T("form_contact_email_help")
		}
		page.Contact = append(page.Contact, page.withError(v, errs))
	}

	return page
}

// options returns the answers of a choice field with the chosen one checked; a
// yes/no field has two, whose labels come from the locales.
func (page *formPage) options(f catalog.Field, chosen string) []optionView {
	var out []optionView
	if f.Type == catalog.FieldYesNo {
		for _, key := range []string{"yes", "no"} {
			out = append(out, optionView{
				Key: key, Label: page.T("answer_" + key), Checked: chosen == key,
			})
		}
		return out
	}

	for _, o := range f.Options {
		out = append(out, optionView{
			Key: o.Key, Label: page.Pick(o.Label), Checked: chosen == o.Key,
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
