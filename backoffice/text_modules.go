package backoffice

import (
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/textmodule"
)

// moduleListPage lists the text modules for administrators.
type moduleListPage struct {
	Page
	Modules []moduleRow
	Notice  string
}

// moduleRow is one module of the list.
type moduleRow struct {
	textmodule.Module
	Team      string
	Languages int
}

func (b *Backoffice) moduleList(c *fiber.Ctx) error {
	list, err := b.modules.List(c.UserContext())
	if err != nil {
		return err
	}

	page := moduleListPage{Page: b.newPage(c)}
	for _, m := range list {
		row := moduleRow{Module: m, Team: page.T("bo_module_all_teams"), Languages: len(m.Body)}
		if m.TeamID != nil {
			row.Team = page.Pick(m.TeamName)
		}
		page.Modules = append(page.Modules, row)
	}
	switch c.Query("done") {
	case "saved":
		page.Notice = page.T("bo_module_saved")
	case "deleted":
		page.Notice = page.T("bo_module_deleted")
	}

	return b.web.Render(c, fiber.StatusOK, "text_modules", page)
}

// moduleFormPage edits one text module, or a new one when ID is zero.
type moduleFormPage struct {
	Page
	ID           int64
	Name         formField
	Teams        []option
	Texts        []moduleText
	Placeholders string
	Errors       []summaryLink
}

// moduleText is the input of one language's text.
type moduleText struct {
	formField
	Tag string
	Dir string
}

func (b *Backoffice) moduleForm(c *fiber.Ctx) error {
	var m textmodule.Module
	if id := c.Params("id"); id != "" {
		n, _ := strconv.ParseInt(id, 10, 64)
		var err error
		if m, err = b.modules.Get(c.UserContext(), n); errors.Is(err, db.ErrNotFound) {
			return fiber.ErrNotFound
		} else if err != nil {
			return err
		}
	}

	return b.renderModuleForm(c, fiber.StatusOK, m, nil)
}

// moduleSave stores a new or changed module, or shows the form again with the
// errors and everything typed.
func (b *Backoffice) moduleSave(c *fiber.Ctx) error {
	m, errs, err := b.moduleFromForm(c)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return b.renderModuleForm(c, fiber.StatusUnprocessableEntity, m, errs)
	}

	staffID := currentStaff(c).ID
	if m.ID == 0 {
		m.ID, err = b.modules.Create(c.UserContext(), staffID, m)
	} else {
		err = b.modules.Update(c.UserContext(), staffID, m)
	}
	if errors.Is(err, db.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}

	b.web.Logger().Info("text module saved", "staff_id", staffID, "module_id", m.ID)

	return c.Redirect("/text-modules?done=saved", fiber.StatusSeeOther)
}

// moduleFromForm reads the posted module, cleaned, with the message IDs of its
// errors by "name", "team" or language tag.
func (b *Backoffice) moduleFromForm(c *fiber.Ctx) (textmodule.Module, map[string]string, error) {
	m := textmodule.Module{Name: c.FormValue("name"), Body: catalog.Texts{}}
	if id := c.Params("id"); id != "" {
		m.ID, _ = strconv.ParseInt(id, 10, 64)
	}
	for _, tag := range textmodule.Languages {
		m.Body[tag] = c.FormValue("text_" + tag)
	}

	errs := map[string]string{}
	if v := c.FormValue("team"); v != "" {
		team, err := b.teamID(c, v)
		if err != nil {
			return textmodule.Module{}, nil, err
		}
		if team == 0 {
			errs["team"] = textmodule.ErrTeamUnknown
		}
		m.TeamID = &team
	}

	m = textmodule.Clean(m)
	for k, v := range textmodule.Check(m) {
		errs[k] = v
	}

	return m, errs, nil
}

// teamID returns the ID of the team named by v, or 0 for none such.
func (b *Backoffice) teamID(c *fiber.Ctx, v string) (int64, error) {
	teams, err := b.catalog.Teams(c.UserContext())
	if err != nil {
		return 0, err
	}

	for _, t := range teams {
		if strconv.FormatInt(t.ID, 10) == v {
			return t.ID, nil
		}
	}

	return 0, nil
}

