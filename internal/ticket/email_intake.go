package ticket

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/tracking"
)

// Outcomes of a received mail, as inbound_mail remembers them.
const (
	MailAppended  = "appended"
	MailNewTicket = "new_ticket"
	MailAutoReply = "auto_reply"
	MailBounce    = "bounce"
	MailIgnored   = "ignored"
)

// MaxAcknowledgementsPerHour is how many acknowledgements e-mail intake sends one
// address within an hour; mail beyond that still opens tickets, silently, so that
// an auto-responder that slipped through cannot keep a loop going.
const MaxAcknowledgementsPerHour = 3

// MaxEmailLength is the longest text kept as a message from a mail; the rest
// stays in the original.
const MaxEmailLength = 20000

// ErrMailKnown is returned for a mail whose Message-ID was taken before.
var ErrMailKnown = errors.New("mail received before")

// Email is a received mail as the ticket store takes it.
type Email struct {
	MessageID string // without angle brackets, or a stand-in for a mail that has none
	Raw       []byte // the original as received, kept for staff
	Body      string // the text to show
	Files     []attachment.File
	Note      string // an internal note for staff, such as attachments not taken; may be empty
}

const insertInboundSQL = `
INSERT INTO inbound_mail (message_id, ticket_id, ticket_message_id, outcome, raw)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (message_id) DO NOTHING`

// remember records the mail in the caller's transaction; ErrMailKnown rolls the
// transaction back when another took the same mail first.
func remember(
	ctx context.Context,
	tx pgx.Tx,
	e Email,
	outcome string,
	ticketID, msgID *int64,
) error {
	tag, err := tx.Exec(ctx, insertInboundSQL, e.MessageID, ticketID, msgID, outcome, e.Raw)
	if err != nil {
		return fmt.Errorf("remember mail: %w", err)
	}

	if tag.RowsAffected() == 0 {
		return ErrMailKnown
	}

	return nil
}

const mailKnownSQL = `
SELECT EXISTS (
	SELECT 1
	FROM inbound_mail
	WHERE message_id = $1
)`

// MailKnown reports whether a mail with messageID was taken before.
func (s *Store) MailKnown(ctx context.Context, messageID string) (bool, error) {
	var known bool
	if err := s.pool.QueryRow(ctx, mailKnownSQL, messageID).Scan(&known); err != nil {
		return false, fmt.Errorf("look up mail: %w", err)
	}

	return known, nil
}

// RecordEmail remembers a mail that belongs to no ticket, such as an auto-reply,
// with its outcome; ErrMailKnown when it was taken before.
func (s *Store) RecordEmail(ctx context.Context, e Email, outcome string) error {
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		return remember(ctx, tx, e, outcome, nil, nil)
	})
	if err != nil {
		return fmt.Errorf("record mail: %w", err)
	}

	return nil
}

// AppendEmail adds a mail from the ticket's contact to its conversation, with
// its checked files and note, and remembers the mail, in one transaction. A
// ticket waiting for the citizen goes back to work, as with Reply. It returns the
// message ID, ErrFinished for a ticket that has ended and ErrMailKnown for a mail
// taken before.
func (s *Store) AppendEmail(ctx context.Context, ticketID int64, e Email) (int64, error) {
	var msgID int64
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if msgID, err = s.reply(ctx, tx, ticketID, emailText(e.Body)); err != nil {
			return err
		}

		if err := insertAttachments(ctx, tx, ticketID, msgID, e.Files); err != nil {
			return err
		}

		if err := insertNote(ctx, tx, ticketID, e.Note); err != nil {
			return err
		}

		return remember(ctx, tx, e, MailAppended, &ticketID, &msgID)
	})
	if err != nil {
		return 0, fmt.Errorf("append mail to ticket %d: %w", ticketID, err)
	}

	return msgID, nil
}

const setContactSQL = `
UPDATE tickets
SET contact_email = $2
WHERE id = $1`

const firstMessageSQL = `
SELECT id
FROM messages
WHERE ticket_id = $1
ORDER BY id
LIMIT 1`

// CreateFromEmail opens a ticket on the e-mail channel from a mail and remembers
// the mail, in one transaction: n names the service, team, language, subject and
// contact, e gives the text, files and note. The acknowledgement to
// n.ContactEmail is enqueued unless the address had MaxAcknowledgementsPerHour
// already; the result says whether it was. ErrMailKnown for a mail taken before.
func (s *Store) CreateFromEmail(ctx context.Context, n New, e Email) (Created, bool, error) {
	code, err := tracking.NewCode()
	if err != nil {
		return Created{}, false, fmt.Errorf("create ticket from mail: %w", err)
	}

	contact := n.ContactEmail
	n.Channel, n.Body, n.Files = ChannelEmail, emailText(e.Body), e.Files
	// insert enqueues the acknowledgement for any contact address; here the rate
	// limit decides, so the address is set afterwards.
	n.ContactEmail = ""

	c := Created{Code: code, AccessSecret: s.AccessSecret(code, 1)}
	var acknowledged bool
	err = inTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.insert(ctx, tx, n, &c); err != nil {
			return err
		}

		var msgID int64
		if err := tx.QueryRow(ctx, firstMessageSQL, c.ID).Scan(&msgID); err != nil {
			return fmt.Errorf("read first message: %w", err)
		}

		if err := insertNote(ctx, tx, c.ID, e.Note); err != nil {
			return err
		}

		if err := remember(ctx, tx, e, MailNewTicket, &c.ID, &msgID); err != nil {
			return err
		}

		if contact == "" {
			return nil
		}

		if _, err := tx.Exec(ctx, setContactSQL, c.ID, contact); err != nil {
			return fmt.Errorf("set contact: %w", err)
		}

		acknowledged, err = s.acknowledge(ctx, tx, c.ID, contact)
		return err
	})
	if err != nil {
		return Created{}, false, fmt.Errorf("create ticket from mail: %w", err)
	}

	return c, acknowledged, nil
}

