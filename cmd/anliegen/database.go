package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/config"
	"github.com/anliegen/anliegen/internal/db"
)

// fallbackDataRoot holds the data folder when the default one lies where the
// postgres system user cannot reach it, as a checkout under /root does.
const fallbackDataRoot = "/var/lib/anliegen"

// database is an open, migrated database and, for the managed one, its cluster.
type database struct {
	pool    *pgxpool.Pool
	cluster *db.Cluster
	created bool
	dir     string // the data folder of the managed cluster; "" with DATABASE_URL
}

// close closes the pool and releases the cluster with a fresh deadline, since
// the context of the command may already be cancelled.
func (d *database) close() {
	d.pool.Close()
	if d.cluster == nil {
		return
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	_ = d.cluster.Close(ctx)
}

// openDatabase connects to DATABASE_URL, or opens the managed cluster in the data
// folder (starting it when no other process runs it), and migrates the schema.
// With serve set, a second server on the same data folder is refused.
func openDatabase(
	ctx context.Context,
	cfg *config.Config,
	log *slog.Logger,
	serve bool,
) (*database, error) {
	d := &database{}
	url := cfg.DatabaseURL
	if cfg.Managed() {
		var err error
		if url, err = d.openCluster(ctx, cfg, log, serve); err != nil {
			return nil, err
		}
	}

	pool, err := db.Connect(ctx, url, cfg.DBMaxConns)
	if err != nil {
		d.releaseCluster()
		return nil, err
	}
	d.pool = pool

	waitCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()

	if err := db.WaitReady(waitCtx, pool); err != nil {
		d.close()
		return nil, err
	}

	if err := db.Migrate(ctx, pool); err != nil {
		d.close()
		return nil, err
	}

	return d, nil
}

func (d *database) openCluster(
	ctx context.Context,
	cfg *config.Config,
	log *slog.Logger,
	serve bool,
) (string, error) {
	dir, err := dataDir(cfg, log)
	if err != nil {
		return "", err
	}

	_, statErr := os.Stat(filepath.Join(dir, "postgres", "PG_VERSION"))
	d.created = errors.Is(statErr, os.ErrNotExist)
	d.dir = dir

	d.cluster, err = db.OpenCluster(ctx, db.ClusterOptions{Dir: dir, Logger: log})
	if err != nil {
		return "", err
	}

	if serve {
		if err := d.cluster.LockServe(); err != nil {
			d.releaseCluster()
			return "", err
		}
	}

	if err := d.cluster.EnsureDatabase(ctx, "anliegen"); err != nil {
		d.releaseCluster()
		return "", err
	}

	return d.cluster.ConnString("anliegen"), nil
}

func (d *database) releaseCluster() {
	if d.cluster == nil {
		return
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	_ = d.cluster.Close(ctx)
	d.cluster = nil
}

// dataDir returns the data folder. When the default folder is out of reach of
// the postgres system user, a folder under /var/lib/anliegen is used instead;
// an explicitly configured folder is never replaced.
func dataDir(cfg *config.Config, log *slog.Logger) (string, error) {
	err := db.ReachableByPostgres(cfg.DataDir)
	if err == nil {
		return cfg.DataDir, nil
	}

	if cfg.DataDirExplicit || !errors.Is(err, db.ErrUnreachable) {
		return "", err
	}

	sum := sha256.Sum256([]byte(cfg.DataDir))
	dir := filepath.Join(fallbackDataRoot, hex.EncodeToString(sum[:4]))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create data folder %s: %w", dir, err)
	}

	log.Info("default data folder not reachable by the postgres user; using another",
		"wanted", cfg.DataDir, "data_dir", dir)

	return dir, nil
}

// withDatabase runs a command's work on the database its configuration names,
// opened (and for the managed one started) for the length of the command.
func withDatabase(
	ctx context.Context,
	name string,
	args []string,
	e env,
	fn func(*config.Config, *database) error,
) error {
	cfg, err := parseConfig(name, args, e)
	if err != nil {
		return err
	}

	d, err := openDatabase(ctx, cfg, newLogger(cfg, e.stderr), false)
	if err != nil {
		return err
	}
	defer d.close()

	return fn(cfg, d)
}

// parseConfig reads the configuration of a command.
func parseConfig(name string, args []string, e env) (*config.Config, error) {
	return config.Parse(name, args, e.getenv, e.stderr)
}

// newLogger returns the process logger: text in a terminal, JSON otherwise.
func newLogger(cfg *config.Config, out io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}

	format := cfg.LogFormat
	if format == "auto" {
		format = "json"
		if f, ok := out.(*os.File); ok && isTerminal(f) {
			format = "text"
		}
	}

	if format == "text" {
		return slog.New(slog.NewTextHandler(out, opts))
	}

	return slog.New(slog.NewJSONHandler(out, opts))
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
