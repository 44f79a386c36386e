package web

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// flushEvery is how often a process adds its counts to the shared ones.
const flushEvery = 500 * time.Millisecond

// RateLimit is a fixed-window rate limit per client address. Each process
// counts in memory and adds its counts to a table in PostgreSQL every half
// second, learning the others' at the same time: every instance behind a proxy
// shares the limit, and no request waits for the database or for another
// request of the same address.
type RateLimit struct {
	pool   *pgxpool.Pool
	name   string
	max    int
	window time.Duration
	skip   func(*fiber.Ctx) bool
	log    *slog.Logger

	mu        sync.Mutex
	counts    map[string]*count
	lastFlush time.Time
	flushing  bool
}

// count is one address's hits in one window: those known to all instances,
// those of this process being added now, and those not yet added.
type count struct {
	window   time.Time
	shared   int
	inflight int
	pending  int
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
	return &RateLimit{
		pool: pool, name: name, max: max, window: window, skip: skip,
		log: slog.Default(), counts: map[string]*count{},
	}
}

// Handler answers 429 with Retry-After once an address is over the limit.
func (l *RateLimit) Handler() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if l.skip != nil && l.skip(c) {
			return c.Next()
		}

		if err := l.Check(c, c.IP()); err != nil {
			return err
		}

		return c.Next()
	}
}

// Check counts one request of key, which names who is limited (an address, an
// API key), and answers 429 with Retry-After once key is over the limit.
func (l *RateLimit) Check(c *fiber.Ctx, key string) error {
	now := time.Now()
	start := now.Truncate(l.window)
	if l.hit(key, start, now) > l.max {
		wait := start.Add(l.window).Sub(now)
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds())+1))
		return fiber.ErrTooManyRequests
	}

	return nil
}

// hit counts one request of addr and returns its hits in the window so far.
func (l *RateLimit) hit(addr string, start, now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()

	key := l.name + ":" + addr
	e := l.counts[key]
	if e == nil || !e.window.Equal(start) {
		e = &count{window: start}
		l.counts[key] = e
	}
	e.pending++

	if !l.flushing && now.Sub(l.lastFlush) >= flushEvery {
		l.flushing, l.lastFlush = true, now
		go l.flush(start)
	}

	return e.shared + e.inflight + e.pending
}

// upsertSQL adds a process's hits to an address's shared count in the window
// and returns the new total; a new window starts the count again.
const upsertSQL = `
INSERT INTO rate_limits AS r (key, window_start, hits)
VALUES ($1, $2, $3)
ON CONFLICT (key) DO UPDATE
SET hits = CASE WHEN r.window_start = excluded.window_start
		THEN r.hits + excluded.hits ELSE excluded.hits END,
	window_start = excluded.window_start
RETURNING hits`

// flush adds the pending counts of the current window to the shared ones,
// learns the shared totals of every address seen in it, and forgets the counts
// of past windows.
func (l *RateLimit) flush(start time.Time) {
	l.mu.Lock()
	batch := map[string]int{}
	for key, e := range l.counts {
		if !e.window.Equal(start) {
			delete(l.counts, key)
			continue
		}
		// An address without new hits is read back too, to learn the others'.
		batch[key] = e.pending
		e.inflight, e.pending = e.pending, 0
	}
	l.mu.Unlock()

	totals, err := l.add(batch, start)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.flushing = false
	for key, n := range batch {
		e := l.counts[key]
		if e == nil {
			continue
		}
		e.inflight = 0
		if err != nil {
			e.pending += n // counted again at the next flush
			continue
		}
		e.shared = totals[key]
	}
	if err != nil {
		l.log.Warn("rate limit counts not shared", "limit", l.name, "error", err.Error())
	}
}

// add writes a batch of counts in one round trip, without waiting for the
// disk: a count lost in a crash costs nothing.
func (l *RateLimit) add(batch map[string]int, start time.Time) (map[string]int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	totals := map[string]int{}
	err := pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue("SET LOCAL synchronous_commit = off")
		keys := make([]string, 0, len(batch))
		for key, n := range batch {
			keys = append(keys, key)
			b.Queue(upsertSQL, key, start, n)
		}

		res := tx.SendBatch(ctx, b)
		defer res.Close()
		if _, err := res.Exec(); err != nil {
			return err
		}
		for _, key := range keys {
			var total int
			if err := res.QueryRow().Scan(&total); err != nil {
				return err
			}
			totals[key] = total
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rate limit %s: %w", l.name, err)
	}

	return totals, nil
}
