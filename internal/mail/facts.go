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
	Status     ticket.Status
	Note       string
}

const ticketFactsSQL = `
SELECT t.case_number, t.tracking_code, t.access_epoch, t.language, t.contact_email, s.name,
	t.status
FROM tickets t
JOIN services s ON s.id = t.service_id
WHERE t.id = $1`

const eventFactsSQL = `
SELECT new_value, public_note
FROM events
WHERE id = $1
  AND ticket_id = $2
  AND kind = 'status'`

// loadFacts reads the ticket of args and, for a status change, its event;
// db.ErrNotFound when either is gone.
func (w *NotifyWorker) loadFacts(ctx context.Context, args ticket.NotifyArgs) (facts, error) {
	var f facts
	var code string
	err := w.Pool.QueryRow(ctx, ticketFactsSQL, args.TicketID).Scan(&f.CaseNumber, &code,
		&f.Epoch, &f.Language, &f.Email, &f.Service, &f.Status)
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

	err = w.Pool.QueryRow(ctx, eventFactsSQL, args.EventID, args.TicketID).Scan(&f.Status,
		&f.Note)
	if errors.Is(err, pgx.ErrNoRows) {
		return facts{}, fmt.Errorf("load event: %w", db.ErrNotFound)
	}
	if err != nil {
		return facts{}, fmt.Errorf("load event: %w", err)
	}

	return f, nil
}
