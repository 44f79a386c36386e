package inbox

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/ticket"
)

// maxSubjectLength is the longest subject a ticket from a mail gets.
const maxSubjectLength = 200

// take stores what a mail is and returns its outcome, or "" for a mail that an
// earlier pass took already.
func (p *Poller) take(ctx context.Context, m *received) (string, error) {
	known, err := p.opts.Tickets.MailKnown(ctx, m.id)
	if err != nil {
		return "", err
	}

	if known {
		return "", nil
	}

	var outcome string
	switch classify(m) {
	case bounce:
		outcome, err = p.bounce(ctx, m)
	case autoReply:
		outcome, err = ticket.MailAutoReply, p.record(ctx, m, ticket.MailAutoReply)
	case bulk:
		outcome, err = ticket.MailIgnored, p.record(ctx, m, ticket.MailIgnored)
	default:
		outcome, err = p.personal(ctx, m)
	}

	if errors.Is(err, ticket.ErrMailKnown) {
		return "", nil
	}

	return outcome, err
}

// record remembers a mail that nobody answers, with the original only.
func (p *Poller) record(ctx context.Context, m *received, outcome string) error {
	return p.opts.Tickets.RecordEmail(ctx, ticket.Email{MessageID: m.id, Raw: m.raw}, outcome)
}

// personal appends a reply to its ticket, or opens a new one; a reply to a
// ticket that has ended opens a new one too, with a note naming the old. A
// staff member's reply to a staff notification is dropped.
func (p *Poller) personal(ctx context.Context, m *received) (string, error) {
	if dropped, err := p.staffReply(ctx, m); dropped || err != nil {
		return ticket.MailIgnored, err
	}

	t, err := p.replyTo(ctx, m)
	if errors.Is(err, db.ErrNotFound) {
		return ticket.MailNewTicket, p.open(ctx, m, "")
	}
	if err != nil {
		return "", err
	}

	if !t.Status.Terminal() {
		_, err := p.opts.Tickets.AppendEmail(ctx, t.ID, p.email(m, foldReply(m.text)))
		if !errors.Is(err, ticket.ErrFinished) {
			return ticket.MailAppended, err
		}
	}

	note := fmt.Sprintf("Antwort auf den abgeschlossenen Vorgang %s.", t.CaseNumber)
	return ticket.MailNewTicket, p.open(ctx, m, note)
}

// replyTo finds the ticket a mail answers: by the case number in its subject or
// the mails it refers to, and only when it comes from the ticket's contact.
func (p *Poller) replyTo(ctx context.Context, m *received) (ticket.EmailTicket, error) {
	if m.from == "" {
		return ticket.EmailTicket{}, db.ErrNotFound
	}

	if number, ok := ticket.CaseNumberIn(m.subject); ok {
		t, err := p.opts.Tickets.TicketByCaseNumber(ctx, number)
		if err == nil && t.FromContact(m.from) {
			return t, nil
		}
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return ticket.EmailTicket{}, err
		}
	}

	if len(m.references) == 0 {
		return ticket.EmailTicket{}, db.ErrNotFound
	}

	t, err := p.opts.Tickets.TicketBySentMessage(ctx, m.references)
	if err != nil {
		return ticket.EmailTicket{}, err
	}

	if !t.FromContact(m.from) {
		return ticket.EmailTicket{}, db.ErrNotFound
	}

	return t, nil
}

// open starts a ticket in the intake service with the sender as its contact.
// New mail is kept whole: what looks like quoted history there is often a
// forwarded concern.
func (p *Poller) open(ctx context.Context, m *received, note string) error {
	n := ticket.New{
		ServiceID:    p.intake.ID,
		TeamID:       p.intake.TeamID,
		Language:     p.language(m),
		Subject:      subject(m.subject),
		ContactName:  m.name,
		ContactEmail: m.from,
	}
	if p.intake.SLADays != nil {
		n.SLADays = int(*p.intake.SLADays)
	}

	e := p.email(m, m.text)
	e.Note = joinNotes(note, e.Note)
	_, _, err := p.opts.Tickets.CreateFromEmail(ctx, n, e)
	return err
}

// language is the mail's Content-Language when tickets may have it, else German.
func (p *Poller) language(m *received) string {
	tag, _, _ := strings.Cut(m.header.Get("Content-Language"), ",")
	tag = strings.ToLower(strings.TrimSpace(tag))
	if p.opts.Language == nil || tag == "" {
		return i18n.Default
	}

	if p.opts.Language(tag) {
		return tag
	}

	if base, _, _ := strings.Cut(tag, "-"); p.opts.Language(base) {
		return base
	}

	return i18n.Default
}

func subject(s string) string {
	if utf8.RuneCountInString(s) <= maxSubjectLength {
		return s
	}

	return string([]rune(s)[:maxSubjectLength]) + "…"
}

// email is the mail as the ticket store takes it, with body as its text and the
// attachments that the portal's rules allow.
func (p *Poller) email(m *received, body string) ticket.Email {
	e := ticket.Email{MessageID: m.id, Raw: m.raw, Body: body}
	if !m.whole {
		e.Note = "Die E-Mail war zu groß, um sie ganz zu übernehmen; übernommen ist nur ihr " +
			"Kopf, sie selbst liegt weiter im Postfach."
	}

	if m.unreadable {
		e.Note = joinNotes(e.Note, "Der Kopf der E-Mail war nicht lesbar; "+
			"der Text ist die E-Mail, wie sie ankam.")
	}

	files, refused := p.files(m.uploads)
	e.Files = files
	e.Note = joinNotes(e.Note, refused)
	return e
}

func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}

	return a + "\n\n" + b
}
