package backoffice

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
)

// servicePage is the form that creates or edits a service's settings.
type servicePage struct {
	Page
	Errors    []summaryItem
	ID        int64
	Title     string
	Saved     bool
	Code      input
	Team      input
	Position  input
	Keywords  input
	Group     textsInput
	Name      textsInput
	Help      textsInput
	Promise   textsInput
	SLA       input
	First     input
	Reminder  input
	Close     input
	Messages  []input
	Public    input
	Anonymous input
	Active    input
	Missing   []missingText
	Fields    int
	Version   int64
}

var serviceCodePattern = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)

// readService reads the service form into a service and records what is wrong
// with it in errs; the error is for failures of the database only.
func (b *Backoffice) readService(c *fiber.Ctx, errs *formErrors) (catalog.Service, error) {
	svc := catalog.Service{Code: strings.TrimSpace(c.FormValue("code"))}
	if !serviceCodePattern.MatchString(svc.Code) {
		errs.add("code", "bo_admin_error_service_code")
	}

	teamID, _ := strconv.ParseInt(c.FormValue("team"), 10, 64)
	teams, err := b.catalog.Teams(c.UserContext())
	if err != nil {
		return svc, err
	}
	for _, t := range teams {
		if t.ID == teamID {
			svc.TeamID = teamID
		}
	}
	if svc.TeamID == 0 {
		errs.add("team", "bo_admin_error_team")
	}

	svc.Group = b.textsFrom(c, "group", 200, false, errs)
	svc.Name = b.textsFrom(c, "name", 200, false, errs)
	if svc.Name["de"] == "" {
		errs.add("name_de", "bo_admin_error_name_german")
	}
	svc.Help = b.textsFrom(c, "help", 2000, true, errs)
	svc.Promise = b.textsFrom(c, "promise", 500, false, errs)

	svc.SLADays = days(c, "sla_days", false, errs)
	svc.FirstAnswerDays = days(c, "first_answer_days", false, errs)
	if d := days(c, "reminder_days", true, errs); d != nil {
		svc.ReminderDays = *d
	}
	if d := days(c, "close_after_days", true, errs); d != nil {
		svc.CloseAfterDays = *d
	}

	svc.Messages = map[string]bool{}
	for _, kind := range catalog.MessageKinds {
		svc.Messages[kind] = c.FormValue("message_"+kind) != ""
	}
	svc.Public = c.FormValue("public") != ""
	svc.AllowAnonymous = c.FormValue("anonymous") != ""
	svc.Active = c.FormValue("active") != ""

	b.readListing(c, &svc, errs)

	return svc, nil
}

// readListing reads where and how the service is found on the portal.
func (b *Backoffice) readListing(c *fiber.Ctx, svc *catalog.Service, errs *formErrors) {
	pos, err := strconv.Atoi(strings.TrimSpace(c.FormValue("position")))
	if err != nil || pos < 0 || pos > 100000 {
		errs.add("position", "bo_admin_error_position")
	}
	svc.Position = int32(pos)

	svc.Keywords = strings.TrimSpace(c.FormValue("keywords"))
	if utf8.RuneCountInString(svc.Keywords) > 500 {
		errs.add("keywords", "bo_admin_error_too_long", "Max", 500)
	} else if !catalog.CleanText(svc.Keywords, false) {
		errs.add("keywords", "bo_admin_error_control")
	}
}

func (b *Backoffice) renderService(
	c *fiber.Ctx,
	status int,
	svc catalog.Service,
	version int64,
	errs *formErrors,
) error {
	p := b.newPage(c)
	teams, err := b.catalog.Teams(c.UserContext())
	if err != nil {
		return err
	}

	page := b.serviceInputs(p, svc, errs)
	page.Saved, page.Version = c.Query("saved") != "", version
	if svc.ID != 0 {
		page.Title = p.T("bo_admin_service_edit", "Name", p.Pick(svc.Name))
		page.Missing = b.missingTexts(p, svc)
	}

	// A number that was refused shows as it was typed.
	for _, in := range []*input{&page.SLA, &page.First, &page.Reminder, &page.Close,
		&page.Position} {
		if in.Error != "" {
			in.Value = c.FormValue(in.Name)
		}
	}

	for _, t := range teams {
		page.Team.Options = append(page.Team.Options, option{
			Value: strconv.FormatInt(t.ID, 10), Name: p.Pick(t.Name), Selected: t.ID == svc.TeamID,
		})
	}

	for _, kind := range catalog.MessageKinds {
		page.Messages = append(page.Messages, input{
			ID: "message_" + kind, Name: "message_" + kind,
			Label: p.T("bo_admin_message_" + kind), Checked: svc.Sends(kind),
		})
	}

	return b.web.Render(c, status, "admin_service", page)
}

// serviceInputs builds the inputs of the service form with the values of svc.
func (b *Backoffice) serviceInputs(p Page, svc catalog.Service, errs *formErrors) servicePage {
	texts := func(name, label, kind string, t catalog.Texts) textsInput {
		return b.textsInputs(name, p.T(label), kind, t, errs)
	}
	check := func(name, label string, on bool) input {
		return input{ID: name, Name: name, Label: p.T(label), Checked: on}
	}

	return servicePage{
		Page: p, Errors: errs.Errors, ID: svc.ID, Fields: len(svc.Form),
		Title: p.T("bo_admin_service_new"),
		Code: input{ID: "code", Name: "code", Label: p.T("bo_admin_service_code"),
			Help: p.T("bo_admin_service_code_hint"), Value: svc.Code, Error: errs.of("code")},
		Team: input{ID: "team", Name: "team", Label: p.T("bo_admin_service_team"),
			Error: errs.of("team")},
		Group:   texts("group", "bo_admin_service_group", "text", svc.Group),
		Name:    texts("name", "bo_admin_service_name", "text", svc.Name),
		Help:    texts("help", "bo_admin_service_help", "textarea", svc.Help),
		Promise: texts("promise", "bo_admin_service_promise", "text", svc.Promise),
		SLA:     dayInput(p, "sla_days", "bo_admin_service_sla", svc.SLADays, errs),
		First: dayInput(p, "first_answer_days", "bo_admin_service_first", svc.FirstAnswerDays,
			errs),
		Reminder: dayInput(p, "reminder_days", "bo_admin_service_reminder", &svc.ReminderDays,
			errs),
		Close: dayInput(p, "close_after_days", "bo_admin_service_close", &svc.CloseAfterDays,
			errs),
		Public:    check("public", "bo_admin_service_public", svc.Public),
		Anonymous: check("anonymous", "bo_admin_service_anonymous", svc.AllowAnonymous),
		Active:    check("active", "bo_admin_service_active", svc.Active),
		Position: input{ID: "position", Name: "position", Type: "number",
			Label: p.T("bo_admin_service_position"), Help: p.T("bo_admin_service_position_hint"),
			Value: strconv.Itoa(int(svc.Position)), Error: errs.of("position")},
		Keywords: input{ID: "keywords", Name: "keywords", Label: p.T("bo_admin_service_keywords"),
			Help: p.T("bo_admin_service_keywords_hint"), Value: svc.Keywords,
			Error: errs.of("keywords")},
	}
}

func dayInput(p Page, name, label string, d *int32, errs *formErrors) input {
	return input{
		ID: name, Name: name, Type: "number", Label: p.T(label), Help: p.T(label + "_hint"),
		Value: daysValue(d), Error: errs.of(name),
	}
}
