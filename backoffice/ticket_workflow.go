package backoffice

import (
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/ticket"
)

// workflowPart is what the ticket page shows for the actions beyond status and
// messages: team and service, forward, reject, merge, related tickets, text
// modules and the acknowledgement letter.
type workflowPart struct {
	Teams        []option
	Services     []option
	ServiceTeams []option
	Modules      []option
	FwdBody      formField
	FwdEmail     formField
	FwdNote      formField
	FwdFiles     bool
	FwdContact   bool
	RejReason    formField
	RejPointer   formField
	MergeTarget  formField
	LinkTarget   formField
	PubText      formField
	Related      []relatedView
	CanForward   bool
	CanReject    bool
	AckLetter    bool
	Errors       []summaryLink
	ErrorHref    string
	Notice       string
}

// relatedView is a related ticket on the ticket page. A ticket of a team the
// member may not see shows its case number and status only.
type relatedView struct {
	ticket.Related
	StatusName   string
	RelationName string
	Visible      bool
	Linked       bool
}

// fillWorkflow adds the workflow part to the ticket page, with what was typed
// into the form that was posted.
func (b *Backoffice) fillWorkflow(c *fiber.Ctx, page *ticketPage) error {
	t := page.Ticket
	w := &page.Workflow
	w.CanForward = t.Status.CanMoveTo(ticket.Forwarded)
	w.CanReject = t.Status.CanMoveTo(ticket.Rejected)
	w.AckLetter = t.ContactEmail == "" && slices.Contains(ticket.IntakeChannels, t.Channel)
	if c.Query("intake") != "" {
		w.Notice = page.T("bo_intake_done", "CaseNumber", t.CaseNumber)
	}

	if err := b.placeOptions(c, page); err != nil {
		return err
	}

	if err := b.relatedTickets(c, page); err != nil {
		return err
	}

	if err := b.moduleOptions(c, page); err != nil {
		return err
	}

	b.workflowFields(c, page)

	return b.fillPublish(c, page)
}

func (b *Backoffice) placeOptions(c *fiber.Ctx, page *ticketPage) error {
	t, w := page.Ticket, &page.Workflow
	teams, err := b.catalog.Teams(c.UserContext())
	if err != nil {
		return err
	}

	w.ServiceTeams = []option{{Value: "", Name: page.T("bo_service_team_follows")}}
	for _, tm := range teams {
		id := strconv.FormatInt(tm.ID, 10)
		w.Teams = append(w.Teams, option{id, page.Pick(tm.Name), tm.ID == t.TeamID})
		w.ServiceTeams = append(w.ServiceTeams, option{Value: id, Name: page.Pick(tm.Name)})
	}

	services, err := b.catalog.Services(c.UserContext())
	if err != nil {
		return err
	}

	for _, s := range services {
		if s.Active || s.ID == t.ServiceID {
			w.Services = append(w.Services, option{strconv.FormatInt(s.ID, 10), page.Pick(s.Name),
				s.ID == t.ServiceID})
		}
	}
	page.Answers = append(page.Answers, otherAnswers(page, services)...)

	return nil
}

