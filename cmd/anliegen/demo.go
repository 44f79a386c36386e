package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/anliegen/anliegen/internal/config"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/demo"
	"github.com/anliegen/anliegen/internal/tracking"
)

// progressStep is how many tickets pass between two progress lines.
const progressStep = 100_000

// demoFlags are the options of anliegen demo besides the common configuration.
type demoFlags struct {
	tickets int
	seed    int64
	common  []string
}

// demoCmd fills the database with realistic tickets for trying out and for
// benchmarks: anliegen demo --tickets N [--seed S] [options].
func demoCmd(ctx context.Context, args []string, e env) error {
	flags, err := parseDemoFlags(args, e)
	if err != nil {
		return err
	}

	return withDatabase(ctx, "anliegen demo", flags.common, e,
		func(cfg *config.Config, d *database) error {
			return loadDemo(ctx, cfg, d, flags, e)
		})
}

func loadDemo(ctx context.Context, cfg *config.Config, d *database, flags demoFlags, e env) error {
	key, err := db.Secret(ctx, d.pool, "access_key", tracking.NewKey)
	if err != nil {
		return err
	}

	started := time.Now()
	res, err := demo.Tickets(ctx, d.pool, demo.Options{
		Count: flags.tickets, Now: started, Location: cfg.TimeZone, Seed: flags.seed,
		AccessKey: key, Progress: progress(e.stderr, flags.tickets),
	})
	if err != nil && res.Tickets > 0 {
		return fmt.Errorf("demo: %w; %d tickets were loaded before", err, res.Tickets)
	}
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}

	fmt.Fprintf(e.stdout, "Loaded %d tickets with %d events and %d messages in %.1fs.\n",
		res.Tickets, res.Events, res.Messages, time.Since(started).Seconds())

	return nil
}

func parseDemoFlags(args []string, e env) (demoFlags, error) {
	var f demoFlags
	fs := flag.NewFlagSet("anliegen demo", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.IntVar(&f.tickets, "tickets", 0, "number of tickets to load, 1 to 10000000 (required)")
	fs.Int64Var(&f.seed, "seed", 1, "seed of the generator: the same seed makes the same tickets")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: anliegen demo --tickets N [--seed S] [options]")
		fs.PrintDefaults()
		config.Usage(e.stderr, "anliegen")
	}

	// The common flags are parsed later; asked for help, show this command's.
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fs.Usage()
			return f, flag.ErrHelp
		}
	}

	rest, common := splitArgs(args, fs)
	if err := fs.Parse(rest); err != nil {
		return f, err
	}

	if f.tickets < 1 || f.tickets > demo.MaxCount {
		return f, fmt.Errorf("demo: --tickets must be between 1 and %d, got %d",
			demo.MaxCount, f.tickets)
	}
	f.common = common

	return f, nil
}

// progress returns a reporter that prints a line each progressStep tickets.
func progress(out io.Writer, total int) func(int) {
	printed := 0

	return func(done int) {
		if done/progressStep == printed/progressStep || done == total {
			return
		}

		printed = done
		fmt.Fprintf(out, "Loaded %d of %d tickets …\n", done, total)
	}
}
