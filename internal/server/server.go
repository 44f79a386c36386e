// Package server assembles Anliegen from its parts: the stores on one database
// pool, the job queue, the translations and the two web apps, portal and back
// office. The binary and the end-to-end tests build the service the same way.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/anliegen/anliegen/backoffice"
	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/calendar"
	"github.com/anliegen/anliegen/internal/catalog"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/i18n"
	"github.com/anliegen/anliegen/internal/letter"
	"github.com/anliegen/anliegen/internal/mail"
	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/internal/stats"
	"github.com/anliegen/anliegen/internal/ticket"
	"github.com/anliegen/anliegen/internal/tracking"
	"github.com/anliegen/anliegen/internal/web"
	"github.com/anliegen/anliegen/locales"
	"github.com/anliegen/anliegen/portal"
	"github.com/anliegen/anliegen/portal/open311"
	"github.com/anliegen/anliegen/static"
	"github.com/anliegen/anliegen/templates"
)

// Config is what the assembly needs beyond the database. Without SMTPURL,
// mails to citizens are kept in the back office's outbox instead of sent.
type Config struct {
	BaseURL  *url.URL
	Location *time.Location
	Logger   *slog.Logger
	Limits   portal.Limits
	SMTPURL  string
	MailFrom string
	// TrustedProxies are the reverse proxies allowed to name the client.
	TrustedProxies []string
	// TrustedOrigins are other origins whose pages may send forms to both apps.
	TrustedOrigins []string
	// Profiles serves Go's runtime profiles on the back office.
	Profiles bool
	// Letterhead heads the letters the back office prints.
	Letterhead letter.Letterhead
	// BackofficeURL is where mails to staff link to.
	BackofficeURL *url.URL
	// Stats configures the periodic work of the statistics and the public figures.
	Stats StatsConfig
}

// Service is the assembled Anliegen.
type Service struct {
	Portal     *web.Server
	Backoffice *web.Server
	Jobs       *river.Client[pgx.Tx]
	Catalog    *catalog.Store
	Tickets    *ticket.Store
	Staff      *staff.Store
	Stats      *stats.Store
	Metrics    *web.Metrics
	Languages  *i18n.Bundle
}

// Build assembles the service on pool, whose schema must be migrated.
func Build(ctx context.Context, pool *pgxpool.Pool, cfg Config) (*Service, error) {
	bundle, err := i18n.Load(locales.FS)
	if err != nil {
		return nil, err
	}

	accessKey, err := db.Secret(ctx, pool, "access_key", tracking.NewKey)
	if err != nil {
		return nil, err
	}

	csrfKey, err := db.Secret(ctx, pool, "csrf_key", tracking.NewKey)
	if err != nil {
		return nil, err
	}

	jobs, err := newJobs(pool, cfg, bundle, accessKey)
	if err != nil {
		return nil, err
	}

	s := &Service{
		Jobs:      jobs,
		Catalog:   catalog.NewStore(pool),
		Tickets:   ticket.NewStore(pool, jobs, accessKey, cfg.Location),
		Staff:     staff.NewStore(pool),
		Stats:     stats.NewStore(pool, cfg.Location),
		Metrics:   web.NewMetrics(pool),
		Languages: bundle,
	}

	// Due dates count the holidays an administrator configured.
	if err := calendar.NewStore(pool).Apply(ctx, s.Tickets.Calendar()); err != nil {
		return nil, err
	}

	opts := web.Options{
		Templates: templates.FS, Static: static.FS, Bundle: bundle, Logger: cfg.Logger,
		Location: cfg.Location, CSRFKey: csrfKey, Secure: cfg.BaseURL.Scheme == "https",
		Metrics: s.Metrics, TrustedProxies: cfg.TrustedProxies,
		TrustedOrigins: cfg.TrustedOrigins,
	}
	if err := s.buildApps(pool, cfg, opts); err != nil {
		return nil, err
	}

	return s, nil
}

// newJobs returns the job queue's client with its workers. It works jobs only
// once started; until then, as in tests that never start it, it only inserts
// them.
func newJobs(
	pool *pgxpool.Pool,
	cfg Config,
	bundle *i18n.Bundle,
	accessKey []byte,
) (*river.Client[pgx.Tx], error) {
	workers, err := newWorkers(pool, cfg, bundle, accessKey)
	if err != nil {
		return nil, err
	}

	// A fetch at most every 10 ms instead of River's 100 ms keeps ten workers
	// busy: at 100 ms, ten workers deliver at most 100 mails a second.
	jobs, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Workers:       workers,
		Queues:        map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 10}},
		FetchCooldown: 10 * time.Millisecond,
		Logger:        cfg.Logger,
		PeriodicJobs:  append([]*river.PeriodicJob{ticket.SweepJob()}, statsPeriodicJobs(cfg)...),
	})
	if err != nil {
		return nil, fmt.Errorf("job queue client: %w", err)
	}

	return jobs, nil
}

