package backoffice

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
)

// renderField shows the page of field f; known are the answers the stored
// field has, and after a refused POST every input shows what was sent.
func (b *Backoffice) renderField(
	c *fiber.Ctx,
	status int,
	serviceID, version int64,
	f catalog.Field,
	isNew bool,
	errs *formErrors,
) error {
	p := b.newPage(c)
	page := fieldPage{
		Page: p, Errors: errs.Errors, ServiceID: serviceID, Version: version, New: isNew,
		Type:     f.Type,
		TypeName: p.T("bo_admin_field_type_" + f.Type), HasOptions: hasOptions(f.Type),
		Code: input{ID: "code", Name: "code", Label: p.T("bo_admin_field_code"),
			Help: p.T("bo_admin_field_code_hint"), Value: f.Code, Error: errs.of("code")},
		Label: b.textsInputs("label", p.T("bo_admin_field_label"), "text", f.Label, errs),
		Help:  b.textsInputs("help", p.T("bo_admin_field_help"), "textarea", f.Help, errs),
	}

	page.Title = p.T("bo_admin_field_edit", "Name", p.Pick(f.Label))
	page.Action = fieldURL(serviceID, f.Code)
	if isNew {
		page.Title = p.T("bo_admin_field_new", "Type", page.TypeName)
		page.Action = formURL(serviceID) + "/new"
	}

	if f.Type != catalog.FieldInfo {
		page.Required = input{ID: "required", Name: "required",
			Label: p.T("bo_admin_field_required"), Checked: f.Required}
	}

	if hasLimit(f.Type) {
		page.MaxLength = input{ID: "max_length", Name: "max_length", Type: "number",
			Label: p.T("bo_admin_field_max_length"), Help: p.T("bo_admin_field_max_length_hint"),
			Error: errs.of("max_length")}
		if f.MaxLength > 0 {
			page.MaxLength.Value = strconv.Itoa(f.MaxLength)
		}
		if page.MaxLength.Error != "" {
			page.MaxLength.Value = c.FormValue("max_length")
		}
	}

	if page.HasOptions {
		known, err := b.knownOptions(c, serviceID, f.Code, isNew)
		if err != nil {
			return err
		}
		b.optionInputs(c, &page, known, errs)
	}

	return b.web.Render(c, status, "admin_field", page)
}

// knownOptions returns the answers of the stored field, none for a new one.
func (b *Backoffice) knownOptions(
	c *fiber.Ctx,
	serviceID int64,
	code string,
	isNew bool,
) ([]catalog.Option, error) {
	if isNew {
		return nil, nil
	}

	svc, err := b.catalog.ServiceByID(c.UserContext(), serviceID)
	if err != nil {
		return nil, err
	}

	if i := fieldIndex(svc.Form, code); i >= 0 {
		return svc.Form[i].Options, nil
	}

	return nil, nil
}

func (b *Backoffice) optionInputs(
	c *fiber.Ctx,
	page *fieldPage,
	known []catalog.Option,
	errs *formErrors,
) {
	p := page.Page
	posted := c.Method() == fiber.MethodPost
	for _, o := range known {
		prefix := "opt_" + o.Key
		labels := o.Label
		if posted {
			labels = b.textsFrom(c, prefix+"_label", 500, false, newFormErrors(p))
		}
		legend := p.T("bo_admin_option_label", "Key", o.Key)
		page.Options = append(page.Options, optionInputs{
			Key:    o.Key,
			Labels: b.textsInputs(prefix+"_label", legend, "text", labels, errs),
			Remove: input{ID: prefix + "_remove", Name: prefix + "_remove",
				Label:   p.T("bo_admin_option_remove", "Key", o.Key),
				Checked: posted && c.FormValue(prefix+"_remove") != ""},
		})
	}

	for n := 1; n <= newOptionRows; n++ {
		prefix := "newopt_" + strconv.Itoa(n)
		var key string
		labels := catalog.Texts{}
		if posted {
			key = c.FormValue(prefix + "_key")
			labels = b.textsFrom(c, prefix+"_label", 500, false, newFormErrors(p))
		}
		page.NewOptions = append(page.NewOptions, optionInputs{
			KeyIn: input{ID: prefix + "_key", Name: prefix + "_key", Value: key,
				Label: p.T("bo_admin_option_key", "Number", n), Help: p.T("bo_admin_option_key_hint"),
				Error: errs.of(prefix + "_key")},
			Labels: b.textsInputs(prefix+"_label", p.T("bo_admin_option_new_label", "Number", n),
				"text", labels, errs),
		})
	}
}
