package ticket

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/tracking"
)

// IntakeChannels are the channels staff take a concern in by on a citizen's
// behalf.
var IntakeChannels = []string{ChannelPhone, ChannelCounter, ChannelLetter}

const insertIntakeEventSQL = `
INSERT INTO events (ticket_id, kind, actor_id, new_value, created_at)
VALUES ($1, 'intake', $2, $3, $4)`

// Intake stores a ticket that staff member actorID took in by phone, at the
// counter or from a letter, as Create does, and records who took it in by which
// channel. With an e-mail address the acknowledgement is enqueued; without
// one, the ticket page offers the acknowledgement letter.
func (s *Store) Intake(ctx context.Context, n New, actorID int64) (Created, error) {
	known := false
	for _, ch := range IntakeChannels {
		known = known || ch == n.Channel
	}
	if !known {
		return Created{}, fmt.Errorf("intake by %q: %w", n.Channel, ErrInvalid)
	}

	code, err := tracking.NewCode()
	if err != nil {
		return Created{}, fmt.Errorf("intake: %w", err)
	}

	c := Created{Code: code, AccessSecret: s.AccessSecret(code, 1)}
	err = inTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := s.insert(ctx, tx, n, &c); err != nil {
			return err
		}

		_, err := tx.Exec(ctx, insertIntakeEventSQL, c.ID, actor(actorID), n.Channel, c.CreatedAt)
		return err
	})
	if err != nil {
		return Created{}, fmt.Errorf("intake: %w", err)
	}

	return c, nil
}
