package backoffice

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
)

// teamsPage lists the teams.
type teamsPage struct {
	Page
	Teams []teamRow
}

type teamRow struct {
	catalog.Team
	Title string
}

// teamPage creates or edits a team and, for an existing one, its members.
type teamPage struct {
	Page
	Errors  []summaryItem
	ID      int64
	Title   string
	Saved   bool
	Slug    input
	Email   input
	Name    textsInput
	Members []catalog.Member
	Add     input
}

var teamSlugPattern = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)

func (b *Backoffice) adminTeams(c *fiber.Ctx) error {
	teams, err := b.catalog.Teams(c.UserContext())
	if err != nil {
		return err
	}

	page := teamsPage{Page: b.newPage(c)}
	for _, t := range teams {
		page.Teams = append(page.Teams, teamRow{Team: t, Title: page.Pick(t.Name)})
	}

	return b.web.Render(c, fiber.StatusOK, "admin_teams", page)
}

func (b *Backoffice) adminTeamNew(c *fiber.Ctx) error {
	return b.renderTeam(c, fiber.StatusOK, catalog.Team{}, newFormErrors(b.newPage(c)))
}

func (b *Backoffice) teamParam(c *fiber.Ctx) (catalog.Team, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return catalog.Team{}, err
	}

	t, err := b.catalog.TeamByID(c.UserContext(), id)
	if errors.Is(err, db.ErrNotFound) {
		return catalog.Team{}, fiber.ErrNotFound
	}

	return t, err
}

func (b *Backoffice) adminTeamEdit(c *fiber.Ctx) error {
	t, err := b.teamParam(c)
	if err != nil {
		return err
	}

	return b.renderTeam(c, fiber.StatusOK, t, newFormErrors(b.newPage(c)))
}

// adminTeamSave creates a team (without :id) or stores an existing one.
func (b *Backoffice) adminTeamSave(c *fiber.Ctx) error {
	var t catalog.Team
	if c.Params("id") != "" {
		var err error
		if t, err = b.teamParam(c); err != nil {
			return err
		}
	}

	errs := newFormErrors(b.newPage(c))
	t.Slug = strings.TrimSpace(c.FormValue("slug"))
	if !teamSlugPattern.MatchString(t.Slug) {
		errs.add("slug", "bo_admin_error_slug")
	}
	t.Email = strings.TrimSpace(c.FormValue("email"))
	if t.Email != "" && !catalog.ValidEmail(t.Email) {
		errs.add("email", "bo_admin_error_email")
	}
	t.Name = b.textsFrom(c, "name", 200, false, errs)
	if t.Name["de"] == "" {
		errs.add("name_de", "bo_admin_error_name_german")
	}

	if !errs.ok() {
		return b.renderTeam(c, fiber.StatusUnprocessableEntity, t, errs)
	}

	err := b.storeTeam(c, &t)
	if errors.Is(err, db.ErrConflict) {
		errs.add("slug", "bo_admin_error_slug_taken")
		return b.renderTeam(c, fiber.StatusConflict, t, errs)
	}
	if err != nil {
		return err
	}

	return c.Redirect(teamURL(t.ID)+"?saved=1", fiber.StatusSeeOther)
}

func (b *Backoffice) storeTeam(c *fiber.Ctx, t *catalog.Team) error {
	by := currentStaff(c).ID
	if t.ID != 0 {
		return b.catalog.UpdateTeam(c.UserContext(), *t, by)
	}

	added, err := b.catalog.AddTeam(c.UserContext(), *t, by)
	t.ID = added.ID

	return err
}

// adminTeamMember adds the chosen staff member to the team or, with :staff and
// the remove action, takes one out.
func (b *Backoffice) adminTeamMember(c *fiber.Ctx) error {
	t, err := b.teamParam(c)
	if err != nil {
		return err
	}

	ctx, by := c.UserContext(), currentStaff(c).ID
	if c.Params("staff") != "" {
		id, err := idParam(c, "staff")
		if err != nil {
			return err
		}
		if err := b.catalog.RemoveMember(ctx, t.ID, id, by); err != nil {
			return err
		}

		return c.Redirect(teamURL(t.ID)+"?saved=1#members", fiber.StatusSeeOther)
	}

	id, _ := strconv.ParseInt(c.FormValue("staff"), 10, 64)
	if _, err := b.staff.ByID(ctx, id); err != nil {
		errs := newFormErrors(b.newPage(c))
		errs.add("staff", "bo_admin_error_staff")
		return b.renderTeam(c, fiber.StatusUnprocessableEntity, t, errs)
	}

	if err := b.catalog.AddMember(ctx, t.ID, id, by); err != nil {
		return err
	}

	return c.Redirect(teamURL(t.ID)+"?saved=1#members", fiber.StatusSeeOther)
}

func (b *Backoffice) renderTeam(c *fiber.Ctx, status int, t catalog.Team, errs *formErrors) error {
	p := b.newPage(c)
	page := teamPage{
		Page: p, Errors: errs.Errors, ID: t.ID, Saved: c.Query("saved") != "",
		Title: p.T("bo_admin_team_new"),
		Slug: input{ID: "slug", Name: "slug", Label: p.T("bo_admin_team_slug"),
			Help: p.T("bo_admin_team_slug_hint"), Value: t.Slug, Error: errs.of("slug")},
		Email: input{ID: "email", Name: "email", Type: "email", Label: p.T("bo_admin_team_email"),
			Help: p.T("bo_admin_team_email_hint"), Value: t.Email, Error: errs.of("email")},
		Name: b.textsInputs("name", p.T("bo_admin_team_name"), "text", t.Name, errs),
	}
	if t.ID == 0 {
		return b.web.Render(c, status, "admin_team", page)
	}

	page.Title = p.T("bo_admin_team_edit", "Name", p.Pick(t.Name))
	members, err := b.catalog.Members(c.UserContext(), t.ID)
	if err != nil {
		return err
	}
	page.Members = members

	accounts, err := b.staff.List(c.UserContext())
	if err != nil {
		return err
	}

	in := map[int64]bool{}
	for _, m := range members {
		in[m.StaffID] = true
	}
	page.Add = input{ID: "staff", Name: "staff", Label: p.T("bo_admin_team_add_member"),
		Error: errs.of("staff")}
	for _, a := range accounts {
		if !in[a.ID] {
			page.Add.Options = append(page.Add.Options, option{
				Value: strconv.FormatInt(a.ID, 10),
				Name:  a.Name + " (" + p.T("bo_role_"+a.Role) + ")",
			})
		}
	}

	return b.web.Render(c, status, "admin_team", page)
}

func teamURL(id int64) string {
	return "/admin/teams/" + strconv.FormatInt(id, 10)
}
