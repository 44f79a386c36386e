package backoffice

import (
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/mail"
	"github.com/anliegen/anliegen/internal/staff"
)

// outboxMail is one row of the outbox page.
type outboxMail struct {
	mail.Entry
	KindName   string
	StatusName string
}

// outboxFilter is one choice of the status filter.
type outboxFilter struct {
	Value    string
	Name     string
	Selected bool
}

type outboxPage struct {
	Page
	Mails    []outboxMail
	Statuses []outboxFilter
	Retried  bool
	HasKept  bool
}

func (b *Backoffice) outboxList(c *fiber.Ctx) error {
	status := c.Query("status")
	if !slices.Contains(mail.Statuses, status) {
		status = ""
	}

	entries, err := mail.NewOutbox(b.pool).List(c.UserContext(), status)
	if err != nil {
		return err
	}

	page := outboxPage{Page: b.newPage(c), Retried: c.Query("retried") != ""}
	for _, s := range mail.Statuses {
		page.Statuses = append(page.Statuses, outboxFilter{
			Value: s, Name: page.T("outbox_status_" + s), Selected: s == status,
		})
	}

	for _, e := range entries {
		page.Mails = append(page.Mails, b.outboxMail(page.Page, e))
		page.HasKept = page.HasKept || e.Status == mail.StatusKept
	}

	return b.web.Render(c, fiber.StatusOK, "outbox", page)
}

// outboxMail prepares one mail for the page. A kept mail shows its access link,
// as the mail would have: without a mail server, staff hand it on.
func (b *Backoffice) outboxMail(p Page, e mail.Entry) outboxMail {
	if e.Status == mail.StatusKept {
		e.RevealLink(b.tickets)
	}

	m := outboxMail{Entry: e, StatusName: p.T("outbox_status_" + e.Status)}
	m.KindName = p.T("outbox_kind_" + e.Kind)
	if m.KindName == "outbox_kind_"+e.Kind {
		m.KindName = e.Kind
	}

	return m
}

func (b *Backoffice) outboxRetry(c *fiber.Ctx) error {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}

	err = mail.NewOutbox(b.pool).Retry(c.UserContext(), id)
	switch {
	case errors.Is(err, db.ErrNotFound):
		return fiber.ErrNotFound
	case errors.Is(err, db.ErrConflict):
		// Sent or kept meanwhile: the list shows how it stands.
		return c.Redirect("/outbox", fiber.StatusSeeOther)
	case err != nil:
		return err
	}

	m, _ := c.Locals(localMember).(*staff.Member)
	b.web.Logger().Info("mail retried", "outgoing_mail_id", id, "staff_id", m.ID)

	return c.Redirect("/outbox?retried="+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
}
