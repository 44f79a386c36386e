package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/anliegen/anliegen/internal/attachment"
	"github.com/anliegen/anliegen/internal/calendar"
	"github.com/anliegen/anliegen/internal/config"
	"github.com/anliegen/anliegen/internal/inbox"
	"github.com/anliegen/anliegen/internal/letter"
	"github.com/anliegen/anliegen/internal/server"
	"github.com/anliegen/anliegen/internal/staff"
	"github.com/anliegen/anliegen/portal"
)

// firstAdminEmail is the sign-in of the administrator created on a first start.
const firstAdminEmail = "admin@anliegen.local"

func serve(ctx context.Context, args []string, e env) error {
	cfg, err := parseConfig("anliegen", args, e)
	if err != nil {
		return err
	}

	log := newLogger(cfg, e.stderr)
	log.Info("starting", "database", databaseLabel(cfg), "portal", cfg.PortalAddr,
		"backoffice", cfg.BackofficeAddr, "mail", mailLabel(cfg))

	d, err := openDatabase(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer d.close()

	svc, err := server.Build(ctx, d.pool, server.Config{
		BaseURL: cfg.BaseURL, Location: cfg.TimeZone, Logger: log,
		Limits: portal.Limits{
			Lookups: cfg.LimitLookups, Submissions: cfg.LimitSubmits, Window: cfg.LimitWindow,
			API: cfg.LimitAPI, APIKey: cfg.LimitAPIKey,
		},
		SMTPURL: cfg.SMTPURL, MailFrom: cfg.MailFrom, TrustedProxies: cfg.TrustedProxies,
		TrustedOrigins: cfg.TrustedOrigins, Profiles: cfg.Profiles,
		Letterhead: letter.Letterhead{
			Name: cfg.Letterhead[0], Address: cfg.Letterhead[1], Contact: cfg.Letterhead[2],
		},
		BackofficeURL: cfg.BackofficeURL,
		Stats: server.StatsConfig{
			Refresh: cfg.StatsRefresh, ReportTo: cfg.StatsReportTo,
			BackofficeURL: cfg.BackofficeURL, PublicFigures: cfg.PublicFigures,
		},
	})
	if err != nil {
		return err
	}

	if err := svc.Staff.SetMFA(cfg.StaffMFA); err != nil {
		return err
	}
	if err := sealSecondFactors(ctx, cfg, d, svc.Staff, log); err != nil {
		return err
	}

	password, err := prepareFirstStart(ctx, cfg, svc, log)
	if err != nil {
		return err
	}

	printWelcome(e.stdout, cfg, password)

	houseCtx, stopHouse := context.WithCancel(ctx)
	defer stopHouse()
	go server.RunHousekeeping(houseCtx, d.pool, log)
	go calendar.NewStore(d.pool).Watch(houseCtx, svc.Tickets.Calendar(), time.Minute, log)
	if err := startInbox(houseCtx, cfg, svc, d, log); err != nil {
		return err
	}

	return serveUntilDone(ctx, cfg, svc, log)
}

// serveUntilDone works jobs and serves both apps until ctx ends or an app
// fails, then stops them all within the shutdown deadline.
func serveUntilDone(
	ctx context.Context,
	cfg *config.Config,
	svc *server.Service,
	log *slog.Logger,
) error {
	ctx, stop := context.WithCancel(ctx)
	defer stop()

	jobsStopped, err := startJobs(ctx, svc.Jobs, cfg.ShutdownTimeout)
	if err != nil {
		return err
	}

	err = listen(ctx, cfg, svc, log)
	stop()

	return errors.Join(err, jobsStopped())
}

// startJobs starts the job queue's workers and returns a function that waits
// until they have stopped, which they begin to do when ctx ends.
func startJobs(
	ctx context.Context,
	jobs *river.Client[pgx.Tx],
	timeout time.Duration,
) (func() error, error) {
	// The context of Start stays uncancelled: cancelling it would cut off the
	// running jobs at once, before the shutdown deadline.
	if err := jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, fmt.Errorf("start job queue: %w", err)
	}

	stopped := make(chan error, 1)
	go func() {
		<-ctx.Done()
		stopped <- stopJobs(jobs, timeout)
	}()

	return func() error { return <-stopped }, nil
}

// stopJobs lets running jobs finish for most of timeout and then cancels
// those still running: the queue tries them again later, and a mail cut off
// in the middle goes out then under the same Message-ID.
func stopJobs(jobs *river.Client[pgx.Tx], timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()

	soft, cancelSoft := context.WithTimeout(ctx, timeout*3/4)
	defer cancelSoft()

	if err := jobs.Stop(soft); err == nil {
		return nil
	}

	if err := jobs.StopAndCancel(ctx); err != nil {
		return fmt.Errorf("stop job queue: %w", err)
	}

	return nil
}