// newWorkers returns the job workers: those that mail citizens and staff,
// through the server of cfg.SMTPURL or, without one, into the outbox, and the
// sweep of reminders, closings and overdue tickets.
func newWorkers(
	pool *pgxpool.Pool,
	cfg Config,
	bundle *i18n.Bundle,
	accessKey []byte,
) (*river.Workers, error) {
	renderer, err := mail.NewRenderer(templates.FS, bundle)
	if err != nil {
		return nil, err
	}

	var sender *mail.Sender
	if cfg.SMTPURL != "" {
		if sender, err = mail.NewSender(cfg.SMTPURL, cfg.MailFrom); err != nil {
			return nil, err
		}
	}

	// The worker only derives access links, so a ticket store without a queue
	// serves it: the queue's client needs the worker before it exists.
	links := ticket.NewStore(pool, nil, accessKey, cfg.Location)
	deps := mail.WorkerDeps{
		Pool: pool, Outbox: mail.NewOutbox(pool), Renderer: renderer, Sender: sender,
		Links: links, BaseURL: cfg.BaseURL, BackofficeURL: cfg.BackofficeURL,
		Logger: cfg.Logger, Location: cfg.Location,
	}
	workers := river.NewWorkers()
	err = errors.Join(
		river.AddWorkerSafely(workers, mail.NewNotifyWorker(deps)),
		river.AddWorkerSafely(workers, mail.NewStaffNotifyWorker(deps)),
		river.AddWorkerSafely(workers, ticket.NewSweepWorker(links, cfg.Logger)),
	)
	if err != nil {
		return nil, fmt.Errorf("job workers: %w", err)
	}

	forward, err := mail.NewForwardWorker(mail.ForwardDeps{
		Pool: pool, Outbox: mail.NewOutbox(pool), Sender: sender, Tickets: links,
		Catalog: catalog.NewStore(pool), Bundle: bundle, Templates: templates.FS,
		Host: cfg.BaseURL.Hostname(), Location: cfg.Location, Logger: cfg.Logger,
	})
	if err != nil {
		return nil, err
	}
	if err := river.AddWorkerSafely(workers, forward); err != nil {
		return nil, fmt.Errorf("job workers: %w", err)
	}

	if err := addStatsWorkers(workers, pool, cfg, bundle, sender); err != nil {
		return nil, fmt.Errorf("job workers: %w", err)
	}

	return workers, nil
}

func (s *Service) buildApps(pool *pgxpool.Pool, cfg Config, opts web.Options) error {
	var err error
	// The portal takes a request's attachments (25 MB) plus its form in one body.
	opts.App = "portal"
	opts.BodyLimit = 30 << 20
	opts.NoCSRF = []string{open311.Prefix + "/"}
	if s.Portal, err = web.NewServer(opts); err != nil {
		return err
	}

	// The back office is offered in German and English; its intake takes the
	// same attachments as the portal.
	opts.App = "backoffice"
	opts.NoCSRF = nil
	opts.Bundle = opts.Bundle.Subset("en")
	if s.Backoffice, err = web.NewServer(opts); err != nil {
		return err
	}

	portal.New(portal.Deps{
		Web: s.Portal, Pool: pool, Catalog: s.Catalog, Tickets: s.Tickets,
		BaseURL: cfg.BaseURL, Limits: cfg.Limits, Files: attachment.DefaultPolicy(),
		Figures: publicFigures(cfg, s.Stats),
	})
	backoffice.New(backoffice.Deps{
		Web: s.Backoffice, Pool: pool, Catalog: s.Catalog, Tickets: s.Tickets,
		Staff: s.Staff, Metrics: s.Metrics,
		Letters:   backoffice.LetterOptions{BaseURL: cfg.BaseURL, Head: cfg.Letterhead},
		Languages: s.Languages, Files: attachment.DefaultPolicy(),
		Stats: s.Stats,
	})
	if cfg.Profiles {
		s.Backoffice.Fiber().Get(web.ProfilePrefix+"/*", web.Profiles())
	}

	return nil
}