// otherAnswers are the ticket's answers that its service's form does not ask
// for: those given under the service it had before, and the postal address
// taken in by staff. Each is labelled as the form that asks for it does.
func otherAnswers(page *ticketPage, services []catalog.Service) []catalog.Answer {
	asked := map[string]bool{}
	labels := map[string]catalog.Texts{}
	for _, s := range services {
		for _, f := range s.Form {
			if s.ID == page.Ticket.ServiceID {
				asked[f.Code] = true
			}
			if _, ok := labels[f.Code]; !ok {
				labels[f.Code] = f.Label
			}
		}
	}

	var codes []string
	for code := range page.Ticket.Fields {
		if !asked[code] {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)

	var out []catalog.Answer
	for _, code := range codes {
		label := page.Pick(labels[code])
		switch {
		case code == contactAddressField:
			label = page.T("bo_intake_address")
		case label == "":
			label = code
		}
		out = append(out, catalog.Answer{Label: label, Value: page.Ticket.Fields[code]})
	}

	return out
}

func (b *Backoffice) relatedTickets(c *fiber.Ctx, page *ticketPage) error {
	list, err := b.tickets.Related(c.UserContext(), page.Ticket.ID)
	if err != nil {
		return err
	}

	sc := scopeOf(c)
	for _, r := range list {
		page.Workflow.Related = append(page.Workflow.Related, relatedView{
			Related: r, StatusName: page.T("status_" + string(r.Status) + "_name"),
			RelationName: page.T("bo_relation_" + r.Relation), Visible: sc.CanSeeTicket(r.TeamID),
			Linked: r.Relation == ticket.RelationLinked,
		})
	}

	return nil
}

// workflowFields builds the inputs of the workflow forms, with the values of
// the form just posted.
func (b *Backoffice) workflowFields(c *fiber.Ctx, page *ticketPage) {
	w := &page.Workflow
	value := func(name string) string {
		if c.Method() != fiber.MethodPost {
			return ""
		}
		return c.FormValue(name)
	}
	optional := page.T("form_optional")

	w.FwdBody = textField("fwd-body", "text", page.T("bo_fwd_body"), page.T("bo_fwd_body_hint"),
		value("fwd-body"), ticket.MaxBodyName, "")
	w.FwdEmail = textField("fwd-email", "email", page.T("bo_fwd_email"), "", value("fwd-email"),
		254, "")
	w.FwdNote = textField("fwd-note", "textarea", page.T("bo_fwd_note"),
		page.T("bo_fwd_note_hint"), value("fwd-note"), ticket.MaxMessageLength, optional)
	w.FwdFiles = value("fwd_files") != ""
	w.FwdContact = value("fwd_contact") != ""
	w.RejReason = textField("rej-reason", "textarea", page.T("bo_rej_reason"),
		page.T("bo_rej_reason_hint"), value("rej-reason"), ticket.MaxNoteLength, "")
	w.RejPointer = textField("rej-pointer", "textarea", page.T("bo_rej_pointer"),
		page.T("bo_rej_pointer_hint"), value("rej-pointer"), ticket.MaxNoteLength, "")
	w.MergeTarget = textField("merge-target", "text", page.T("bo_merge_target"),
		page.T("bo_target_hint"), value("merge-target"), 40, "")
	w.LinkTarget = textField("link-target", "text", page.T("bo_link_target"),
		page.T("bo_target_hint"), value("link-target"), 40, "")
}

// workflowError shows the ticket page again with the errors of a workflow
// form at their fields and in the summary.
func (b *Backoffice) workflowError(c *fiber.Ctx, status int, errs *fieldErrors) error {
	return b.renderTicketWith(c, status, "", func(p *ticketPage) {
		w := &p.Workflow
		for _, f := range []*formField{&w.FwdBody, &w.FwdEmail, &w.FwdNote, &w.RejReason,
			&w.RejPointer, &w.MergeTarget, &w.LinkTarget, &w.PubText} {
			*f = errs.apply(*f)
		}
		w.Errors = errs.Summary
	})
}

// afterWorkflow answers a workflow action like afterAction, with the error
// leading to the form at anchor.
func (b *Backoffice) afterWorkflow(
	c *fiber.Ctx,
	a ticket.Action,
	what string,
	err error,
	anchor string,
) error {
	msg, status := "", fiber.StatusUnprocessableEntity
	switch {
	case errors.Is(err, ticket.ErrNoChange):
		msg = "bo_wf_no_change"
	case errors.Is(err, ticket.ErrUnknownTarget):
		msg = "bo_wf_unknown_target"
	case errors.Is(err, ticket.ErrInvalid):
		msg = "bo_wf_invalid"
	case errors.Is(err, ticket.ErrTransition):
		msg = "ticket_status_not_allowed"
	case errors.Is(err, ticket.ErrFinished):
		msg = "bo_ticket_finished"
	case errors.Is(err, db.ErrConflict):
		msg, status = "ticket_changed_meanwhile", fiber.StatusConflict
	default:
		return b.afterAction(c, a, what, err)
	}

	return b.renderTicketWith(c, status, msg, func(p *ticketPage) { p.Workflow.ErrorHref = anchor })
}

// EventText says in words what an event of the timeline changed.
func (p ticketPage) EventText(e ticket.Event) string {
	switch e.Kind {
	case "status":
		return p.T("event_status", "Status", p.T("status_"+e.NewValue+"_name"))
	case "assignment":
		if e.NewValue == "" {
			return p.T("bo_event_released", "Name", e.OldValue)
		}
		return p.T("bo_event_assigned", "Name", e.NewValue)
	case "team", "service":
		return p.T("bo_event_"+e.Kind, "From", e.OldValue, "To", e.NewValue)
	case "priority":
		return p.T("bo_event_priority", "To", p.T("bo_priority_"+e.NewValue))
	case "merge":
		return p.T("bo_event_merge", "CaseNumber", e.NewValue)
	case "link":
		if e.NewValue == "" {
			return p.T("bo_event_unlink", "CaseNumber", e.OldValue)
		}
		return p.T("bo_event_link", "CaseNumber", e.NewValue)
	case "forward":
		return p.T("bo_event_forward", "Body", e.NewValue)
	case "reject":
		return p.T("bo_event_reject", "Pointer", e.NewValue)
	case "intake":
		return p.T("bo_event_intake", "Channel", p.T("channel_"+e.NewValue))
	}

	return p.systemEventText(e)
}
