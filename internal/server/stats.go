package server

import (
	"net/url"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/mail"
	"github.com/anliegen/anliegen/internal/stats"
)

// StatsConfig is the periodic work of the statistics. Without Refresh, as in
// tests, no periodic job runs and the rollups are refreshed only when asked.
type StatsConfig struct {
	Refresh time.Duration
	// ReportTo get the report of the month before on each first of the month.
	ReportTo []stats.Recipient
	// BackofficeURL is linked from the report.
	BackofficeURL *url.URL
	// PublicFigures shows a few figures per public service on the portal.
	PublicFigures bool
}

func statsPeriodicJobs(cfg Config) []*river.PeriodicJob {
	if cfg.Stats.Refresh <= 0 {
		return nil
	}

	return stats.PeriodicJobs(cfg.Location, cfg.Stats.Refresh, len(cfg.Stats.ReportTo) > 0)
}

// addStatsWorkers adds the workers that refresh the rollups and mail the
// monthly report through sender, which is nil without a mail server.
func addStatsWorkers(
	workers *river.Workers,
	pool *pgxpool.Pool,
	cfg Config,
	bundle *i18n.Bundle,
	sender *mail.Sender,
) error {
	store := stats.NewStore(pool, cfg.Location)
	if err := river.AddWorkerSafely(workers, &stats.RefreshWorker{
		Store: store, Logger: cfg.Logger,
	}); err != nil {
		return err
	}

	dashboard := "/stats"
	if u := cfg.Stats.BackofficeURL; u != nil {
		dashboard = u.String() + "/stats"
	}

	return river.AddWorkerSafely(workers, &stats.ReportWorker{ReportDeps: stats.ReportDeps{
		Store: store, Catalog: catalog.NewStore(pool), Sender: sender, Bundle: bundle,
		Recipients: cfg.Stats.ReportTo, DashboardURL: dashboard, Host: cfg.BaseURL.Hostname(),
		Logger: cfg.Logger,
	}})
}

// publicFigures returns the store behind the portal's public figures, or nil
// when they are switched off.
func publicFigures(cfg Config, store *stats.Store) *stats.Store {
	if !cfg.Stats.PublicFigures {
		return nil
	}

	return store
}
