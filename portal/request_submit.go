package portal

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

func (p *Portal) requestSubmit(c *fiber.Ctx) error {
	svc, err := p.publicService(c)
	if err != nil {
		return err
	}

	value := func(name string) string { return strings.TrimSpace(c.FormValue(name)) }
	answers, fieldErrs := catalog.Validate(svc.Form, func(code string) string {
		return value("field_" + code)
	})

	errs := map[string]string{}
	for code, id := range fieldErrs {
		errs["field_"+code] = id
	}
	contact := validateContact(value, errs)

	if len(errs) > 0 {
		page := p.newFormPage(c, svc, value, errs)
		return p.web.Render(c, fiber.StatusUnprocessableEntity, "request_form", page)
	}

	loc := web.Localizer(c)
	n := ticket.New{
		ServiceID: svc.ID, TeamID: svc.TeamID, Channel: ticket.ChannelWeb,
		Language: loc.Tag, Subject: subject(svc, answers), Body: body(svc, answers),
		Fields: answers, ContactName: contact[inputName], ContactEmail: contact[inputEmail],
		ContactPhone: contact[inputPhone],
	}
	if svc.SLADays != nil {
		n.SLADays = int(*svc.SLADays)
	}

	created, err := p.tickets.Create(c.UserContext(), n)
	if err != nil {
		return err
	}

	p.web.Logger().Info("ticket submitted", "request_id", web.RequestID(c),
		"ticket_id", created.ID, "service", svc.Code)

	return c.Redirect("/confirmation/"+created.Code.Canonical(), fiber.StatusSeeOther)
}

// validateContact checks the contact inputs, adding the message ID of each
// error to errs, and returns the cleaned values.
func validateContact(value func(string) string, errs map[string]string) map[string]string {
	out := map[string]string{}
	checks := map[string]func(string) bool{
		inputName:  func(s string) bool { return catalog.CleanText(s, false) },
		inputEmail: catalog.ValidEmail,
		inputPhone: catalog.ValidPhone,
	}
	invalid := map[string]string{
		inputName: catalog.ErrControlCh, inputEmail: catalog.ErrEmail, inputPhone: catalog.ErrPhone,
	}

	for name, ok := range checks {
		v := value(name)
		switch {
		case v == "":
		case utf8.RuneCountInString(v) > 200:
			errs[name] = catalog.ErrTooLong
		case !ok(v):
			errs[name] = invalid[name]
		default:
			out[name] = v
		}
	}

	return out
}

// subject is the line staff see in their queue: the service and the first
// short answer.
func subject(svc catalog.Service, answers map[string]string) string {
	s := svc.Name["de"]
	for _, f := range svc.Form {
		if a := answers[f.Code]; a != "" && f.Type == catalog.FieldText {
			s += ": " + a
			break
		}
	}

	if utf8.RuneCountInString(s) > 160 {
		s = string([]rune(s)[:159]) + "…"
	}

	return s
}

// body is the citizen's own text, the first message of the conversation.
func body(svc catalog.Service, answers map[string]string) string {
	var parts []string
	for _, f := range svc.Form {
		if a := answers[f.Code]; a != "" && f.Type == catalog.FieldTextarea {
			parts = append(parts, a)
		}
	}

	return strings.Join(parts, "\n\n")
}
