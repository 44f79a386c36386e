package backoffice

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
)

// newOptionRows is how many empty rows for new options a choice field's page
// offers at a time; saving offers as many again.
const newOptionRows = 3

// fieldPage adds a field to a form or edits one. The code of an existing field
// cannot change, because tickets keep their answers under it.
type fieldPage struct {
	Page
	Errors     []summaryItem
	ServiceID  int64
	Version    int64
	Title      string
	Action     string
	New        bool
	Type       string
	TypeName   string
	Code       input
	Label      textsInput
	Help       textsInput
	Required   input
	MaxLength  input
	HasOptions bool
	Options    []optionInputs
	NewOptions []optionInputs
}

// optionInputs are the inputs of one answer of a choice field.
type optionInputs struct {
	Key    string
	KeyIn  input
	Labels textsInput
	Remove input
}

var fieldCodePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

func (b *Backoffice) adminFieldNew(c *fiber.Ctx) error {
	svc, err := b.serviceParam(c)
	if err != nil {
		return err
	}

	kind := c.Query("type")
	if !slices.Contains(fieldTypes, kind) {
		return fiber.ErrNotFound
	}

	version, err := b.catalog.ServiceVersion(c.UserContext(), svc.ID)
	if err != nil {
		return err
	}

	errs := newFormErrors(b.newPage(c))

	return b.renderField(c, fiber.StatusOK, svc.ID, version, catalog.Field{Type: kind}, true, errs)
}

func (b *Backoffice) adminFieldEdit(c *fiber.Ctx) error {
	svc, i, err := b.fieldParam(c)
	if err != nil {
		return err
	}

	version, err := b.catalog.ServiceVersion(c.UserContext(), svc.ID)
	if err != nil {
		return err
	}

	errs := newFormErrors(b.newPage(c))

	return b.renderField(c, fiber.StatusOK, svc.ID, version, svc.Form[i], false, errs)
}

func (b *Backoffice) adminFieldCreate(c *fiber.Ctx) error {
	svc, err := b.serviceParam(c)
	if err != nil {
		return err
	}

	kind := c.FormValue("type")
	if !slices.Contains(fieldTypes, kind) {
		return fiber.ErrNotFound
	}

	errs := newFormErrors(b.newPage(c))
	f := catalog.Field{Type: kind, Code: strings.TrimSpace(c.FormValue("code"))}
	switch {
	case !fieldCodePattern.MatchString(f.Code):
		errs.add("code", "bo_admin_error_field_code")
	case fieldIndex(svc.Form, f.Code) >= 0:
		errs.add("code", "bo_admin_error_field_code_taken")
	}

	f = b.readField(c, f, errs)
	if !errs.ok() {
		return b.renderField(c, fiber.StatusUnprocessableEntity, svc.ID, formVersion(c), f, true,
			errs)
	}

	form := append(slices.Clone(svc.Form), f)
	err = b.saveForm(c, svc.ID, formVersion(c), form, "form.field_add", f.Code)
	if errors.Is(err, catalog.ErrStale) {
		return b.staleField(c, svc.ID, f, true, errs)
	}
	if err != nil {
		return err
	}

	return c.Redirect(formURL(svc.ID)+"?saved=added#field-"+f.Code, fiber.StatusSeeOther)
}

func (b *Backoffice) adminFieldUpdate(c *fiber.Ctx) error {
	svc, i, err := b.fieldParam(c)
	if err != nil {
		return err
	}

	errs := newFormErrors(b.newPage(c))
	f := b.readField(c, svc.Form[i], errs)
	if !errs.ok() {
		return b.renderField(c, fiber.StatusUnprocessableEntity, svc.ID, formVersion(c), f, false,
			errs)
	}

	form := slices.Clone(svc.Form)
	form[i] = f
	err = b.saveForm(c, svc.ID, formVersion(c), form, "form.field_update", f.Code)
	if errors.Is(err, catalog.ErrStale) {
		return b.staleField(c, svc.ID, f, false, errs)
	}
	if err != nil {
		return err
	}

	return c.Redirect(formURL(svc.ID)+"?saved=updated#field-"+f.Code, fiber.StatusSeeOther)
}