const lockAddressSQL = `
SELECT pg_advisory_xact_lock(hashtextextended(encode($1::bytea, 'hex'), 0))`

const pruneAcknowledgementsSQL = `
DELETE FROM mail_acknowledgements
WHERE sent_at < now() - interval '1 hour'`

const countAcknowledgementsSQL = `
SELECT count(*)
FROM mail_acknowledgements
WHERE address_hash = $1
  AND sent_at >= now() - interval '1 hour'`

const insertAcknowledgementSQL = `
INSERT INTO mail_acknowledgements (address_hash, ticket_id)
VALUES ($1, $2)`

// acknowledge enqueues the acknowledgement of ticket id to address unless the
// address had its share within the hour, and reports whether it did.
func (s *Store) acknowledge(
	ctx context.Context,
	tx pgx.Tx,
	id int64,
	address string,
) (bool, error) {
	// Only a hash is kept: the table exists to count, not to know who wrote.
	h := sha256.Sum256([]byte(strings.ToLower(address)))

	// Two mails from one address at once must not both see room for one more.
	if _, err := tx.Exec(ctx, lockAddressSQL, h[:]); err != nil {
		return false, fmt.Errorf("lock address: %w", err)
	}

	if _, err := tx.Exec(ctx, pruneAcknowledgementsSQL); err != nil {
		return false, fmt.Errorf("prune acknowledgements: %w", err)
	}

	var sent int
	if err := tx.QueryRow(ctx, countAcknowledgementsSQL, h[:]).Scan(&sent); err != nil {
		return false, fmt.Errorf("count acknowledgements: %w", err)
	}

	if sent >= MaxAcknowledgementsPerHour {
		return false, nil
	}

	if _, err := tx.Exec(ctx, insertAcknowledgementSQL, h[:], id); err != nil {
		return false, fmt.Errorf("count acknowledgement: %w", err)
	}

	return true, s.notify(ctx, tx, NotifyArgs{TicketID: id, Message: MessageAcknowledgement})
}

// markFailingSQL returns whether the address was known to fail before.
const markFailingSQL = `
UPDATE tickets t
SET contact_email_failing = true,
	updated_at = now()
FROM (SELECT contact_email_failing AS was FROM tickets WHERE id = $1) old
WHERE t.id = $1
RETURNING old.was`

// MarkContactFailing records that mail to the ticket's contact address came back
// undeliverable, with an internal note and a bounce event, remembers the bounce
// and, the first time the address fails, tells the assignee or, without one, the
// team leads by mail, in one transaction; ErrMailKnown for a bounce taken before.
func (s *Store) MarkContactFailing(ctx context.Context, ticketID int64, e Email) error {
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := lockStatus(ctx, tx, ticketID); err != nil {
			return err
		}

		var failedBefore bool
		if err := tx.QueryRow(ctx, markFailingSQL, ticketID).Scan(&failedBefore); err != nil {
			return fmt.Errorf("mark contact failing: %w", err)
		}

		if err := insertNote(ctx, tx, ticketID, e.Note); err != nil {
			return err
		}

		if err := remember(ctx, tx, e, MailBounce, &ticketID, nil); err != nil {
			return err
		}

		if failedBefore {
			return nil
		}

		return s.tellBounce(ctx, tx, ticketID)
	})
	if err != nil {
		return fmt.Errorf("bounce for ticket %d: %w", ticketID, err)
	}

	return nil
}

const insertSystemNoteSQL = `
INSERT INTO messages (ticket_id, kind, body)
VALUES ($1, 'note', $2)`

// insertNote adds an internal note by the system, when there is one.
func insertNote(ctx context.Context, tx pgx.Tx, ticketID int64, note string) error {
	if note == "" {
		return nil
	}

	if _, err := tx.Exec(ctx, insertSystemNoteSQL, ticketID, note); err != nil {
		return fmt.Errorf("insert note: %w", err)
	}

	return nil
}

// emailText cuts a mail's text to MaxEmailLength characters.
func emailText(body string) string {
	if utf8.RuneCountInString(body) <= MaxEmailLength {
		return body
	}

	return string([]rune(body)[:MaxEmailLength]) + " […]"
}
