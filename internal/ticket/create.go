package ticket

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/tracking"
)

// Channels a ticket can come in by.
const (
	ChannelWeb     = "web"
	ChannelEmail   = "email"
	ChannelPhone   = "phone"
	ChannelLetter  = "letter"
	ChannelCounter = "counter"
	ChannelAPI     = "api"
)

// New is what a submission stores. SLADays is the service level in working
// days, from which the ticket's due date is counted.
type New struct {
	ServiceID    int64
	TeamID       int64
	SLADays      int
	Channel      string
	Language     string
	Subject      string
	Body         string
	Fields       map[string]string
	ContactName  string
	ContactEmail string
	ContactPhone string
	Files        []attachment.File
}

// Created is what a citizen is given for a stored ticket. AccessSecret is shown
// or mailed once and never stored.
type Created struct {
	ID           int64
	CaseNumber   string
	Code         tracking.Code
	AccessSecret string
	CreatedAt    time.Time
}

// insertTicketSQL stores the words of the first message with the ticket, so
// that adding the message finds them there and leaves the new row as it is.
const insertTicketSQL = `
INSERT INTO tickets (case_number, tracking_code, access_hash, service_id, team_id,
	channel, language, subject, fields, contact_name, contact_email, contact_phone, due_at,
	first_answer_due_at, conversation)
VALUES (next_case_number(@year), @code, @access_hash, @service_id, @team_id,
	@channel, @language, @subject, @fields, @contact_name, @contact_email, @contact_phone,
	@due_at, @first_answer_due_at, to_tsvector('german', @body))
RETURNING id, case_number, created_at`

const insertFirstMessageSQL = `
INSERT INTO messages (ticket_id, kind, body, created_at)
VALUES ($1, 'from_citizen', $2, $3)
RETURNING id`

const insertReceivedEventSQL = `
INSERT INTO events (ticket_id, kind, new_value, created_at)
VALUES ($1, 'status', 'received', $2)`

// Create stores a ticket, its first message, its received event and, when the
// citizen gave an e-mail address, the acknowledgement job, all in one
// transaction: when Create returns without error, the ticket is committed.
func (s *Store) Create(ctx context.Context, n New) (Created, error) {
	code, err := tracking.NewCode()
	if err != nil {
		return Created{}, fmt.Errorf("create ticket: %w", err)
	}

	c := Created{Code: code, AccessSecret: s.AccessSecret(code, 1)}
	err = inTx(ctx, s.pool, func(tx pgx.Tx) error {
		return s.insert(ctx, tx, n, &c)
	})
	if err != nil {
		return Created{}, fmt.Errorf("create ticket: %w", err)
	}

	return c, nil
}

func (s *Store) insert(ctx context.Context, tx pgx.Tx, n New, c *Created) error {
	fields := n.Fields
	if fields == nil {
		fields = map[string]string{}
	}

	now := time.Now()
	var due *time.Time
	if n.SLADays > 0 {
		d := s.calendar.Due(now, n.SLADays)
		due = &d
	}

	firstDue, err := s.firstAnswerDue(ctx, tx, n.ServiceID, now)
	if err != nil {
		return err
	}

	args := pgx.NamedArgs{
		"year":        now.In(s.location).Year(),
		"code":        c.Code.Canonical(),
		"access_hash": s.AccessHash(c.AccessSecret),
		"service_id":  n.ServiceID, "team_id": n.TeamID, "channel": n.Channel,
		"language": n.Language, "subject": n.Subject, "fields": fields,
		"contact_name": n.ContactName, "contact_email": n.ContactEmail,
		"contact_phone": n.ContactPhone, "due_at": due, "first_answer_due_at": firstDue,
		"body": n.Body,
	}
	err = tx.QueryRow(ctx, insertTicketSQL, args).Scan(&c.ID, &c.CaseNumber, &c.CreatedAt)
	if err != nil {
		return fmt.Errorf("insert ticket: %w", err)
	}

	var msgID int64
	err = tx.QueryRow(ctx, insertFirstMessageSQL, c.ID, n.Body, c.CreatedAt).Scan(&msgID)
	if err != nil {
		return fmt.Errorf("insert first message: %w", err)
	}

	if err := insertAttachments(ctx, tx, c.ID, msgID, n.Files); err != nil {
		return err
	}

	if _, err := tx.Exec(ctx, insertReceivedEventSQL, c.ID, c.CreatedAt); err != nil {
		return fmt.Errorf("insert received event: %w", err)
	}

	if n.ContactEmail == "" {
		return nil
	}

	return s.notify(ctx, tx, NotifyArgs{TicketID: c.ID, Message: MessageAcknowledgement})
}
