package db

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
)

// ErrNoPostgres reports that no PostgreSQL server binaries were found on this machine.
var ErrNoPostgres = errors.New("PostgreSQL server binaries not found: install Debian's " +
	"postgresql package (apt-get install postgresql) or set DATABASE_URL")

// ErrAlreadyServing reports that another Anliegen process holds the serve lock of a data folder.
var ErrAlreadyServing = errors.New("another Anliegen is already serving from this data " +
	"folder: stop it first, or set ANLIEGEN_DATA_DIR to another folder")

// ErrUnreachable reports that the postgres system user cannot reach the data folder.
var ErrUnreachable = errors.New("data folder not reachable by the postgres system user")

const (
	superuser   = "anliegen"
	socketPort  = 5432
	controlLock = "control.lock"
	usersLock   = "users.lock"
	serveLock   = "serve.lock"
	logName     = "postgres.log"
)

// ClusterOptions configures a PostgreSQL cluster that Anliegen runs itself.
type ClusterOptions struct {
	// Dir is the data folder that holds the cluster, its log and the lock files.
	Dir string
	// Fast turns off fsync and full page writes; for throwaway test clusters only.
	Fast bool
	// Logger receives a line when the cluster is created, started or stopped; nil discards.
	Logger *slog.Logger
}

// Cluster is a PostgreSQL server in a data folder, shared by every process that opens the
// same folder and stopped when the last of them closes it.
type Cluster struct {
	dir       string
	dataDir   string
	socketDir string
	bin       binaries
	owner     *serverUser
	fast      bool
	log       *slog.Logger

	mu    sync.Mutex
	users *os.File
	serve *os.File
}

// OpenCluster starts the cluster in opts.Dir, creating it on first use, or attaches to the
// server that is already running there. Close releases it.
func OpenCluster(ctx context.Context, opts ClusterOptions) (*Cluster, error) {
	c, err := newCluster(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("open cluster: %w", err)
	}

	ctl, err := lockFile(ctx, c.path(controlLock), syscall.LOCK_EX)
	if err != nil {
		return nil, fmt.Errorf("open cluster: %w", err)
	}
	defer ctl.Close()

	if err := c.ensureRunning(ctx); err != nil {
		return nil, fmt.Errorf("open cluster: %w", err)
	}

	c.users, err = lockFile(ctx, c.path(usersLock), syscall.LOCK_SH)
	if err != nil {
		return nil, fmt.Errorf("open cluster: %w", err)
	}

	return c, nil
}

func newCluster(ctx context.Context, opts ClusterOptions) (*Cluster, error) {
	if opts.Dir == "" {
		return nil, errors.New("no data folder given")
	}

	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("data folder: %w", err)
	}

	bin, err := findBinaries(ctx)
	if err != nil {
		return nil, err
	}

	owner, err := serverOwner()
	if err != nil {
		return nil, err
	}

	dir, err = prepareDataFolder(owner, dir)
	if err != nil {
		return nil, err
	}

	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}

	return &Cluster{
		dir:       dir,
		dataDir:   filepath.Join(dir, "postgres"),
		socketDir: socketDirFor(dir),
		bin:       bin,
		owner:     owner,
		fast:      opts.Fast,
		log:       log,
	}, nil
}

// prepareDataFolder creates dir and returns its path with symlinks resolved. It checks that
// the server's user can reach it both before creating it, so that a blocked parent is named
// before anything is written, and after.
func prepareDataFolder(owner *serverUser, dir string) (string, error) {
	if err := owner.reach(dir); err != nil {
		return "", err
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create data folder: %w", err)
	}

	// The socket folder is derived from the path, so every process must see the same one.
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", fmt.Errorf("data folder: %w", err)
	}

	return dir, owner.reach(dir)
}

// ConnString returns a connection string for database on this cluster's Unix socket.
func (c *Cluster) ConnString(database string) string {
	q := url.Values{}
	q.Set("host", c.socketDir)
	q.Set("port", strconv.Itoa(socketPort))
	q.Set("sslmode", "disable")
	u := url.URL{
		Scheme:   "postgres",
		User:     url.User(superuser),
		Path:     "/" + database,
		RawQuery: q.Encode(),
	}

	return u.String()
}

func (c *Cluster) path(name string) string {
	return filepath.Join(c.dir, name)
}
