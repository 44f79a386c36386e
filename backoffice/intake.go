package backoffice

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/textmodule"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

// Inputs of the intake form beyond the service's own fields.
const (
	intakeSubject     = "subject"
	intakeDescription = "description"
	intakeName        = "contact_name"
	intakeEmail       = "contact_email"
	intakePhone       = "contact_phone"
	intakeAddress     = "contact_address"
	maxSubject        = 160
	maxContact        = 200
)

// intakePage is the form staff fill in for a citizen who called, came to the
// counter or wrote a letter: first the service, channel and language, then
// the service's form.
type intakePage struct {
	Page
	Services     []option
	Channels     []option
	CitizenLangs []option
	Service      string
	ServiceName  string
	Chosen       bool
	Subject      formField
	Description  formField
	Fields       []formField
	Contact      []formField
	Errors       []summaryLink
}

func (b *Backoffice) intakeForm(c *fiber.Ctx) error {
	values := func(name string) []string {
		if v := c.Query(name); v != "" {
			return []string{v}
		}
		return nil
	}

	svc, err := b.intakeService(c, c.Query("service"))
	if err != nil {
		return err
	}

	return b.renderIntake(c, fiber.StatusOK, svc, values, nil)
}

// intakeService returns the active service of code whose team the member may
// work; none for an empty or unknown code.
func (b *Backoffice) intakeService(c *fiber.Ctx, code string) (*catalog.Service, error) {
	if code == "" {
		return nil, nil
	}

	svc, err := b.catalog.ServiceByCode(c.UserContext(), code)
	if errors.Is(err, db.ErrNotFound) || (err == nil && !scopeOf(c).CanSeeTicket(svc.TeamID)) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}

	return &svc, nil
}

func (b *Backoffice) intakeSubmit(c *fiber.Ctx) error {
	values := intakeValues(c)
	svc, err := b.intakeService(c, first(values("service")))
	if err != nil {
		return err
	}
	if svc == nil {
		return b.renderIntake(c, fiber.StatusUnprocessableEntity, nil, values,
			map[string]string{"service": "bo_intake_service_missing"})
	}

	n, errs := b.intakeTicket(*svc, values)
	// The files of the service's file fields, such as a scanned letter, follow
	// the portal's attachment rules; the other inputs keep what was typed.
	n.Files = catalog.CheckFiles(b.files, *svc, web.MultipartForm(c), errs)
	if len(errs) > 0 {
		return b.renderIntake(c, fiber.StatusUnprocessableEntity, svc, values, errs)
	}

	m := currentStaff(c)
	created, err := b.tickets.Intake(c.UserContext(), n, m.ID)
	if err != nil {
		return err
	}

	b.web.Logger().Info("ticket taken in", "ticket_id", created.ID, "staff_id", m.ID,
		"channel", n.Channel, "service", svc.Code)

	return c.Redirect("/tickets/"+strconv.FormatInt(created.ID, 10)+"?intake=1",
		fiber.StatusSeeOther)
}

// intakeTicket checks the intake form for svc and returns the ticket to store,
// or the message IDs of the errors by input name.
func (b *Backoffice) intakeTicket(
	svc catalog.Service,
	values func(string) []string,
) (ticket.New, map[string]string) {
	errs := map[string]string{}
	answers, fieldErrs := catalog.ValidateAll(svc.Form, func(key string) []string {
		return values("field_" + key)
	})
	for code, id := range fieldErrs {
		errs["field_"+code] = id
	}

	n := ticket.New{
		ServiceID: svc.ID, TeamID: svc.TeamID, Channel: first(values("channel")),
		Language: first(values("language")), Fields: answers,
	}
	if svc.SLADays != nil {
		n.SLADays = int(*svc.SLADays)
	}
	if !slices.Contains(ticket.IntakeChannels, n.Channel) {
		errs["channel"] = "bo_intake_channel_missing"
	}
	if !slices.Contains(textmodule.Languages, n.Language) {
		errs["language"] = "bo_intake_language_missing"
	}

	n.Subject = checkInput(errs, intakeSubject, first(values(intakeSubject)), maxSubject, false)
	description := checkInput(errs, intakeDescription, first(values(intakeDescription)),
		ticket.MaxMessageLength, true)
	n.Body = intakeBody(svc, description, answers)
	if n.Body == "" && !hasTextarea(svc) && errs[intakeDescription] == "" {
		errs[intakeDescription] = catalog.ErrRequired
	}
	if n.Subject == "" {
		n.Subject = intakeSubjectOf(svc, answers)
	}

	b.intakeContact(&n, values, errs)

	return n, errs
}

// intakeContact checks the contact inputs, all optional, into n.
func (b *Backoffice) intakeContact(
	n *ticket.New,
	values func(string) []string,
	errs map[string]string,
) {
	n.ContactName = checkInput(errs, intakeName, first(values(intakeName)), maxContact, false)
	n.ContactEmail = first(values(intakeEmail))
	if n.ContactEmail != "" && (len(n.ContactEmail) > 254 || !catalog.ValidEmail(n.ContactEmail)) {
		errs[intakeEmail] = catalog.ErrEmail
	}
	n.ContactPhone = first(values(intakePhone))
	if n.ContactPhone != "" && (len(n.ContactPhone) > 40 || !catalog.ValidPhone(n.ContactPhone)) {
		errs[intakePhone] = catalog.ErrPhone
	}

	address := checkInput(errs, intakeAddress, first(values(intakeAddress)), maxContact, false)
	if address != "" && n.Fields[contactAddressField] == "" {
		n.Fields[contactAddressField] = address
	}
}

