package inbox

import (
	"context"
	"fmt"

	"github.com/emersion/go-imap/v2"
)

// maxTries is how many passes try a mail that cannot be stored before it is set
// aside.
const maxTries = 3

const failedSQL = `
INSERT INTO inbound_failures AS f (message_id, tries)
VALUES ($1, 1)
ON CONFLICT (message_id) DO UPDATE
SET tries = f.tries + 1,
    last_failed_at = now()
RETURNING tries`

// failed counts one more failed pass for the mail with id and returns how many
// there were.
func (p *Poller) failed(ctx context.Context, id string) (int, error) {
	var tries int
	if err := p.opts.Pool.QueryRow(ctx, failedSQL, id).Scan(&tries); err != nil {
		return 0, fmt.Errorf("count failed pass: %w", err)
	}

	return tries, nil
}

const setAsideSQL = `
UPDATE inbound_failures
SET set_aside_at = now()
WHERE message_id = $1`

const forgetFailuresSQL = `
DELETE FROM inbound_failures
WHERE message_id = $1`

// forgetFailures drops the count of a mail that was stored after all.
func (p *Poller) forgetFailures(ctx context.Context, id string) error {
	if _, err := p.opts.Pool.Exec(ctx, forgetFailuresSQL, id); err != nil {
		return fmt.Errorf("forget failed passes: %w", err)
	}

	return nil
}

// setAside flags the mail for staff and marks it seen, so that no later pass
// tries it again, and records when.
func (p *Poller) setAside(ctx context.Context, s *session, uid imap.UID, id string) error {
	s.extend()
	flags := &imap.StoreFlags{
		Op: imap.StoreFlagsAdd, Flags: []imap.Flag{imap.FlagFlagged, imap.FlagSeen}, Silent: true,
	}
	if err := s.client.Store(imap.UIDSetNum(uid), flags, nil).Close(); err != nil {
		return fmt.Errorf("set mail aside: %w", err)
	}

	if _, err := p.opts.Pool.Exec(ctx, setAsideSQL, id); err != nil {
		return fmt.Errorf("set mail aside: %w", err)
	}

	return nil
}
