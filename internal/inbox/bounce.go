package inbox

import (
	"context"
	"errors"

	"github.com/emersion/go-message/mail"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/ticket"
)

// failingNote is the internal note a bounce leaves on its ticket.
const failingNote = "Eine E-Mail an die Kontaktadresse kam als unzustellbar zurück. " +
	"Weitere Nachrichten per E-Mail erreichen die Person vermutlich nicht; " +
	"bitte auf anderem Weg Kontakt aufnehmen."

// bounce marks the contact address of the ticket whose mail bounced as
// failing. A bounce that names no ticket of ours, or a recipient other than its
// contact, is only remembered.
func (p *Poller) bounce(ctx context.Context, m *received) (string, error) {
	e := ticket.Email{MessageID: m.id, Raw: m.raw, Note: failingNote}
	t, err := p.bounced(ctx, m)
	if errors.Is(err, db.ErrNotFound) || (err == nil && !m.report.failedFor(t.ContactEmail)) {
		return ticket.MailBounce, p.opts.Tickets.RecordEmail(ctx, e, ticket.MailBounce)
	}
	if err != nil {
		return "", err
	}

	return ticket.MailBounce, p.opts.Tickets.MarkContactFailing(ctx, t.ID, e)
}

// bounced finds the ticket of the mail that bounced: by the Message-ID of the
// returned mail or the mails the bounce refers to, else by the case number in
// the returned mail's subject, in the bounce's own, or in its text.
func (p *Poller) bounced(ctx context.Context, m *received) (ticket.EmailTicket, error) {
	ids := m.references
	subjects := []string{m.subject, m.text}
	if m.report != nil && m.report.hasOriginal {
		orig := m.report.original
		if id, err := orig.MessageID(); err == nil && id != "" {
			ids = append([]string{id}, ids...)
		}
		ids = append(ids, references(orig)...)
		subjects = append([]string{originalSubject(orig)}, subjects...)
	}

	if len(ids) > 0 {
		t, err := p.opts.Tickets.TicketBySentMessage(ctx, ids)
		if !errors.Is(err, db.ErrNotFound) {
			return t, err
		}
	}

	for _, s := range subjects {
		if number, ok := ticket.CaseNumberIn(s); ok {
			return p.opts.Tickets.TicketByCaseNumber(ctx, number)
		}
	}

	return ticket.EmailTicket{}, db.ErrNotFound
}

func originalSubject(h mail.Header) string {
	if s, err := h.Subject(); err == nil {
		return s
	}

	return h.Get("Subject")
}
