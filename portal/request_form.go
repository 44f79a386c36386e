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
	Fields    []web.Field
	Contact   []web.Field
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

	for _, v := range web.ServiceFields(svc, page.Localizer, values, p.accept, true) {
		page.Fields = append(page.Fields, page.withError(v, errs))
	}

	for _, in := range []struct{ name, typ, label string }{
		{inputName, catalog.FieldText, "form_contact_name"},
		{inputEmail, catalog.FieldEmail, "form_contact_email"},
		{inputPhone, catalog.FieldPhone, "form_contact_phone"},
	} {
		v := web.Field{
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

func (page *formPage) withError(v web.Field, errs map[string]string) web.Field {
	id, ok := errs[v.Name]
	if !ok {
		return v
	}

	v.Error = page.T(id, "Field", v.Label, "Max", v.MaxLength)
	page.Errors = append(page.Errors, summaryItem{Href: "#" + v.ID, Text: v.Error})

	return v
}
