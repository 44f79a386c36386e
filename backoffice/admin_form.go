package backoffice

import (
	"errors"
	"net/url"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/changelog"
)

// fieldTypes are the field types the form editor offers, in the order of its
// choice list.
var fieldTypes = []string{
	catalog.FieldText, catalog.FieldTextarea, catalog.FieldNumber, catalog.FieldDate,
	catalog.FieldEmail, catalog.FieldPhone, catalog.FieldChoice, catalog.FieldMulti,
	catalog.FieldYesNo, catalog.FieldAddress, catalog.FieldFile, catalog.FieldInfo,
}

// formEditorPage lists a service's form fields in order, with the buttons that
// move and remove them and the choice of a type for a new field.
type formEditorPage struct {
	Page
	ServiceID int64
	Title     string
	Saved     string
	Stale     bool
	Version   int64
	Fields    []fieldRow
	AddType   input
}

type fieldRow struct {
	Code     string
	TypeName string
	Label    string
	Required bool
	First    bool
	Last     bool
}

func (b *Backoffice) adminForm(c *fiber.Ctx) error {
	svc, err := b.serviceParam(c)
	if err != nil {
		return err
	}

	version, err := b.catalog.ServiceVersion(c.UserContext(), svc.ID)
	if err != nil {
		return err
	}

	p := b.newPage(c)
	page := formEditorPage{
		Page: p, ServiceID: svc.ID, Saved: c.Query("saved"), Stale: c.Query("stale") != "",
		Version: version,
		Title:   p.T("bo_admin_form_title", "Name", p.Pick(svc.Name)),
		AddType: input{ID: "type", Name: "type", Label: p.T("bo_admin_form_add_type"),
			Help: p.T("bo_admin_form_add_type_hint")},
	}
	for i, f := range svc.Form {
		page.Fields = append(page.Fields, fieldRow{
			Code: f.Code, TypeName: p.T("bo_admin_field_type_" + f.Type), Label: p.Pick(f.Label),
			Required: f.Required, First: i == 0, Last: i == len(svc.Form)-1,
		})
	}
	for _, t := range fieldTypes {
		page.AddType.Options = append(page.AddType.Options,
			option{Value: t, Name: p.T("bo_admin_field_type_" + t)})
	}

	return b.web.Render(c, fiber.StatusOK, "admin_form", page)
}

// adminFormMove moves a field one place up or down.
func (b *Backoffice) adminFormMove(c *fiber.Ctx) error {
	svc, i, err := b.fieldParam(c)
	if err != nil {
		return err
	}

	j := i - 1
	if c.FormValue("direction") == "down" {
		j = i + 1
	}
	if j < 0 || j >= len(svc.Form) {
		return c.Redirect(formURL(svc.ID), fiber.StatusSeeOther)
	}

	form := slices.Clone(svc.Form)
	form[i], form[j] = form[j], form[i]
	err = b.saveForm(c, svc.ID, formVersion(c), form, "form.field_move", form[j].Code)
	if errors.Is(err, catalog.ErrStale) {
		return c.Redirect(formURL(svc.ID)+"?stale=1", fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}

	return c.Redirect(formURL(svc.ID)+"?saved=moved#field-"+form[j].Code, fiber.StatusSeeOther)
}

// adminFormRemove removes a field; answers already given to it stay with their
// tickets, which store answers by field code.
func (b *Backoffice) adminFormRemove(c *fiber.Ctx) error {
	svc, i, err := b.fieldParam(c)
	if err != nil {
		return err
	}

	code := svc.Form[i].Code
	form := slices.Delete(slices.Clone(svc.Form), i, i+1)
	err = b.saveForm(c, svc.ID, formVersion(c), form, "form.field_remove", code)
	if errors.Is(err, catalog.ErrStale) {
		return c.Redirect(formURL(svc.ID)+"?stale=1", fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}

	return c.Redirect(formURL(svc.ID)+"?saved=removed", fiber.StatusSeeOther)
}

func (b *Backoffice) saveForm(
	c *fiber.Ctx,
	serviceID, version int64,
	form []catalog.Field,
	action, code string,
) error {
	return b.catalog.UpdateForm(c.UserContext(), serviceID, version, form, changelog.Change{
		StaffID: currentStaff(c).ID, Action: action, Detail: map[string]any{"field": code},
	})
}

// fieldParam returns the service of the path's id and the place in its form of
// the field of the path's code; 404 for either unknown.
func (b *Backoffice) fieldParam(c *fiber.Ctx) (catalog.Service, int, error) {
	svc, err := b.serviceParam(c)
	if err != nil {
		return catalog.Service{}, 0, err
	}

	i := fieldIndex(svc.Form, c.Params("code"))
	if i < 0 {
		return catalog.Service{}, 0, fiber.ErrNotFound
	}

	return svc, i, nil
}

func fieldIndex(form []catalog.Field, code string) int {
	return slices.IndexFunc(form, func(f catalog.Field) bool { return f.Code == code })
}

func formURL(serviceID int64) string {
	return serviceURL(serviceID) + "/form"
}

func fieldURL(serviceID int64, code string) string {
	return formURL(serviceID) + "/fields/" + url.PathEscape(code)
}

func newFieldURL(serviceID int64, kind string) string {
	return formURL(serviceID) + "/new?type=" + url.QueryEscape(kind)
}

func itoa(n int) string { return strconv.Itoa(n) }
