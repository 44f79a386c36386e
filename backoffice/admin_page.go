package backoffice

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/i18n"
)

// input is one input of an administration form, as the admin_* partials draw
// it; Lang and LangName mark a text in one of the portal's languages.
type input struct {
	ID       string
	Name     string
	Label    string
	Value    string
	Help     string
	Error    string
	Type     string
	Rows     int
	Lang     string
	LangName string
	Dir      string
	Checked  bool
	Options  []option
}

// textsInput is a group of inputs of one text in every language of the portal.
type textsInput struct {
	ID     string
	Legend string
	Inputs []input
}

// summaryItem is one entry of an error summary: a link to the invalid input.
type summaryItem struct {
	Href string
	Text string
}

// formErrors collects the translated messages of a form's invalid inputs, by
// input ID, in the order the inputs appear.
type formErrors struct {
	t      func(id string, args ...any) string
	Errors []summaryItem
	at     map[string]string
}

func newFormErrors(p Page) *formErrors {
	return &formErrors{t: p.T, at: map[string]string{}}
}

// add records the message msg for the input id, once per input.
func (e *formErrors) add(id, msg string, args ...any) {
	if _, ok := e.at[id]; ok {
		return
	}

	text := e.t(msg, args...)
	e.at[id] = text
	e.Errors = append(e.Errors, summaryItem{Href: "#" + id, Text: text})
}

func (e *formErrors) ok() bool { return len(e.Errors) == 0 }

// of returns the message of the input id, or "".
func (e *formErrors) of(id string) string { return e.at[id] }

// adminLanguages are the portal's languages, in which catalogue texts are kept.
func (b *Backoffice) adminLanguages() []i18n.Language {
	if b.deps.Languages != nil {
		return b.deps.Languages.Languages()
	}

	return b.web.Bundle().Languages()
}

func (b *Backoffice) languageTags() []string {
	var tags []string
	for _, l := range b.adminLanguages() {
		tags = append(tags, l.Tag)
	}

	return tags
}

// textsFrom reads the inputs <name>_<tag> of every language into texts, and
// records an error for any that is too long or has control characters.
func (b *Backoffice) textsFrom(
	c *fiber.Ctx,
	name string,
	limit int,
	multiline bool,
	errs *formErrors,
) catalog.Texts {
	texts := catalog.Texts{}
	for _, l := range b.adminLanguages() {
		id := name + "_" + l.Tag
		v := strings.TrimSpace(c.FormValue(id))
		if utf8.RuneCountInString(v) > limit {
			errs.add(id, "bo_admin_error_too_long", "Max", limit)
		} else if !catalog.CleanText(v, multiline) {
			errs.add(id, "bo_admin_error_control")
		}

		// An invalid text is kept too, so that the form shows it again; the
		// errors stop it from being stored.
		if v != "" {
			texts[l.Tag] = v
		}
	}

	return texts
}

// textsInputs builds the inputs of one text in every language.
func (b *Backoffice) textsInputs(
	name, legend, kind string,
	texts catalog.Texts,
	errs *formErrors,
) textsInput {
	group := textsInput{ID: name, Legend: legend}
	for _, l := range b.adminLanguages() {
		id := name + "_" + l.Tag
		group.Inputs = append(group.Inputs, input{
			ID: id, Name: id, Label: legend, Value: texts[l.Tag], Error: errs.of(id),
			Type: kind, Lang: l.Tag, LangName: l.Name, Dir: l.Dir,
		})
	}

	return group
}

// days reads a number of days between 1 and 365 from the input name; empty is
// nil unless required.
func days(c *fiber.Ctx, name string, required bool, errs *formErrors) *int32 {
	v := strings.TrimSpace(c.FormValue(name))
	if v == "" {
		if required {
			errs.add(name, "bo_admin_error_required")
		}
		return nil
	}

	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 365 {
		errs.add(name, "bo_admin_error_days")
		return nil
	}

	d := int32(n)

	return &d
}

func daysValue(d *int32) string {
	if d == nil {
		return ""
	}

	return strconv.Itoa(int(*d))
}

// idParam reads the route parameter name as an ID; 404 when it is none.
func idParam(c *fiber.Ctx, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Params(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fiber.ErrNotFound
	}

	return id, nil
}