// staleField shows the field's page again after another administrator changed
// the form meanwhile, with what was sent and the current version, so that
// saving again is a decision made knowingly.
func (b *Backoffice) staleField(
	c *fiber.Ctx,
	serviceID int64,
	f catalog.Field,
	isNew bool,
	errs *formErrors,
) error {
	current, err := b.catalog.ServiceVersion(c.UserContext(), serviceID)
	if err != nil {
		return err
	}

	errs.add("label_de", "bo_admin_error_stale")

	return b.renderField(c, fiber.StatusConflict, serviceID, current, f, isNew, errs)
}

// readField reads the labels, help texts, limits and answers of a field into
// old, whose code and type stay, and records what is wrong in errs.
func (b *Backoffice) readField(c *fiber.Ctx, old catalog.Field, errs *formErrors) catalog.Field {
	f := catalog.Field{Code: old.Code, Type: old.Type}
	f.Label = b.textsFrom(c, "label", 500, false, errs)
	if f.Label["de"] == "" {
		errs.add("label_de", "bo_admin_error_label_german")
	}
	f.Help = b.textsFrom(c, "help", 2000, true, errs)
	if len(f.Help) == 0 {
		f.Help = nil
	}

	if f.Type != catalog.FieldInfo {
		f.Required = c.FormValue("required") != ""
	}

	if hasLimit(f.Type) {
		if v := strings.TrimSpace(c.FormValue("max_length")); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 10000 {
				errs.add("max_length", "bo_admin_error_max_length")
			}
			f.MaxLength = n
		}
	}

	if hasOptions(f.Type) {
		f.Options = b.readOptions(c, old.Options, errs)
	}

	return f
}

// readOptions reads the answers of a choice field: the existing ones, which
// keep their keys unless removed, and the new rows that were filled in.
func (b *Backoffice) readOptions(
	c *fiber.Ctx,
	old []catalog.Option,
	errs *formErrors,
) []catalog.Option {
	var opts []catalog.Option
	keys := map[string]bool{}
	for _, o := range old {
		keys[o.Key] = true
		prefix := "opt_" + o.Key
		labels := b.textsFrom(c, prefix+"_label", 500, false, errs)
		if c.FormValue(prefix+"_remove") != "" {
			continue
		}
		if labels["de"] == "" {
			errs.add(prefix+"_label_de", "bo_admin_error_label_german")
		}
		opts = append(opts, catalog.Option{Key: o.Key, Label: labels})
	}

	for n := 1; n <= newOptionRows; n++ {
		prefix := "newopt_" + strconv.Itoa(n)
		key := strings.TrimSpace(c.FormValue(prefix + "_key"))
		labels := b.textsFrom(c, prefix+"_label", 500, false, errs)
		if key == "" && len(labels) == 0 {
			continue
		}

		switch {
		case !fieldCodePattern.MatchString(key):
			errs.add(prefix+"_key", "bo_admin_error_option_key")
		case keys[key]:
			errs.add(prefix+"_key", "bo_admin_error_option_key_taken")
		case labels["de"] == "":
			errs.add(prefix+"_label_de", "bo_admin_error_label_german")
		}
		keys[key] = true
		opts = append(opts, catalog.Option{Key: key, Label: labels})
	}

	if len(opts) == 0 {
		errs.add("newopt_1_key", "bo_admin_error_options")
	}

	return opts
}

func hasLimit(kind string) bool {
	return kind == catalog.FieldText || kind == catalog.FieldTextarea
}

func hasOptions(kind string) bool {
	return kind == catalog.FieldChoice || kind == catalog.FieldMulti
}
