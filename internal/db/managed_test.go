package db_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/db"
)

func TestOpenClusterStartsStopsAndRestarts(t *testing.T) {
	t.Parallel()
	dir := clusterDir(t)
	c := openCluster(t, dir)

	if got := query(t, c.ConnString("postgres"), "SELECT current_user"); got != "anliegen" {
		t.Errorf("current_user = %q, want anliegen", got)
	}

	if got := query(t, c.ConnString("postgres"), "SHOW listen_addresses"); got != "" {
		t.Errorf("listen_addresses = %q, want none", got)
	}

	assertNotRoot(t, c)
	for _, name := range []string{"postgres/PG_VERSION", "postgres.log", "run/.s.PGSQL.5432"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("want %s in the data folder: %v", name, err)
		}
	}

	if err := c.Stop(t.Context()); err != nil {
		t.Fatalf("Stop: %v", err)
	}

	if err := tryQuery(c.ConnString("postgres")); err == nil {
		t.Error("query after Stop succeeded, want the server down")
	}

	if err := c.Start(t.Context()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	query(t, c.ConnString("postgres"), "SELECT 'ok'")

	closeCluster(t, c)
	assertStopped(t, c)
}

func TestOpenClusterAttachesToRunningServer(t *testing.T) {
	t.Parallel()
	dir := clusterDir(t)
	first := openCluster(t, dir)
	started := query(t, first.ConnString("postgres"), "SELECT pg_postmaster_start_time()::text")

	second := openCluster(t, dir)
	again := query(t, second.ConnString("postgres"), "SELECT pg_postmaster_start_time()::text")
	if again != started {
		t.Errorf("second open: server started at %s, want the first's server from %s",
			again, started)
	}

	for range 2 {
		if err := second.EnsureDatabase(t.Context(), "anliegen"); err != nil {
			t.Fatalf("EnsureDatabase: %v", err)
		}
	}
	query(t, second.ConnString("anliegen"), "SELECT 'ok'")

	closeCluster(t, second)
	if err := tryQuery(first.ConnString("postgres")); err != nil {
		t.Fatalf("query after the second closed: %v, want the server still up", err)
	}

	closeCluster(t, first)
	assertStopped(t, first)
}

// crashDirEnv names the data folder for TestCrashingUser, which the crash test runs in a
// process of its own.
const crashDirEnv = "ANLIEGEN_TEST_CRASH_DIR"

func TestOpenClusterAttachesAfterCrash(t *testing.T) {
	t.Parallel()
	dir := clusterDir(t)
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestCrashingUser$")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("crashing process: %v\n%s", err, out)
	}

	c := openCluster(t, dir)
	started := query(t, c.ConnString("postgres"), "SELECT pg_postmaster_start_time()::text")
	if want := "started=" + started + "\n"; !strings.Contains(string(out), want) {
		t.Errorf("server started at %s, want the crashed process's server:\n%s", started, out)
	}

	closeCluster(t, c)
	assertStopped(t, c)
}

// TestCrashingUser opens the cluster of crashDirEnv and ends without closing it, as a
// crashed process would.
func TestCrashingUser(t *testing.T) {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		t.Skip("runs as a helper process of TestOpenClusterAttachesAfterCrash")
	}

	c := openClusterNoClose(t, dir)
	started := query(t, c.ConnString("postgres"), "SELECT pg_postmaster_start_time()::text")
	fmt.Printf("started=%s\n", started)
}

func TestOpenClusterRefusesUnreachableFolder(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("only root hands the server to the postgres user")
	}

	closed := filepath.Join(clusterDir(t), "closed")
	if err := os.Mkdir(closed, 0o700); err != nil {
		t.Fatal(err)
	}

	dir := filepath.Join(closed, "data")
	_, err := db.OpenCluster(t.Context(), db.ClusterOptions{Dir: dir, Fast: true})
	if errors.Is(err, db.ErrNoPostgres) {
		t.Skip(err)
	}

	if !errors.Is(err, db.ErrUnreachable) || !strings.Contains(err.Error(), closed) {
		t.Fatalf("OpenCluster(%s) = %v, want ErrUnreachable naming %s", dir, err, closed)
	}

	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("%s after the refusal: %v, want nothing created", dir, err)
	}
}

func TestLockServeRefusesSecondServer(t *testing.T) {
	t.Parallel()
	dir := clusterDir(t)
	first := openCluster(t, dir)
	second := openCluster(t, dir)

	if err := first.LockServe(); err != nil {
		t.Fatalf("first LockServe: %v", err)
	}

	err := second.LockServe()
	if !errors.Is(err, db.ErrAlreadyServing) {
		t.Fatalf("second LockServe = %v, want ErrAlreadyServing", err)
	}

	if !strings.Contains(err.Error(), dir) {
		t.Errorf("second LockServe error %q does not name the folder %s", err, dir)
	}

	closeCluster(t, first)
	if err := second.LockServe(); err != nil {
		t.Errorf("LockServe after the first closed: %v, want the lock", err)
	}
}

