package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"

	"github.com/anliegen/anliegen/internal/config"
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
		"backoffice", cfg.BackofficeAddr)

	d, err := openDatabase(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer d.close()

	svc, err := server.Build(ctx, d.pool, server.Config{
		BaseURL: cfg.BaseURL, Location: cfg.TimeZone, Logger: log,
		Limits: portal.Limits{
			Lookups: cfg.LimitLookups, Submissions: cfg.LimitSubmits, Window: cfg.LimitWindow,
		},
	})
	if err != nil {
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

	return listen(ctx, cfg, svc, log)
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