// startInbox reads the city's mailbox in the background when IMAP_URL is set;
// a URL that cannot work stops start-up with its reason.
func startInbox(
	ctx context.Context,
	cfg *config.Config,
	svc *server.Service,
	d *database,
	log *slog.Logger,
) error {
	if cfg.IMAPURL == "" {
		return nil
	}

	account, err := inbox.ParseURL(cfg.IMAPURL)
	if err != nil {
		return fmt.Errorf("IMAP_URL: %w", err)
	}

	opts := inbox.Options{
		URL: cfg.IMAPURL, Pool: d.pool, Tickets: svc.Tickets, Files: attachment.DefaultPolicy(),
		Interval: cfg.IMAPInterval, Logger: log.With("component", "inbox"),
		IntakeService: "email-eingang", Language: svc.Languages.Supported,
	}
	log.Info("reading mail", "mailbox", account.String())
	go func() {
		if err := inbox.Run(ctx, opts); err != nil {
			log.Error("mailbox reader stopped", "error", err.Error())
		}
	}()

	return nil
}

func mailLabel(cfg *config.Config) string {
	if cfg.SMTPURL == "" {
		return "kept in the back office"
	}

	return config.Masked(cfg.SMTPURL)
}

func databaseLabel(cfg *config.Config) string {
	if cfg.Managed() {
		return "managed in " + cfg.DataDir
	}

	return config.Masked(cfg.DatabaseURL)
}

// prepareFirstStart loads the demo catalogue into an empty managed database and
// creates the first administrator when there is none; it returns that
// administrator's password, or "" when none was created.
func prepareFirstStart(
	ctx context.Context,
	cfg *config.Config,
	svc *server.Service,
	log *slog.Logger,
) (string, error) {
	if cfg.DemoCatalogue == "on" || (cfg.DemoCatalogue == "auto" && cfg.Managed()) {
		loaded, err := svc.Catalog.LoadDemo(ctx)
		if err != nil {
			return "", err
		}
		if loaded {
			log.Info("demo catalogue loaded")
		}
	}

	has, err := svc.Staff.HasAdmin(ctx)
	if err != nil || has {
		return "", err
	}

	password := randomPassword()
	_, err = svc.Staff.Create(ctx, staff.NewMember{
		Email: firstAdminEmail, Name: "Administrator", Role: staff.RoleAdmin,
		Password: password,
	})
	if err != nil {
		return "", fmt.Errorf("create first administrator: %w", err)
	}

	log.Info("first administrator created")

	return password, nil
}

// randomPassword returns 20 characters from an alphabet without look-alikes.
func randomPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}

	return string(b)
}

func printWelcome(out io.Writer, cfg *config.Config, password string) {
	fmt.Fprintln(out, "Anliegen is running.")
	if cfg.PortalEnabled() {
		fmt.Fprintf(out, "  Portal:      %s/\n", cfg.BaseURL)
	}
	if cfg.BackofficeEnabled() {
		fmt.Fprintf(out, "  Back office: %s/\n", cfg.BackofficeURL)
	}
	if password != "" {
		fmt.Fprintf(out, "  Sign in to the back office as %s with the password %s\n",
			firstAdminEmail, password)
		fmt.Fprintln(out, "  (shown only this once; add staff with: anliegen user add)")
	}
	fmt.Fprintln(out, "Press Ctrl-C to stop.")
}

// listen serves both apps until ctx ends or one of them fails, then shuts both
// down within the configured deadline.
func listen(ctx context.Context, cfg *config.Config, svc *server.Service, log *slog.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var wg sync.WaitGroup
	errs := make([]error, 2)
	start := func(i int, name, addr string, serve func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := serve(ctx); err != nil {
				errs[i] = fmt.Errorf("%s on %s: %w", name, addr, err)
				cancel()
			}
		}()
	}

	if cfg.PortalEnabled() {
		start(0, "portal", cfg.PortalAddr, func(ctx context.Context) error {
			return svc.Portal.Serve(ctx, cfg.PortalAddr, cfg.ShutdownTimeout)
		})
	}
	if cfg.BackofficeEnabled() {
		start(1, "back office", cfg.BackofficeAddr, func(ctx context.Context) error {
			return svc.Backoffice.Serve(ctx, cfg.BackofficeAddr, cfg.ShutdownTimeout)
		})
	}

	wg.Wait()
	log.Info("stopped")

	return errors.Join(errs...)
}
