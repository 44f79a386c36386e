package server

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/web"
)

// HousekeepingInterval is how often expired sessions and rate-limit entries are
// removed.
const HousekeepingInterval = 10 * time.Minute

// purgeSQL removes what has expired; each statement is safe to run from several
// instances at once.
var purgeSQL = []string{
	`DELETE FROM staff_sessions WHERE expires_at < now()`,
	`DELETE FROM citizen_sessions WHERE expires_at < now()`,
	`DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'`,
}

// Housekeep removes expired sessions and rate-limit entries once and returns
// how many rows went.
func Housekeep(ctx context.Context, pool *pgxpool.Pool) (int64, error) {
	n, err := web.Purge(ctx, pool)
	if err != nil {
		return n, fmt.Errorf("housekeeping: %w", err)
	}

	for _, q := range purgeSQL {
		tag, err := pool.Exec(ctx, q)
		if err != nil {
			return n, fmt.Errorf("housekeeping: %w", err)
		}
		n += tag.RowsAffected()
	}

	return n, nil
}

// RunHousekeeping calls Housekeep every interval until ctx ends.
func RunHousekeeping(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) {
	tick := time.NewTicker(HousekeepingInterval)
	defer tick.Stop()

	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}

		n, err := Housekeep(ctx, pool)
		if err != nil {
			log.Warn("housekeeping failed", "error", err.Error())
			continue
		}
		log.Info("housekeeping", "removed", n)
	}
}
