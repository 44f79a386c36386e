// Package dbtest gives each test a fresh PostgreSQL database cloned from a migrated
// template, on the managed test cluster that all test processes of a user share, or on the
// server of TEST_DATABASE_URL.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/db"
)

// templateLockKey is the advisory lock under which one process at a time builds the
// template, so that parallel test packages do not race to create it.
const templateLockKey int64 = 0x616e6c6965676e

// setupTimeout bounds starting or attaching to the server and building the template.
const setupTimeout = 3 * time.Minute

// current is what Main prepared for New and NewURL. testing.M carries no values from
// TestMain to the tests, so this one variable, set once before the tests run, does.
var current *harness

// harness creates and drops the test databases of one test process.
type harness struct {
	admin    *pgxpool.Pool
	url      func(database string) string
	template string
}

// Main runs a package's tests with a migrated template database ready, for use as
// func TestMain(m *testing.M) { dbtest.Main(m) }. It exits the process with the tests' code.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	srv, h, err := setup()
	if err != nil {
		fmt.Fprintf(os.Stderr, "dbtest: %v\n", err)
		return 1
	}
	current = h

	code := m.Run()
	h.admin.Close()

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	if err := srv.close(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "dbtest: %v\n", err)
		return max(code, 1)
	}

	return code
}

func setup() (server, *harness, error) {
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()

	srv, err := openServer(ctx)
	if err != nil {
		return server{}, nil, err
	}

	h, err := newHarness(ctx, srv)
	if err != nil {
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()

		return server{}, nil, errors.Join(err, srv.close(closeCtx))
	}

	return srv, h, nil
}

func newHarness(ctx context.Context, srv server) (*harness, error) {
	tpl := templateName()
	if err := ensureTemplate(ctx, srv, tpl); err != nil {
		return nil, err
	}

	admin, err := pgxpool.New(ctx, srv.admin)
	if err != nil {
		return nil, fmt.Errorf("open admin pool: %w", err)
	}

	return &harness{admin: admin, url: srv.url, template: tpl}, nil
}

// New returns a pool on a fresh database cloned from the migrated template. The pool is
// closed and the database dropped when the test ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	connString := NewURL(t)

	pool, err := pgxpool.New(context.Background(), connString)
	if err != nil {
		t.Fatalf("dbtest: open pool: %v", err)
	}
	t.Cleanup(pool.Close)

	return pool
}

// NewURL returns the connection string of a fresh database cloned from the migrated
// template, for tests that start the whole application with DATABASE_URL. The database is
// dropped when the test ends, and connections still open to it are cut.
func NewURL(t testing.TB) string {
	t.Helper()
	h := current
	if h == nil {
		t.Fatal("dbtest: the package's TestMain must call dbtest.Main")
	}

	name, err := h.create(t.Context())
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}

	t.Cleanup(func() {
		if err := h.drop(name); err != nil {
			t.Errorf("dbtest: %v", err)
		}
	})

	return h.url(name)
}

// create makes a test database named after the time it was made, so that a later
// process can tell the leftover of one that was killed before its cleanup (see sweep).
func (h *harness) create(ctx context.Context) (string, error) {
	b := make([]byte, 6)
	rand.Read(b)
	name := fmt.Sprintf("%s%d_%s", testPrefix, time.Now().Unix(), hex.EncodeToString(b))

	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() +
		" TEMPLATE " + pgx.Identifier{h.template}.Sanitize()
	if _, err := h.admin.Exec(ctx, sql); err != nil {
		return "", fmt.Errorf("create test database: %w", err)
	}

	return name, nil
}

// drop runs on its own context: the test's is already cancelled when cleanups run.
func (h *harness) drop(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	sql := "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize() + " WITH (FORCE)"
	if _, err := h.admin.Exec(ctx, sql); err != nil {
		return fmt.Errorf("drop test database: %w", err)
	}

	return nil
}

// server is the PostgreSQL that the tests use.
type server struct {
	admin string // connection string of the database from which others are created
	url   func(database string) string
	close func(ctx context.Context) error
}

func openServer(ctx context.Context) (server, error) {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return externalServer(u), nil
	}

	dir, err := sharedDir()
	if err != nil {
		return server{}, err
	}

	c, err := db.OpenCluster(ctx, db.ClusterOptions{Dir: dir, Fast: true})
	if err != nil {
		return server{}, fmt.Errorf("start test cluster (or set TEST_DATABASE_URL): %w", err)
	}

	return server{admin: c.ConnString("postgres"), url: c.ConnString, close: c.Close}, nil
}

