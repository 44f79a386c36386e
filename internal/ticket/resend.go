package ticket

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/tracking"
)

// MessageLinkResent is the mail that carries the access link again.
const MessageLinkResent = "link_resent"

const ticketForResendSQL = `
SELECT id
FROM tickets
WHERE tracking_code = $1
  AND contact_email <> ''
  AND lower(contact_email) = lower($2)`

// ResendLink enqueues the mail with the access link when email is the address
// the ticket was submitted with. It reports nothing about whether they matched:
// the caller answers the same either way.
func (s *Store) ResendLink(ctx context.Context, code tracking.Code, email string) error {
	email = strings.TrimSpace(email)
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, ticketForResendSQL, code.Canonical(), email).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}

		return s.notify(ctx, tx, NotifyArgs{TicketID: id, Message: MessageLinkResent})
	})
	if err != nil {
		return fmt.Errorf("resend link: %w", err)
	}

	return nil
}
