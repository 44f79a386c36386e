package ticket

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/catalog"
)

// Messages a citizen is sent when a ticket leaves the city's hands.
const (
	MessageForwarded = "forwarded"
	MessageRejected  = "rejected"
	MessageMerged    = "merged"
)

// MaxBodyName is the longest name of an authority or body a ticket goes to.
const MaxBodyName = 200

// ErrInvalid is returned for an action whose input does not pass the checks
// the handler should have made: a name too long, an address that is none.
var ErrInvalid = errors.New("invalid input")

// Forwarding hands a ticket to another authority or body by e-mail. Body is
// its name, which the citizen sees; Note is the covering note to the body.
type Forwarding struct {
	Action
	Body    string
	Email   string
	Note    string
	Files   bool
	Contact bool
}

// ForwardArgs is the job that mails a forwarded ticket to the body: the
// covering note and the request's content, with the attachments and the
// citizen's contact only when staff chose to include them.
type ForwardArgs struct {
	TicketID int64  `json:"ticket_id"`
	EventID  int64  `json:"event_id"`
	Email    string `json:"email"`
	Note     string `json:"note"`
	Files    bool   `json:"files,omitempty"`
	Contact  bool   `json:"contact,omitempty"`
}

// Kind names the job for the queue.
func (ForwardArgs) Kind() string { return "forward_ticket" }

// check cleans the forwarding's texts and reports whether they may be stored.
func (f *Forwarding) check() bool {
	f.Body = strings.TrimSpace(f.Body)
	f.Email = strings.TrimSpace(f.Email)
	f.Note = strings.TrimSpace(f.Note)

	return f.Body != "" && utf8.RuneCountInString(f.Body) <= MaxBodyName &&
		catalog.CleanText(f.Body, false) && catalog.ValidEmail(f.Email) &&
		utf8.RuneCountInString(f.Note) <= MaxMessageLength && catalog.CleanText(f.Note, true)
}

const insertOutcomeEventSQL = `
INSERT INTO events (ticket_id, kind, actor_id, new_value, public_note)
VALUES ($1, $2, $3, $4, $5)
RETURNING id`

// Forward moves the ticket to forwarded, records the body it went to, and in
// the same transaction enqueues the mail to the body and the citizen's notice.
func (s *Store) Forward(ctx context.Context, f Forwarding) error {
	if !f.check() {
		return fmt.Errorf("forward ticket %d: %w", f.TicketID, ErrInvalid)
	}

	err := s.locked(ctx, f.Action, func(tx pgx.Tx, status Status, email string) error {
		return s.forward(ctx, tx, f, status, email)
	})
	if err != nil {
		return fmt.Errorf("forward ticket %d: %w", f.TicketID, err)
	}

	return nil
}

func (s *Store) forward(
	ctx context.Context,
	tx pgx.Tx,
	f Forwarding,
	status Status,
	email string,
) error {
	eventID, err := s.outcome(ctx, tx, f.Action, status, Forwarded, "forward", f.Body, "")
	if err != nil {
		return err
	}

	_, err = s.jobs.InsertTx(ctx, tx, ForwardArgs{
		TicketID: f.TicketID, EventID: eventID, Email: f.Email, Note: f.Note,
		Files: f.Files, Contact: f.Contact,
	}, nil)
	if err != nil {
		return fmt.Errorf("enqueue forward mail: %w", err)
	}

	if email == "" {
		return nil
	}

	return s.notify(ctx, tx, NotifyArgs{
		TicketID: f.TicketID, Message: MessageForwarded, EventID: eventID,
	})
}

// outcome moves a locked ticket to the status of an outcome (forwarded,
// rejected, merged) and records the outcome's own event, whose ID it returns.
// The status event carries no notice: the outcome's message tells the citizen.
func (s *Store) outcome(
	ctx context.Context,
	tx pgx.Tx,
	a Action,
	from, to Status,
	kind, value, note string,
) (int64, error) {
	if from.Terminal() {
		return 0, ErrFinished
	}
	if to != Merged && !from.CanMoveTo(to) {
		return 0, fmt.Errorf("%s to %s: %w", from, to, ErrTransition)
	}

	if err := s.recordStatus(ctx, tx, a.TicketID, actor(a.ActorID), from, to, "", ""); err != nil {
		return 0, err
	}

	var id int64
	err := tx.QueryRow(ctx, insertOutcomeEventSQL, a.TicketID, kind, actor(a.ActorID), value,
		note).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert %s event: %w", kind, err)
	}

	return id, nil
}