func externalServer(admin string) server {
	return server{
		admin: admin,
		url:   func(database string) string { return withDatabase(admin, database) },
		close: func(context.Context) error { return nil },
	}
}

// withDatabase points the connection string s, a URL or key=value pairs, at database.
func withDatabase(s, database string) string {
	if u, err := url.Parse(s); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + database
		u.RawPath = ""
		q := u.Query()
		q.Del("dbname")
		u.RawQuery = q.Encode()

		return u.String()
	}

	// A later key wins in libpq's and pgx's key=value format.
	quoted := strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(database)

	return s + " dbname='" + quoted + "'"
}

// sharedDir is the data folder of the test cluster that all test processes of this user
// share, so that the packages of one "go test ./..." start one server, not one each.
func sharedDir() (string, error) {
	dir := filepath.Join("/tmp", fmt.Sprintf("anliegen-test-%d", os.Getuid()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("create test cluster folder: %w", err)
	}

	fi, err := os.Lstat(dir)
	if err != nil {
		return "", fmt.Errorf("check test cluster folder: %w", err)
	}

	st, ok := fi.Sys().(*syscall.Stat_t)
	if !fi.IsDir() || !ok || int(st.Uid) != os.Getuid() {
		return "", fmt.Errorf("test cluster folder %s is not this user's folder: remove it", dir)
	}

	// The postgres user must enter it when the tests run as root.
	if err := os.Chmod(dir, 0o755); err != nil {
		return "", fmt.Errorf("open test cluster folder: %w", err)
	}

	return dir, nil
}

// templateName is named after the migrations, so that changed migrations get a new template.
func templateName() string {
	sum := sha256.Sum256([]byte(db.MigrationsHash()))

	return templatePrefix + hex.EncodeToString(sum[:5])
}

// ensureTemplate builds the template unless a finished one exists. It works on a
// connection of its own, so that closing it also frees the advisory lock.
func ensureTemplate(ctx context.Context, srv server, name string) error {
	conn, err := pgx.Connect(ctx, srv.admin)
	if err != nil {
		return fmt.Errorf("connect to test server: %w", err)
	}
	defer conn.Close(context.Background())

	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", templateLockKey); err != nil {
		return fmt.Errorf("lock template: %w", err)
	}

	if err := sweep(ctx, conn, name, time.Now()); err != nil {
		return err
	}

	var ready bool
	err = conn.QueryRow(ctx, templateReadySQL, name).Scan(&ready)
	if err != nil {
		return fmt.Errorf("check template: %w", err)
	}

	if ready {
		return nil
	}

	return buildTemplate(ctx, conn, srv.url(name), name)
}

const templateReadySQL = `
SELECT EXISTS (
	SELECT 1
	FROM pg_database
	WHERE datname = $1
	AND datistemplate
)`

// buildTemplate creates and migrates the template, dropping the leftover of a build that
// died halfway, and closes it to connections: CREATE DATABASE ... TEMPLATE fails while
// anybody is connected to the template.
func buildTemplate(ctx context.Context, conn *pgx.Conn, connString, name string) error {
	ident := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop unfinished template: %w", err)
	}

	if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		return fmt.Errorf("create template: %w", err)
	}

	if err := migrateTemplate(ctx, connString); err != nil {
		return err
	}

	sql := "ALTER DATABASE " + ident + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("mark template: %w", err)
	}

	sql = fmt.Sprintf("COMMENT ON DATABASE %s IS '%s%d'", ident, builtPrefix, time.Now().Unix())
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("date template: %w", err)
	}

	_, err := conn.Exec(ctx, terminateSQL, name)
	if err != nil {
		return fmt.Errorf("close template: %w", err)
	}

	return nil
}

const terminateSQL = `
SELECT pg_terminate_backend(pid)
FROM pg_stat_activity
WHERE datname = $1
AND pid <> pg_backend_pid()`

func migrateTemplate(ctx context.Context, connString string) error {
	pool, err := pgxpool.New(ctx, connString)
	if err != nil {
		return fmt.Errorf("open template: %w", err)
	}
	defer pool.Close()

	if err := db.Migrate(ctx, pool); err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}

	return nil
}