func (b *Backoffice) moduleDelete(c *fiber.Ctx) error {
	id, _ := strconv.ParseInt(c.Params("id"), 10, 64)
	staffID := currentStaff(c).ID
	err := b.modules.Delete(c.UserContext(), staffID, id)
	if errors.Is(err, db.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}

	b.web.Logger().Info("text module deleted", "staff_id", staffID, "module_id", id)

	return c.Redirect("/text-modules?done=deleted", fiber.StatusSeeOther)
}

// renderModuleForm shows module m with errs, message IDs by "name", "team" or
// language tag.
func (b *Backoffice) renderModuleForm(
	c *fiber.Ctx,
	status int,
	m textmodule.Module,
	errs map[string]string,
) error {
	page := moduleFormPage{Page: b.newPage(c), ID: m.ID}
	fe := newFieldErrors(page.Localizer)
	page.Name = textField("name", "text", page.T("bo_module_name"), page.T("bo_module_name_hint"),
		m.Name, textmodule.MaxName, "")
	if id, ok := errs["name"]; ok {
		fe.add("name", id, page.Name.Label, textmodule.MaxName)
	}

	if err := b.moduleTeams(c, &page, m, errs, fe); err != nil {
		return err
	}

	places := make([]string, 0, len(textmodule.Placeholders))
	for _, p := range textmodule.Placeholders {
		places = append(places, "{{."+p+"}}")
	}
	page.Placeholders = strings.Join(places, ", ")

	b.moduleTexts(&page, m, errs, fe)
	page.Name = fe.apply(page.Name)
	page.Errors = fe.Summary

	return b.web.Render(c, status, "text_modules_form", page)
}

// moduleTexts adds the inputs of the texts in every language, German required.
func (b *Backoffice) moduleTexts(
	page *moduleFormPage,
	m textmodule.Module,
	errs map[string]string,
	fe *fieldErrors,
) {
	languages := b.citizenLanguages()
	for _, tag := range textmodule.Languages {
		l := languages[tag]
		optional := page.T("form_optional")
		if tag == "de" {
			optional = ""
		}
		f := textField("text-"+tag, "textarea", page.T("bo_module_text_in", "Language", l.Name),
			"", m.Body[tag], textmodule.MaxText, optional)
		f.Name = "text_" + tag
		if id, ok := errs[tag]; ok {
			fe.add(f.ID, id, f.Label, textmodule.MaxText)
		}
		page.Texts = append(page.Texts, moduleText{formField: fe.apply(f), Tag: tag, Dir: l.Dir})
	}
}

func (b *Backoffice) moduleTeams(
	c *fiber.Ctx,
	page *moduleFormPage,
	m textmodule.Module,
	errs map[string]string,
	fe *fieldErrors,
) error {
	teams, err := b.catalog.Teams(c.UserContext())
	if err != nil {
		return err
	}

	all := option{Value: "", Name: page.T("bo_module_all_teams"), Selected: m.TeamID == nil}
	page.Teams = []option{all}
	for _, t := range teams {
		page.Teams = append(page.Teams, option{strconv.FormatInt(t.ID, 10), page.Pick(t.Name),
			m.TeamID != nil && *m.TeamID == t.ID})
	}
	if id, ok := errs["team"]; ok {
		fe.add("team", id, page.T("bo_module_team"), 0)
	}

	return nil
}

// citizenLanguages returns the citizens' languages by tag, with their own
// names and writing directions.
func (b *Backoffice) citizenLanguages() map[string]moduleLanguage {
	out := map[string]moduleLanguage{}
	bundle := b.deps.Languages
	if bundle == nil {
		bundle = b.web.Bundle()
	}
	for _, l := range bundle.Languages() {
		out[l.Tag] = moduleLanguage{Name: l.Name, Dir: l.Dir}
	}
	for _, tag := range textmodule.Languages {
		if _, ok := out[tag]; !ok {
			out[tag] = moduleLanguage{Name: tag, Dir: "ltr"}
		}
	}

	return out
}

// moduleLanguage is a language's own name and writing direction.
type moduleLanguage struct {
	Name string
	Dir  string
}
