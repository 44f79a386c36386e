package db

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// pgCtlNotRunning is the exit status of "pg_ctl status" when no server runs.
const pgCtlNotRunning = 3

// ensureRunning starts the server unless it answers already; the caller holds the control
// lock, so no other process starts or stops it meanwhile.
func (c *Cluster) ensureRunning(ctx context.Context) error {
	if c.answers(ctx) {
		return nil
	}

	if err := c.initIfNeeded(ctx); err != nil {
		return err
	}

	running, err := c.running(ctx)
	if err != nil {
		return err
	}

	if running {
		// A server that a crashed process started may still be recovering; one whose socket
		// was removed (a /tmp cleaner) never answers again and has to be restarted.
		if c.waitReady(ctx, 15*time.Second) == nil {
			return nil
		}

		c.log.Warn("postgres does not answer, restarting it", "dir", c.dataDir)
		if err := c.stop(ctx); err != nil {
			return err
		}
	}

	return c.start(ctx)
}

func (c *Cluster) start(ctx context.Context) error {
	if err := c.prepareStart(); err != nil {
		return err
	}

	logPath := c.path(logName)
	err := c.run(ctx, c.bin.pgCtl, "start", "-D", c.dataDir, "-l", logPath,
		"-p", c.bin.postgres, "-w", "-t", "60", "-s")
	if err != nil {
		return fmt.Errorf("start postgres (its log: %s): %w", logPath, err)
	}

	if err := c.waitReady(ctx, 10*time.Second); err != nil {
		return fmt.Errorf("start postgres (its log: %s): %w", logPath, err)
	}
	c.log.Info("postgres started", "dir", c.dataDir, "socket_dir", c.socketDir)

	return nil
}

// prepareStart makes the socket folder, the log file and the settings file, all of which
// the server's user must be able to write or read.
func (c *Cluster) prepareStart() error {
	if err := c.prepareSocketDir(); err != nil {
		return err
	}

	logPath := c.path(logName)
	f, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("create server log: %w", err)
	}
	f.Close()

	if err := c.owner.chown(logPath); err != nil {
		return err
	}

	return c.writeSettings()
}

func (c *Cluster) stop(ctx context.Context) error {
	err := c.run(ctx, c.bin.pgCtl, "stop", "-D", c.dataDir, "-m", "fast", "-w", "-t", "60", "-s")
	if err != nil {
		return fmt.Errorf("stop postgres: %w", err)
	}
	c.removeSocketDir()
	c.log.Info("postgres stopped", "dir", c.dataDir)

	return nil
}

// running asks pg_ctl whether the postmaster of the pid file is alive.
func (c *Cluster) running(ctx context.Context) (bool, error) {
	err := c.command(ctx, c.bin.pgCtl, "status", "-D", c.dataDir).Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == pgCtlNotRunning {
		return false, nil
	}

	if err != nil {
		return false, fmt.Errorf("pg_ctl status: %w", err)
	}

	return true, nil
}

// cannotConnectNow is PostgreSQL's error code while the server starts up or shuts down.
const cannotConnectNow = "57P03"

// answers reports whether the server accepts connections on the socket. Any other refusal
// from the server itself, such as too many clients, still shows that it runs: restarting it
// would only cut off the processes that use it.
func (c *Cluster) answers(ctx context.Context) bool {
	return c.notUp(ctx) == nil
}

// notUp returns why the server does not answer, or nil when it does.
func (c *Cluster) notUp(ctx context.Context) error {
	err := c.ping(ctx)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code != cannotConnectNow {
		return nil
	}

	return err
}

func (c *Cluster) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()

	conn, err := pgx.Connect(ctx, c.ConnString("postgres"))
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.Background())

	return conn.Ping(ctx)
}

func (c *Cluster) waitReady(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	for {
		err := c.notUp(ctx)
		if err == nil {
			return nil
		}

		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for postgres: %w", err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// command prepares one of the server's programs: as the server's user, in a process group
// of its own so that a Ctrl-C at the terminal reaches Anliegen, which then stops the server
// cleanly, and not the server itself. pg_ctl puts the server in a session of its own, too.
func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = c.dir
	cmd.Env = c.owner.env()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.owner.credential()}

	return cmd
}

func (c *Cluster) run(ctx context.Context, name string, args ...string) error {
	out, err := c.command(ctx, name, args...).CombinedOutput()
	if err != nil {
		out = bytes.TrimSpace(out)
		return fmt.Errorf("%s %s: %w: %s", filepath.Base(name), args[0], err, out)
	}

	return nil
}
