package backoffice

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
)

// servicesPage lists the services with the languages whose texts are missing.
type servicesPage struct {
	Page
	Services []serviceRow
}

// serviceRow is one service of the list; Missing names, per language, the texts
// the portal shows in German instead.
type serviceRow struct {
	catalog.Service
	Title   string
	Team    string
	Missing []missingText
}

type missingText struct {
	Tag   string
	Name  string
	Dir   string
	Texts string
}

func (b *Backoffice) adminServices(c *fiber.Ctx) error {
	ctx := c.UserContext()
	services, err := b.catalog.Services(ctx)
	if err != nil {
		return err
	}

	teams, err := b.teamNames(c)
	if err != nil {
		return err
	}

	page := servicesPage{Page: b.newPage(c)}
	for _, s := range services {
		page.Services = append(page.Services, serviceRow{
			Service: s, Title: page.Pick(s.Name), Team: teams[s.TeamID],
			Missing: b.missingTexts(page.Page, s),
		})
	}

	return b.web.Render(c, fiber.StatusOK, "admin_services", page)
}

// missingTexts lists the languages in which the portal shows some of the
// service's texts in German, with the texts named in the reader's language.
func (b *Backoffice) missingTexts(p Page, s catalog.Service) []missingText {
	missing := s.Missing(b.languageTags())
	var out []missingText
	for _, l := range b.adminLanguages() {
		names := missing[l.Tag]
		if len(names) == 0 {
			continue
		}

		m := missingText{Tag: l.Tag, Name: l.Name, Dir: l.Dir}
		for i, n := range names {
			if i > 0 {
				m.Texts += ", "
			}
			m.Texts += p.T("bo_admin_text_" + n)
		}
		out = append(out, m)
	}

	return out
}

func (b *Backoffice) teamNames(c *fiber.Ctx) (map[int64]string, error) {
	teams, err := b.catalog.Teams(c.UserContext())
	if err != nil {
		return nil, err
	}

	loc := b.newPage(c)
	names := map[int64]string{}
	for _, t := range teams {
		names[t.ID] = loc.Pick(t.Name)
	}

	return names, nil
}

func (b *Backoffice) adminServiceNew(c *fiber.Ctx) error {
	svc := catalog.Service{Public: true, Active: true, ReminderDays: 7, CloseAfterDays: 14}
	return b.renderService(c, fiber.StatusOK, svc, 0, newFormErrors(b.newPage(c)))
}

func (b *Backoffice) adminServiceEdit(c *fiber.Ctx) error {
	svc, err := b.serviceParam(c)
	if err != nil {
		return err
	}

	version, err := b.catalog.ServiceVersion(c.UserContext(), svc.ID)
	if err != nil {
		return err
	}

	return b.renderService(c, fiber.StatusOK, svc, version, newFormErrors(b.newPage(c)))
}

// serviceParam returns the service named by the route's :id; 404 when unknown.
func (b *Backoffice) serviceParam(c *fiber.Ctx) (catalog.Service, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return catalog.Service{}, err
	}

	svc, err := b.catalog.ServiceByID(c.UserContext(), id)
	if errors.Is(err, db.ErrNotFound) {
		return catalog.Service{}, fiber.ErrNotFound
	}

	return svc, err
}

func (b *Backoffice) adminServiceCreate(c *fiber.Ctx) error {
	errs := newFormErrors(b.newPage(c))
	svc, err := b.readService(c, errs)
	if err != nil {
		return err
	}

	if !errs.ok() {
		return b.renderService(c, fiber.StatusUnprocessableEntity, svc, 0, errs)
	}

	svc, err = b.catalog.AddService(c.UserContext(), svc, currentStaff(c).ID)
	if errors.Is(err, db.ErrConflict) {
		errs.add("code", "bo_admin_error_code_taken")
		return b.renderService(c, fiber.StatusConflict, svc, 0, errs)
	}
	if err != nil {
		return err
	}

	return c.Redirect(serviceURL(svc.ID)+"?saved=1", fiber.StatusSeeOther)
}

func (b *Backoffice) adminServiceUpdate(c *fiber.Ctx) error {
	old, err := b.serviceParam(c)
	if err != nil {
		return err
	}

	errs := newFormErrors(b.newPage(c))
	svc, err := b.readService(c, errs)
	if err != nil {
		return err
	}
	svc.ID, svc.Form = old.ID, old.Form
	version := formVersion(c)

	if !errs.ok() {
		return b.renderService(c, fiber.StatusUnprocessableEntity, svc, version, errs)
	}

	err = b.catalog.UpdateService(c.UserContext(), svc, version, currentStaff(c).ID)
	switch {
	case errors.Is(err, db.ErrConflict):
		errs.add("code", "bo_admin_error_code_taken")
		return b.renderService(c, fiber.StatusConflict, svc, version, errs)
	case errors.Is(err, catalog.ErrStale):
		// The page shows what this administrator sent; saving it again
		// overwrites the other change, now knowingly.
		errs.add("code", "bo_admin_error_stale")
		current, err := b.catalog.ServiceVersion(c.UserContext(), svc.ID)
		if err != nil {
			return err
		}
		return b.renderService(c, fiber.StatusConflict, svc, current, errs)
	case err != nil:
		return err
	}

	return c.Redirect(serviceURL(svc.ID)+"?saved=1", fiber.StatusSeeOther)
}

// formVersion reads the version of the service that an edit started from.
func formVersion(c *fiber.Ctx) int64 {
	v, _ := strconv.ParseInt(c.FormValue("version"), 10, 64)
	return v
}

func serviceURL(id int64) string {
	return "/admin/services/" + strconv.FormatInt(id, 10)
}