func TestOpenClusterLongFolderUsesShortSocket(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(clusterDir(t), strings.Repeat("a", 50), strings.Repeat("b", 50))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}

	c := openCluster(t, dir)
	cfg, err := pgx.ParseConfig(c.ConnString("postgres"))
	if err != nil {
		t.Fatalf("parse connection string: %v", err)
	}

	if !strings.HasPrefix(cfg.Host, "/tmp/anliegen-") || len(cfg.Host) > 30 {
		t.Errorf("socket folder = %s, want a short /tmp/anliegen-… folder", cfg.Host)
	}
	query(t, c.ConnString("postgres"), "SELECT 'ok'")

	closeCluster(t, c)
	if _, err := os.Stat(cfg.Host); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("socket folder %s after Close: %v, want it removed", cfg.Host, err)
	}
}

func TestReachableByPostgres(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("only root hands the server to the postgres user")
	}

	base := clusterDir(t)
	closed := filepath.Join(base, "closed")
	open := filepath.Join(base, "open")
	for dir, mode := range map[string]os.FileMode{closed: 0o700, open: 0o755} {
		if err := os.Mkdir(dir, mode); err != nil {
			t.Fatal(err)
		}
	}

	tests := []struct {
		name    string
		dir     string
		blocker string
	}{
		{name: "open parents", dir: filepath.Join(open, "data")},
		{name: "missing folders", dir: filepath.Join(open, "not", "yet")},
		{name: "closed parent", dir: filepath.Join(closed, "data"), blocker: closed},
		{name: "closed folder", dir: closed, blocker: closed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.ReachableByPostgres(tt.dir)
			if tt.blocker == "" {
				if err != nil {
					t.Errorf("ReachableByPostgres(%s) = %v, want nil", tt.dir, err)
				}

				return
			}

			if !errors.Is(err, db.ErrUnreachable) || !strings.Contains(err.Error(), tt.blocker) {
				t.Errorf("ReachableByPostgres(%s) = %v, want ErrUnreachable naming %s",
					tt.dir, err, tt.blocker)
			}
		})
	}
}

// clusterDir makes a short folder that the postgres user can enter when the test runs as
// root, which t.TempDir under a long TMPDIR or under /root would not give.
func clusterDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("/tmp", "anl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })

	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}

	return dir
}

func openCluster(t *testing.T, dir string) *db.Cluster {
	t.Helper()
	c := openClusterNoClose(t, dir)
	t.Cleanup(func() { c.Close(context.Background()) })

	return c
}

func openClusterNoClose(t *testing.T, dir string) *db.Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()

	c, err := db.OpenCluster(ctx, db.ClusterOptions{Dir: dir, Fast: true})
	if errors.Is(err, db.ErrNoPostgres) {
		t.Skip(err)
	}

	if err != nil {
		t.Fatalf("OpenCluster: %v", err)
	}

	return c
}

func closeCluster(t *testing.T, c *db.Cluster) {
	t.Helper()
	if err := c.Close(t.Context()); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// assertNotRoot checks that a server backend runs as the postgres user when the test runs
// as root, and in a session of its own, away from the terminal's signals.
func assertNotRoot(t *testing.T, c *db.Cluster) {
	t.Helper()
	// The connection stays open while its backend is inspected: once closed, the
	// backend's process ID may already belong to another process.
	conn, err := pgx.Connect(t.Context(), c.ConnString("postgres"))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())

	var pid string
	if err := conn.QueryRow(t.Context(), "SELECT pg_backend_pid()::text").Scan(&pid); err != nil {
		t.Fatalf("backend pid: %v", err)
	}

	fi, err := os.Stat("/proc/" + pid)
	if err != nil {
		t.Skipf("no /proc to check the server's user: %v", err)
	}

	uid := fi.Sys().(*syscall.Stat_t).Uid
	if os.Geteuid() == 0 && uid == 0 {
		t.Errorf("server backend %s runs as root, want the postgres user", pid)
	}

	n, _ := strconv.Atoi(pid)
	group, err := syscall.Getpgid(n)
	if err == nil && group == syscall.Getpgrp() {
		t.Errorf("server backend %s shares our process group %d, want its own", pid, group)
	}
}

func assertStopped(t *testing.T, c *db.Cluster) {
	t.Helper()
	cfg, err := pgx.ParseConfig(c.ConnString("postgres"))
	if err != nil {
		t.Fatalf("parse connection string: %v", err)
	}

	socket := filepath.Join(cfg.Host, ".s.PGSQL.5432")
	if _, err := os.Stat(socket); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("socket %s after the last Close: %v, want it gone", socket, err)
	}
}

func query(t *testing.T, connString, sql string) string {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), connString)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())

	var s string
	if err := conn.QueryRow(t.Context(), sql).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}

	return s
}

func tryQuery(connString string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())

	return conn.Ping(ctx)
}
