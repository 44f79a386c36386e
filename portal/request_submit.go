package portal

import (
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

// honeypotField is an input hidden from people by the style sheet; automated
// submitters fill it in.
const honeypotField = "website"

func (p *Portal) requestSubmit(c *fiber.Ctx) error {
	svc, err := p.publicService(c)
	if err != nil {
		return err
	}

	return p.submit(c, svc, "/services/"+svc.Code)
}

// submit validates a request for svc, re-renders the form posted to action with
// the input kept and the errors at their fields, or stores the ticket and
// redirects to its confirmation.
func (p *Portal) submit(c *fiber.Ctx, svc catalog.Service, action string) error {
	values := formValues(c)
	answers, fieldErrs := catalog.ValidateAll(svc.Form, func(key string) []string {
		return values("field_" + key)
	})

	errs := map[string]string{}
	for code, id := range fieldErrs {
		errs["field_"+code] = id
	}
	contact := validateContact(svc, values, errs)
	files := catalog.CheckFiles(p.files, svc, web.MultipartForm(c), errs)

	if first(values(honeypotField)) != "" {
		errs[honeypotField] = "form_rejected"
	}

	if len(errs) > 0 {
		page := p.newFormPage(c, svc, values, errs)
		page.Action = action
		return p.web.Render(c, fiber.StatusUnprocessableEntity, "request_form", page)
	}

	loc := web.Localizer(c)
	n := ticket.New{
		ServiceID: svc.ID, TeamID: svc.TeamID, Channel: ticket.ChannelWeb,
		Language: loc.Tag, Subject: subject(svc, answers), Body: body(svc, answers),
		Fields: answers, ContactName: contact[inputName], ContactEmail: contact[inputEmail],
		ContactPhone: contact[inputPhone], Files: files,
	}
	if svc.SLADays != nil {
		n.SLADays = int(*svc.SLADays)
	}

	created, err := p.tickets.Create(c.UserContext(), n)
	if err != nil {
		return err
	}

	p.web.Logger().Info("ticket submitted", "request_id", web.RequestID(c),
		"ticket_id", created.ID, "service", svc.Code, "files", len(files))

	return c.Redirect("/confirmation/"+created.Code.Canonical(), fiber.StatusSeeOther)
}

// formValues returns every value of an input, from a URL-encoded or a multipart
// body alike. The values are copies: they outlive the request's buffers.
func formValues(c *fiber.Ctx) func(name string) []string {
	if form, err := c.MultipartForm(); err == nil {
		return func(name string) []string { return form.Value[name] }
	}

	args := c.Request().PostArgs()

	return func(name string) []string {
		var out []string
		for _, v := range args.PeekMulti(name) {
			out = append(out, string(v))
		}
		return out
	}
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}

	return strings.TrimSpace(vs[0])
}

// validateContact checks the contact inputs, adding the message ID of each
// error to errs, and returns the cleaned values. A service that does not allow
// anonymous requests needs a name and an e-mail address.
func validateContact(
	svc catalog.Service,
	values func(string) []string,
	errs map[string]string,
) map[string]string {
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
		v := first(values(name))
		required := !svc.AllowAnonymous && name != inputPhone
		switch {
		case v == "" && required:
			errs[name] = catalog.ErrRequired
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
		if a := answers[f.Code]; a != "" && (f.Type == catalog.FieldText ||
			f.Type == catalog.FieldAddress) {
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
