package backoffice

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/web"
)

type ticketPage struct {
	Page
	Ticket     ticket.Ticket
	StatusName string
	Answers    []catalog.Answer
	Files      []ticket.AttachmentInfo
	Next       []option
	Note       string
	Message    string
	Error      string
	Mine       bool
	Finished   bool
	Priorities []option
	Kinds      []option
	Workflow   workflowPart
}

func (b *Backoffice) ticketShow(c *fiber.Ctx) error {
	return b.renderTicket(c, fiber.StatusOK, "", "")
}

// renderTicket shows the ticket of the path, with an error message ID and the
// note typed so far after a failed action.
func (b *Backoffice) renderTicket(c *fiber.Ctx, status int, errID, note string) error {
	return b.renderTicketWith(c, status, errID, func(p *ticketPage) { p.Note = note })
}

// renderTicketWith shows the ticket of the path as renderTicket does, with
// adjust changing the page last, as a failed action needs.
func (b *Backoffice) renderTicketWith(
	c *fiber.Ctx,
	status int,
	errID string,
	adjust func(*ticketPage),
) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}

	t, err := b.tickets.Get(c.UserContext(), id)
	if errors.Is(err, db.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}

	svc, err := b.catalog.ServiceByID(c.UserContext(), t.ServiceID)
	if err != nil {
		return err
	}

	files, err := b.tickets.Attachments(c.UserContext(), t.ID)
	if err != nil {
		return err
	}

	page := ticketPage{Page: b.newPage(c), Ticket: t, Files: files}
	if c.Method() == fiber.MethodPost {
		page.Message = c.FormValue("message")
	}
	page.Mine = page.Member != nil && t.AssigneeID != nil && *t.AssigneeID == page.Member.ID
	page.Finished = t.Status.Terminal()
	for _, p := range priorities {
		page.Priorities = append(page.Priorities, option{p, page.T("bo_priority_" + p),
			t.Priority == p})
	}
	kind := c.FormValue("kind")
	for _, k := range []string{"answer", "question", "note"} {
		page.Kinds = append(page.Kinds, option{k, page.T("bo_write_" + k),
			k == kind || (kind == "" && k == "answer")})
	}
	page.StatusName = page.T("status_" + string(t.Status) + "_name")
	if errID != "" {
		page.Error = page.T(errID)
	}
	page.Answers = svc.Answers(t.Fields, page.Localizer)
	for _, s := range t.Status.Next() {
		page.Next = append(page.Next, option{
			Value: string(s), Name: page.T("status_" + string(s) + "_name"),
		})
	}
	if err := b.fillWorkflow(c, &page); err != nil {
		return err
	}
	adjust(&page)

	return b.web.Render(c, status, "ticket", page)
}

// ticketFile sends one of the ticket's files as a download.
func (b *Backoffice) ticketFile(c *fiber.Ctx) error {
	ticketID, err1 := strconv.ParseInt(c.Params("id"), 10, 64)
	id, err2 := strconv.ParseInt(c.Params("file"), 10, 64)
	if err1 != nil || err2 != nil {
		return fiber.ErrNotFound
	}

	f, err := b.tickets.Attachment(c.UserContext(), ticketID, id)
	if err != nil {
		return err
	}

	return web.SendAttachment(c, f)
}
