package ticket

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/catalog"
)

// Rejection ends a ticket the city is not responsible for: Reason says why,
// Pointer whom the citizen may ask instead. The citizen reads both.
type Rejection struct {
	Action
	Reason  string
	Pointer string
}

// check cleans the rejection's texts and reports whether they may be stored.
func (r *Rejection) check() bool {
	r.Reason = strings.TrimSpace(r.Reason)
	r.Pointer = strings.TrimSpace(r.Pointer)

	return r.Reason != "" && utf8.RuneCountInString(r.Reason) <= MaxNoteLength &&
		catalog.CleanText(r.Reason, true) && r.Pointer != "" &&
		utf8.RuneCountInString(r.Pointer) <= MaxNoteLength && catalog.CleanText(r.Pointer, true)
}

// Reject moves the ticket to rejected with the reason and the pointer, and
// enqueues the citizen's notice in the same transaction.
func (s *Store) Reject(ctx context.Context, r Rejection) error {
	if !r.check() {
		return fmt.Errorf("reject ticket %d: %w", r.TicketID, ErrInvalid)
	}

	err := s.locked(ctx, r.Action, func(tx pgx.Tx, status Status, email string) error {
		return s.reject(ctx, tx, r, status, email)
	})
	if err != nil {
		return fmt.Errorf("reject ticket %d: %w", r.TicketID, err)
	}

	return nil
}

func (s *Store) reject(
	ctx context.Context,
	tx pgx.Tx,
	r Rejection,
	status Status,
	email string,
) error {
	eventID, err := s.outcome(ctx, tx, r.Action, status, Rejected, "reject", r.Pointer, r.Reason)
	if err != nil {
		return err
	}

	if email == "" {
		return nil
	}

	return s.notify(ctx, tx, NotifyArgs{
		TicketID: r.TicketID, Message: MessageRejected, EventID: eventID,
	})
}