// checkInput returns the trimmed value of an input, recording its error.
func checkInput(errs map[string]string, name, v string, max int, multiline bool) string {
	switch {
	case utf8.RuneCountInString(v) > max:
		errs[name] = catalog.ErrTooLong
	case !catalog.CleanText(v, multiline):
		errs[name] = catalog.ErrControlCh
	}

	return v
}

// hasTextarea reports whether the service's form asks for a text of its own,
// which then is the first message; otherwise staff write it down.
func hasTextarea(svc catalog.Service) bool {
	for _, f := range svc.Form {
		if f.Type == catalog.FieldTextarea {
			return true
		}
	}

	return false
}

// intakeBody is the first message: what staff noted down, then the long
// answers of the form.
func intakeBody(svc catalog.Service, description string, answers map[string]string) string {
	parts := []string{}
	if description != "" {
		parts = append(parts, description)
	}
	for _, f := range svc.Form {
		if a := answers[f.Code]; a != "" && f.Type == catalog.FieldTextarea {
			parts = append(parts, a)
		}
	}

	return strings.Join(parts, "\n\n")
}

// intakeSubjectOf is the queue's line for a ticket without a subject typed:
// the service and its first short answer, as for a web request.
func intakeSubjectOf(svc catalog.Service, answers map[string]string) string {
	s := svc.Name["de"]
	for _, f := range svc.Form {
		if a := answers[f.Code]; a != "" && (f.Type == catalog.FieldText ||
			f.Type == catalog.FieldAddress) {
			s += ": " + a
			break
		}
	}

	if utf8.RuneCountInString(s) > maxSubject {
		s = string([]rune(s)[:maxSubject-1]) + "…"
	}

	return s
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}

	return strings.TrimSpace(vs[0])
}

// renderIntake shows the intake form: the choice of service, and with svc its
// form, with values kept and errs, message IDs by input name.
func (b *Backoffice) renderIntake(
	c *fiber.Ctx,
	status int,
	svc *catalog.Service,
	values func(string) []string,
	errs map[string]string,
) error {
	page := intakePage{Page: b.newPage(c), Chosen: svc != nil}
	value := func(name string) string { return first(values(name)) }
	if err := b.intakeChoices(c, &page, svc, value); err != nil {
		return err
	}

	fe := newFieldErrors(page.Localizer)
	for _, name := range []string{"service", "channel", "language"} {
		if id, ok := errs[name]; ok {
			fe.add("intake-"+name, id, page.T("bo_intake_"+name), 0)
		}
	}

	if svc != nil {
		b.intakeFields(&page, *svc, values, errs, fe)
	}
	page.Errors = fe.Summary

	return b.web.Render(c, status, "intake", page)
}

func (b *Backoffice) intakeChoices(
	c *fiber.Ctx,
	page *intakePage,
	svc *catalog.Service,
	value func(string) string,
) error {
	services, err := b.catalog.Services(c.UserContext())
	if err != nil {
		return err
	}

	sc := scopeOf(c)
	for _, s := range services {
		if s.Active && sc.CanSeeTicket(s.TeamID) {
			chosen := svc != nil && svc.ID == s.ID
			page.Services = append(page.Services, option{s.Code, page.Pick(s.Name), chosen})
		}
	}
	if svc != nil {
		page.Service, page.ServiceName = svc.Code, page.Pick(svc.Name)
	}

	for _, ch := range ticket.IntakeChannels {
		page.Channels = append(page.Channels, option{ch, page.T("channel_" + ch),
			value("channel") == ch})
	}

	lang := value("language")
	if lang == "" {
		lang = i18n.Default
	}
	names := b.citizenLanguages()
	for _, tag := range textmodule.Languages {
		page.CitizenLangs = append(page.CitizenLangs, option{tag, names[tag].Name, tag == lang})
	}

	return nil
}

func (b *Backoffice) intakeFields(
	page *intakePage,
	svc catalog.Service,
	values func(string) []string,
	errs map[string]string,
	fe *fieldErrors,
) {
	value := func(name string) string { return first(values(name)) }
	withError := func(f formField) formField {
		if id, ok := errs[f.Name]; ok {
			fe.add(f.ID, id, f.Label, f.MaxLength)
		}
		return fe.apply(f)
	}

	page.Subject = withError(textField(intakeSubject, "text", page.T("bo_intake_subject"),
		page.T("bo_intake_subject_hint"), value(intakeSubject), maxSubject,
		page.T("form_optional")))
	if !hasTextarea(svc) {
		page.Description = withError(textField(intakeDescription, "textarea",
			page.T("bo_intake_description"), page.T("bo_intake_description_hint"),
			value(intakeDescription), ticket.MaxMessageLength, ""))
	}

	for _, f := range web.ServiceFields(svc, page.Localizer, values, b.accept(), false) {
		page.Fields = append(page.Fields, withError(f))
	}

	for _, f := range intakeContactFields(page, value) {
		page.Contact = append(page.Contact, withError(f))
	}
}

// intakeContactFields are the contact inputs, all optional.
func intakeContactFields(page *intakePage, value func(string) string) []formField {
	var out []formField
	for _, in := range []struct{ name, typ, label, help string }{
		{intakeName, catalog.FieldText, "form_contact_name", ""},
		{intakeEmail, catalog.FieldEmail, "form_contact_email", "bo_intake_email_hint"},
		{intakePhone, catalog.FieldPhone, "form_contact_phone", ""},
		{intakeAddress, catalog.FieldText, "bo_intake_address", "bo_intake_address_hint"},
	} {
		help := ""
		if in.help != "" {
			help = page.T(in.help)
		}
		out = append(out, textField(in.name, in.typ, page.T(in.label), help, value(in.name),
			maxContact, page.T("form_optional")))
	}

	return out
}
