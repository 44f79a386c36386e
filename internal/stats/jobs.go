package stats

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// RefreshArgs is the job that brings the rollups up to date; Full counts
// every day again.
type RefreshArgs struct {
	Full bool `json:"full"`
}

// Kind names the job in the queue.
func (RefreshArgs) Kind() string { return "stats_refresh" }

// RefreshWorker works the RefreshArgs jobs.
type RefreshWorker struct {
	river.WorkerDefaults[RefreshArgs]
	Store  *Store
	Logger *slog.Logger
}

// Timeout allows a full recount of a large city, which takes minutes.
func (w *RefreshWorker) Timeout(*river.Job[RefreshArgs]) time.Duration {
	return 30 * time.Minute
}

// Work refreshes the rollups.
func (w *RefreshWorker) Work(ctx context.Context, job *river.Job[RefreshArgs]) error {
	start := time.Now()
	r, err := w.Store.Refresh(ctx, job.Args.Full)
	if err != nil {
		return err
	}

	w.Logger.Info("statistics refreshed", "days", r.Days, "full", r.Full,
		"duration_ms", time.Since(start).Milliseconds())

	return nil
}

// Schedule runs at a fixed time of day in a time zone, every day or, with
// Monthly, on the first day of each month.
type Schedule struct {
	Loc     *time.Location
	Hour    int
	Monthly bool
}

// Next returns the first run after t.
func (s Schedule) Next(t time.Time) time.Time {
	l := t.In(s.Loc)
	if s.Monthly {
		next := time.Date(l.Year(), l.Month(), 1, s.Hour, 0, 0, 0, s.Loc)
		if !next.After(t) {
			next = time.Date(l.Year(), l.Month()+1, 1, s.Hour, 0, 0, 0, s.Loc)
		}
		return next
	}

	next := time.Date(l.Year(), l.Month(), l.Day(), s.Hour, 0, 0, 0, s.Loc)
	if !next.After(t) {
		next = time.Date(l.Year(), l.Month(), l.Day()+1, s.Hour, 0, 0, 0, s.Loc)
	}

	return next
}

// PeriodicJobs returns the jobs that keep the statistics current: a refresh
// every interval (and once at start), a full recount every night at three,
// and, with report set, the monthly report on the first of the month at six,
// for the month before.
func PeriodicJobs(loc *time.Location, interval time.Duration, report bool) []*river.PeriodicJob {
	jobs := []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(interval),
			func() (river.JobArgs, *river.InsertOpts) { return RefreshArgs{}, nil },
			&river.PeriodicJobOpts{ID: "stats_refresh", RunOnStart: true}),
		river.NewPeriodicJob(Schedule{Loc: loc, Hour: 3},
			func() (river.JobArgs, *river.InsertOpts) { return RefreshArgs{Full: true}, nil },
			&river.PeriodicJobOpts{ID: "stats_recount"}),
	}

	if report {
		jobs = append(jobs, river.NewPeriodicJob(Schedule{Loc: loc, Hour: 6, Monthly: true},
			func() (river.JobArgs, *river.InsertOpts) {
				return ReportArgs{Month: PreviousMonth(time.Now(), loc)}, &river.InsertOpts{
					UniqueOpts: river.UniqueOpts{ByArgs: true},
				}
			},
			&river.PeriodicJobOpts{ID: "stats_report"}))
	}

	return jobs
}

// PreviousMonth returns the month before t's in loc, as 2006-01.
func PreviousMonth(t time.Time, loc *time.Location) string {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month()-1, 1, 0, 0, 0, 0, loc).Format("2006-01")
}
