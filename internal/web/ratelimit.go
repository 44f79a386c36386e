package web

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"
)

// RateLimit is a fixed-window rate limit per client address, counted in
// PostgreSQL so that every instance behind a proxy shares it.
type RateLimit struct {
	pool   *pgxpool.Pool
	name   string
	max    int
	window time.Duration
	skip   func(*fiber.Ctx) bool
}

// NewRateLimit allows max requests per window to each address; requests for
// which skip returns true are not counted.
func NewRateLimit(
	pool *pgxpool.Pool,
	name string,
	max int,
	window time.Duration,
	skip func(*fiber.Ctx) bool,
) *RateLimit {
	return &RateLimit{pool: pool, name: name, max: max, window: window, skip: skip}
}

// countSQL counts one hit in the current window in a single statement: a new
// window starts the count again. Concurrent hits of one address serialise on
// their row only, never on a lock of the whole limiter.
const countSQL = `
INSERT INTO rate_limits AS r (key, window_start, hits)
VALUES ($1, $2, 1)
ON CONFLICT (key) DO UPDATE
SET hits = CASE WHEN r.window_start = excluded.window_start THEN r.hits + 1 ELSE 1 END,
	window_start = excluded.window_start
RETURNING hits`

// Handler answers 429 with Retry-After once an address is over the limit.
func (l *RateLimit) Handler() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if l.skip != nil && l.skip(c) {
			return c.Next()
		}

		now := time.Now()
		start := now.Truncate(l.window)
		hits, err := l.count(c.UserContext(), l.name+":"+c.IP(), start)
		if err != nil {
			return err
		}

		if hits > l.max {
			wait := start.Add(l.window).Sub(now)
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
			return fiber.ErrTooManyRequests
		}

		return c.Next()
	}
}

func (l *RateLimit) count(ctx context.Context, key string, start time.Time) (int, error) {
	var hits int
	if err := l.pool.QueryRow(ctx, countSQL, key, start).Scan(&hits); err != nil {
		return 0, fmt.Errorf("rate limit %s: %w", l.name, err)
	}

	return hits, nil
}
