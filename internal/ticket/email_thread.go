package ticket

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/anliegen/anliegen/internal/db"
)

// EmailTicket is what threading a mail needs to know of a ticket it may belong to.
type EmailTicket struct {
	ID           int64  `db:"id"`
	CaseNumber   string `db:"case_number"`
	ContactEmail string `db:"contact_email"`
	Status       Status `db:"status"`
}

// FromContact reports whether addr is the ticket's contact address, ignoring case.
func (t EmailTicket) FromContact(addr string) bool {
	addr = strings.TrimSpace(addr)
	return addr != "" && strings.EqualFold(addr, strings.TrimSpace(t.ContactEmail))
}

// caseNumberPattern finds a case number standing alone or in brackets, as the
// subject lines of our mails carry it, but not inside a longer number.
var caseNumberPattern = regexp.MustCompile(`(?:^|[^0-9-])([0-9]{4}-[0-9]{6,})(?:$|[^0-9-])`)

// CaseNumberIn returns the first case number in a subject line, such as
// "AW: [2026-000123] Schlagloch" or "Vorgang 2026-000123".
func CaseNumberIn(subject string) (string, bool) {
	m := caseNumberPattern.FindStringSubmatch(subject)
	if m == nil {
		return "", false
	}

	return m[1], true
}

const emailTicketColumns = `id, case_number, contact_email, status`

const ticketByCaseNumberSQL = `
SELECT ` + emailTicketColumns + `
FROM tickets
WHERE case_number = $1`

// TicketByCaseNumber returns the ticket with a case number, or db.ErrNotFound.
func (s *Store) TicketByCaseNumber(ctx context.Context, number string) (EmailTicket, error) {
	t, err := s.emailTicket(ctx, ticketByCaseNumberSQL, number)
	if err != nil {
		return EmailTicket{}, fmt.Errorf("ticket by case number: %w", err)
	}

	return t, nil
}

const ticketByIDSQL = `
SELECT ` + emailTicketColumns + `
FROM tickets
WHERE id = $1`

// sentMessageSQL finds the ticket of the first of the given Message-IDs that we
// sent; the list carries each ID with and without angle brackets, so that either
// way of storing them matches.
const sentMessageSQL = `
SELECT ticket_id
FROM outgoing_mail
WHERE message_id = ANY($1)
  AND ticket_id IS NOT NULL
ORDER BY array_position($1, message_id)
LIMIT 1`

// notifyIDPattern is the form of the Message-ID of a notice to the citizen,
// <notify-TICKET-…@host>, which names its ticket even where the outgoing mail
// is no longer kept.
var notifyIDPattern = regexp.MustCompile(`^notify-([0-9]{1,18})-[^@]*@.+$`)

// TicketBySentMessage returns the ticket of the first Message-ID in ids that
// names a mail we sent, as a reply's In-Reply-To and References carry them, or
// db.ErrNotFound.
func (s *Store) TicketBySentMessage(ctx context.Context, ids []string) (EmailTicket, error) {
	id, err := s.sentMessageTicket(ctx, ids)
	if err != nil {
		return EmailTicket{}, fmt.Errorf("ticket by sent message: %w", err)
	}

	t, err := s.emailTicket(ctx, ticketByIDSQL, id)
	if err != nil {
		return EmailTicket{}, fmt.Errorf("ticket by sent message: %w", err)
	}

	return t, nil
}

func (s *Store) sentMessageTicket(ctx context.Context, ids []string) (int64, error) {
	var forms []string
	for _, id := range ids {
		id = strings.Trim(strings.TrimSpace(id), "<>")
		if id != "" {
			forms = append(forms, id, "<"+id+">")
		}
	}

	if len(forms) == 0 {
		return 0, db.ErrNotFound
	}

	var ticketID int64
	err := s.pool.QueryRow(ctx, sentMessageSQL, forms).Scan(&ticketID)
	if err == nil {
		return ticketID, nil
	}

	if !errors.Is(err, pgx.ErrNoRows) && !missingRelation(err) {
		return 0, fmt.Errorf("look up sent mail: %w", err)
	}

	for i := 0; i < len(forms); i += 2 {
		if m := notifyIDPattern.FindStringSubmatch(forms[i]); m != nil {
			return strconv.ParseInt(m[1], 10, 64)
		}
	}

	return 0, db.ErrNotFound
}

// missingRelation reports whether err says a table or column does not exist,
// as on a database whose outgoing mail is kept elsewhere or not at all.
func missingRelation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "42P01" || pgErr.Code == "42703")
}

func (s *Store) emailTicket(ctx context.Context, query string, arg any) (EmailTicket, error) {
	rows, err := s.pool.Query(ctx, query, arg)
	if err != nil {
		return EmailTicket{}, err
	}

	t, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[EmailTicket])
	if errors.Is(err, pgx.ErrNoRows) {
		return EmailTicket{}, db.ErrNotFound
	}

	return t, err
}
