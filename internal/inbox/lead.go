package inbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// lockKey names the advisory lock that elects the one poller among all instances
// on a database; it reads "anl-imap".
const lockKey int64 = 0x616e6c2d696d6170

// ErrNotLeader is returned when another instance polls the mailbox.
var ErrNotLeader = errors.New("another instance polls the mailbox")

// Lead is this instance's election as the mailbox poller. The advisory lock lives
// as long as the connection that took it, so the connection is taken out of the
// pool and held: should it break, the lock is gone and another instance may lead.
type Lead struct {
	conn *pgx.Conn
}

const tryLockSQL = `
SELECT pg_try_advisory_lock($1)`

// TakeLead elects this instance to poll the mailbox, or returns ErrNotLeader
// when another instance holds the lead.
func TakeLead(ctx context.Context, pool *pgxpool.Pool) (*Lead, error) {
	c, err := pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("take lead: %w", err)
	}

	conn := c.Hijack()
	var ok bool
	if err := conn.QueryRow(ctx, tryLockSQL, lockKey).Scan(&ok); err != nil {
		closeConn(conn)
		return nil, fmt.Errorf("take lead: %w", err)
	}

	if !ok {
		closeConn(conn)
		return nil, ErrNotLeader
	}

	return &Lead{conn: conn}, nil
}

// Check reports an error when the connection holding the lock broke, so that
// the lock may be held by another instance by now.
func (l *Lead) Check(ctx context.Context) error {
	if err := l.conn.Ping(ctx); err != nil {
		return fmt.Errorf("lead lost: %w", err)
	}

	return nil
}

const unlockSQL = `
SELECT pg_advisory_unlock($1)`

// Release gives up the lead. The lock is freed before the connection closes:
// the server frees it on its own only when it has noticed the close, and until
// then no instance, this one included, could take the lead.
func (l *Lead) Release() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	// Should the unlock fail, closing the connection frees the lock all the same.
	_, _ = l.conn.Exec(ctx, unlockSQL, lockKey)
	closeConn(l.conn)
}

func closeConn(conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	// A connection that cannot say goodbye is cut; the server frees the lock then.
	_ = conn.Close(ctx)
}
