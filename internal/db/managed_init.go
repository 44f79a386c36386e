package db

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// settingsFile is written into the cluster on every start and included by postgresql.conf,
// so that a moved data folder or a changed option takes effect at the next start.
const settingsFile = "anliegen.conf"

// initIfNeeded runs initdb when the cluster folder holds no cluster yet. Only the Unix socket
// is used and its folder is open to the server's user alone, so local connections are
// trusted and TCP ones rejected.
func (c *Cluster) initIfNeeded(ctx context.Context) error {
	_, err := os.Stat(filepath.Join(c.dataDir, "PG_VERSION"))
	if err == nil {
		return nil
	}

	if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("check cluster: %w", err)
	}

	if err := c.makeDataDir(); err != nil {
		return err
	}

	args := []string{"-D", c.dataDir, "-U", superuser, "-E", "UTF8", "--no-locale",
		"--auth-local=trust", "--auth-host=reject"}
	if c.fast {
		args = append(args, "--no-sync")
	}

	if err := c.run(ctx, c.bin.initdb, args...); err != nil {
		return fmt.Errorf("create cluster: %w", err)
	}

	if err := c.includeSettings(); err != nil {
		return err
	}
	c.log.Info("postgres cluster created", "dir", c.dataDir)

	return nil
}

func (c *Cluster) makeDataDir() error {
	if err := os.MkdirAll(c.dataDir, 0o700); err != nil {
		return fmt.Errorf("create cluster folder: %w", err)
	}

	if err := os.Chmod(c.dataDir, 0o700); err != nil {
		return fmt.Errorf("protect cluster folder: %w", err)
	}

	return c.owner.chown(c.dataDir)
}

func (c *Cluster) includeSettings() error {
	conf := filepath.Join(c.dataDir, "postgresql.conf")
	f, err := os.OpenFile(conf, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("open postgresql.conf: %w", err)
	}
	defer f.Close()

	line := fmt.Sprintf("\n# Set by Anliegen at every start.\ninclude_if_exists = '%s'\n",
		settingsFile)
	if _, err := f.WriteString(line); err != nil {
		return fmt.Errorf("write postgresql.conf: %w", err)
	}

	return nil
}

func (c *Cluster) writeSettings() error {
	path := filepath.Join(c.dataDir, settingsFile)
	if err := os.WriteFile(path, []byte(c.settings()), 0o600); err != nil {
		return fmt.Errorf("write server settings: %w", err)
	}

	return c.owner.chown(path)
}

// settings suit a small machine: no TCP port at all, and connections enough for the test
// packages, which open many pools at once.
func (c *Cluster) settings() string {
	lines := []string{
		"# Written by Anliegen at every start; changes here are lost.",
		"listen_addresses = ''",
		"unix_socket_directories = " + confQuote(c.socketDir),
		fmt.Sprintf("port = %d", socketPort),
		"max_connections = 200",
		"shared_buffers = 128MB",
		"log_timezone = 'UTC'",
	}
	if c.fast {
		lines = append(lines, "fsync = off", "synchronous_commit = off",
			"full_page_writes = off")
	}

	return strings.Join(lines, "\n") + "\n"
}

// confQuote quotes s as a postgresql.conf string value.
func confQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)

	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
