package ticket

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
)

// SweepInterval is how often the sweep runs.
const SweepInterval = 15 * time.Minute

// SweepArgs is the periodic job that runs Sweep.
type SweepArgs struct{}

// Kind names the job for the queue.
func (SweepArgs) Kind() string { return "sweep_tickets" }

// SweepJob returns the periodic job that runs the sweep every SweepInterval and
// once at start. The queue's elected leader alone enqueues periodic jobs, so
// several instances do not sweep side by side; the sweep would be safe if they
// did.
func SweepJob() *river.PeriodicJob {
	return river.NewPeriodicJob(
		river.PeriodicInterval(SweepInterval),
		func() (river.JobArgs, *river.InsertOpts) {
			return SweepArgs{}, &river.InsertOpts{
				UniqueOpts: river.UniqueOpts{ByPeriod: SweepInterval},
			}
		},
		&river.PeriodicJobOpts{ID: "sweep_tickets", RunOnStart: true},
	)
}

// SweepWorker works the SweepArgs jobs.
type SweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	store  *Store
	logger *slog.Logger
}

// NewSweepWorker returns the sweep's worker on store, which may lack a job
// queue: the worker enqueues through the queue that runs it.
func NewSweepWorker(store *Store, logger *slog.Logger) *SweepWorker {
	return &SweepWorker{store: store, logger: logger}
}

// Work runs one sweep at the current time.
func (w *SweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	s := *w.store
	s.jobs = river.ClientFromContext[pgx.Tx](ctx)

	r, err := s.Sweep(ctx, time.Now())
	if err != nil {
		return fmt.Errorf("sweep tickets: %w", err)
	}

	w.logger.InfoContext(ctx, "tickets swept", "reminded", r.Reminded, "closed", r.Closed,
		"overdue", r.Overdue)

	return nil
}

// Timeout gives a sweep through a backlog, such as the first after an upgrade,
// longer than the queue's default minute.
func (w *SweepWorker) Timeout(*river.Job[SweepArgs]) time.Duration {
	return 10 * time.Minute
}
