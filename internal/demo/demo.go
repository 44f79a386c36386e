// Package demo fills a database with realistic tickets, their events and their
// conversation, spread over the past two years, for trying out the back office
// and for benchmarks of statistics and the API.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// MaxCount is the largest number of tickets one call of Tickets loads.
const MaxCount = 10_000_000

// Options says how many tickets Tickets loads and how it shapes them.
type Options struct {
	// Count is the number of tickets to load, from 1 to MaxCount.
	Count int
	// Now ends the two years over which the tickets are spread; zero means now.
	Now time.Time
	// Location is the city's time zone: it decides weekdays, office hours and
	// the year of a case number. Nil means UTC.
	Location *time.Location
	// Seed makes runs reproducible, apart from tracking codes, access hashes
	// and the IDs and case numbers the database hands out.
	Seed int64
	// AccessKey is the server's key for hashing access secrets.
	AccessKey []byte
	// Progress, when set, is called after each committed batch with the number
	// of tickets loaded so far, from one goroutine at a time.
	Progress func(done int)
}

// Result counts the rows Tickets loaded.
type Result struct {
	Tickets  int
	Messages int
	Events   int
}

// Tickets loads opts.Count tickets with their events and messages into the
// services and teams of the catalogue, filling an empty catalogue with the demo
// one and a team without members with demo clerks first. Case numbers come
// from the live per-year sequences, so later submissions continue after them.
// Tickets are committed in batches: after a failure, the batches committed
// before it stay, and Result counts them. It uses up to four connections of
// pool at once.
func Tickets(ctx context.Context, pool *pgxpool.Pool, opts Options) (Result, error) {
	opts, err := opts.checked()
	if err != nil {
		return Result{}, fmt.Errorf("load demo tickets: %w", err)
	}

	w, err := loadWorld(ctx, pool, opts.Seed)
	if err != nil {
		return Result{}, fmt.Errorf("load demo tickets: %w", err)
	}

	res, err := load(ctx, pool, newGenerator(opts, w), opts.Progress)
	if err != nil {
		return res, fmt.Errorf("load demo tickets: %w", err)
	}

	// Fresh statistics, so that the planner knows the new rows at once instead
	// of after autovacuum's next round: without them the tracking page's query
	// chose to scan every status event. The vacuum clears the ticket rows that
	// adding their conversation's words left behind, and marks the pages all
	// visible, as autovacuum keeps a live database.
	const vacuum = "VACUUM (ANALYZE) tickets, events, messages, attachments"
	if _, err := pool.Exec(ctx, vacuum); err != nil {
		return res, fmt.Errorf("analyze demo tickets: %w", err)
	}

	return res, nil
}

// checked returns the options with defaults filled in, or why they are unusable.
func (o Options) checked() (Options, error) {
	if o.Count < 1 || o.Count > MaxCount {
		return o, fmt.Errorf("count %d is not between 1 and %d", o.Count, MaxCount)
	}

	if len(o.AccessKey) == 0 {
		return o, errors.New("no access key")
	}

	if o.Now.IsZero() {
		o.Now = time.Now()
	}

	if o.Location == nil {
		o.Location = time.UTC
	}

	// PostgreSQL keeps microseconds; a finer Now could put a ticket a fraction
	// before the start of the two years once stored.
	o.Now = o.Now.Truncate(time.Microsecond).In(o.Location)

	return o, nil
}
