package ticket

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/anliegen/anliegen/internal/calendar"
	"github.com/anliegen/anliegen/internal/tracking"
)

// ErrTransition is returned when a status change is not among the allowed ones.
var ErrTransition = errors.New("status change not allowed")

// Enqueuer inserts a background job in the caller's transaction, so that a job
// exists exactly when the change that asked for it was committed.
type Enqueuer interface {
	InsertTx(
		ctx context.Context,
		tx pgx.Tx,
		args river.JobArgs,
		opts *river.InsertOpts,
	) (*rivertype.JobInsertResult, error)
}

// Store reads and writes tickets.
type Store struct {
	pool     *pgxpool.Pool
	jobs     Enqueuer
	key      []byte
	location *time.Location
	calendar *calendar.Calendar
	names    *publicNames // of services and teams, for the tracking page and queues
}

// NewStore returns a ticket store. key is the server's key for hashing access
// secrets, loc the city's time zone, which decides the year of a case number.
func NewStore(pool *pgxpool.Pool, jobs Enqueuer, key []byte, loc *time.Location) *Store {
	return &Store{
		pool: pool, jobs: jobs, key: key, location: loc,
		calendar: calendar.New(loc, calendar.Saxony), names: &publicNames{},
	}
}

// Calendar returns the working-day calendar due dates are counted against; the
// holidays an administrator configures are applied to it.
func (s *Store) Calendar() *calendar.Calendar {
	return s.calendar
}

// NotifyArgs is the job that tells a citizen about their ticket by mail: the
// acknowledgement, or a change of status recorded as an event.
type NotifyArgs struct {
	TicketID int64  `json:"ticket_id"`
	Message  string `json:"message"`
	EventID  int64  `json:"event_id,omitempty"`
	// MessageID is the staff message an answer or question mail announces.
	MessageID int64 `json:"message_id,omitempty"`
}

// Kind names the job for the queue.
func (NotifyArgs) Kind() string { return "notify_citizen" }

// Messages a citizen is sent.
const (
	MessageAcknowledgement = "acknowledgement"
	MessageStatusChanged   = "status_changed"
)

func (s *Store) notify(ctx context.Context, tx pgx.Tx, args NotifyArgs) error {
	if _, err := s.jobs.InsertTx(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("enqueue %s: %w", args.Message, err)
	}

	return nil
}

// AccessHash returns the stored form of an access link secret.
func (s *Store) AccessHash(secret string) []byte {
	return tracking.HashSecret(s.key, secret)
}

// AccessSecret returns the access link secret of the ticket with code in the
// given access epoch.
func (s *Store) AccessSecret(code tracking.Code, epoch int) string {
	return tracking.DeriveSecret(s.key, code, epoch)
}

func inTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx) //nolint:errcheck // after Commit this is a no-op

	if err := fn(tx); err != nil {
		return err
	}

	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}

	return nil
}
