package mail

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/tracking"
)

// facts is what a mail says about its ticket: as little of the request as it
// takes to recognise it, never the citizen's own text.
type facts struct {
	CaseNumber string
	Code       tracking.Code
	Epoch      int
	Language   string
	Email      string
	Service    catalog.Texts
	Messages   map[string]bool
	Status     ticket.Status
	// EventKind, Value and Note come from the job's event, when it names one.
	EventKind string
	Value     string
	Note      string
	// ToldApart is set for a status change whose staff action, a forwarding,
	// rejection or merge, sends a mail of its own.
	ToldApart bool
}

// sends reports whether the ticket's service sends message.
func (f facts) sends(message string) bool {
	return !optional(message) || catalog.Service{Messages: f.Messages}.Sends(message)
}

const ticketFactsSQL = `
SELECT t.case_number, t.tracking_code, t.access_epoch, t.language, t.contact_email, s.name,
	t.status, s.messages
FROM tickets t
JOIN services s ON s.id = t.service_id
WHERE t.id = $1`

const eventFactsSQL = `
SELECT kind, new_value, public_note
FROM events
WHERE id = $1
  AND ticket_id = $2`

// loadFacts reads the ticket of args and the event it names, if any;
// db.ErrNotFound when either is gone.
func (w *NotifyWorker) loadFacts(ctx context.Context, args ticket.NotifyArgs) (facts, error) {
	var f facts
	var code string
	err := w.Pool.QueryRow(ctx, ticketFactsSQL, args.TicketID).Scan(&f.CaseNumber, &code,
		&f.Epoch, &f.Language, &f.Email, &f.Service, &f.Status, &f.Messages)
	if errors.Is(err, pgx.ErrNoRows) {
		return facts{}, fmt.Errorf("load ticket: %w", db.ErrNotFound)
	}
	if err != nil {
		return facts{}, fmt.Errorf("load ticket: %w", err)
	}

	if f.Code, err = tracking.ParseCode(code); err != nil {
		return facts{}, fmt.Errorf("load ticket: stored code: %w", err)
	}

	if args.EventID == 0 {
		return f, nil
	}

	err = w.Pool.QueryRow(ctx, eventFactsSQL, args.EventID, args.TicketID).Scan(&f.EventKind,
		&f.Value, &f.Note)
	if errors.Is(err, pgx.ErrNoRows) {
		return facts{}, fmt.Errorf("load event: %w", db.ErrNotFound)
	}
	if err != nil {
		return facts{}, fmt.Errorf("load event: %w", err)
	}

	if f.EventKind != "status" {
		return f, nil
	}

	f.Status, f.Value = ticket.Status(f.Value), ""
	if kind, ok := actionEvents[f.Status]; ok {
		err := w.Pool.QueryRow(ctx, siblingEventSQL, args.EventID, kind).Scan(&f.ToldApart)
		if err != nil {
			return facts{}, fmt.Errorf("load action event: %w", err)
		}
	}

	return f, nil
}

// actionEvents names the event of the staff action that moves a ticket to a
// status and enqueues a mail of its own.
var actionEvents = map[ticket.Status]string{
	ticket.Forwarded: "forward", ticket.Rejected: "reject", ticket.Merged: "merge",
}

// siblingEventSQL finds an event of the kind recorded in the same transaction
// as the status event, whose now() they share.
const siblingEventSQL = `
SELECT EXISTS (
	SELECT 1
	FROM events s
	JOIN events e ON e.ticket_id = s.ticket_id
	  AND e.created_at = s.created_at
	  AND e.kind = $2
	WHERE s.id = $1
)`

// message returns the mail a job sends: a change of status to resolved or
// withdrawn has a mail of its own, and one that a forwarding, rejection or
// merge made sends none, as the action's own mail tells the citizen.
func (f facts) message(args ticket.NotifyArgs) string {
	if args.Message != ticket.MessageStatusChanged || f.EventKind != "status" {
		return args.Message
	}

	if f.ToldApart {
		return ""
	}

	switch f.Status {
	case ticket.Resolved:
		return MessageResolved
	case ticket.Withdrawn:
		return MessageWithdrawn
	}

	return args.Message
}
