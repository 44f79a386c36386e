package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/staff"
)

// syncBuffer is a bytes.Buffer safe for a command writing while a test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func testEnv(vars map[string]string, stdin string) (env, *syncBuffer, *syncBuffer) {
	out, errOut := &syncBuffer{}, &syncBuffer{}
	return env{
		stdin: strings.NewReader(stdin), stdout: out, stderr: errOut,
		getenv: func(k string) string { return vars[k] },
	}, out, errOut
}

func TestHelpListsEveryOption(t *testing.T) {
	e, _, errOut := testEnv(nil, "")
	err := run(context.Background(), []string{"--help"}, e)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("--help: %v, want flag.ErrHelp", err)
	}

	for _, s := range []string{"DATABASE_URL", "ANLIEGEN_PORTAL_ADDR", "ANLIEGEN_BACKOFFICE_ADDR",
		"ANLIEGEN_BASE_URL", "ANLIEGEN_DATA_DIR", "--portal-addr", "(default :8080)",
		"(default :8081)", "user add", "demo", "migrate"} {
		if !strings.Contains(errOut.String(), s) {
			t.Errorf("help lacks %q:\n%s", s, errOut.String())
		}
	}
}

func TestBadConfigurationIsRefusedAtStart(t *testing.T) {
	e, _, _ := testEnv(map[string]string{
		"ANLIEGEN_PORTAL_ADDR": "nowhere", "ANLIEGEN_BASE_URL": "ftp://x",
	}, "")
	err := run(context.Background(), nil, e)
	if err == nil {
		t.Fatal("serve started with a bad configuration")
	}

	for _, s := range []string{"ANLIEGEN_PORTAL_ADDR", "ANLIEGEN_BASE_URL"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not name %s", err, s)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	e, _, _ := testEnv(nil, "")
	if err := run(context.Background(), []string{"frobnicate"}, e); err == nil ||
		!strings.Contains(err.Error(), "frobnicate") {
		t.Errorf("unknown command: %v", err)
	}
}

// TestSecondServerOnTheSameFolderIsRefused starts a server on a managed data
// folder, then a second one on the same folder, which must fail with a clear
// message; staff can still be added beside the running server, and the cluster
// stops with the server.
func TestSecondServerOnTheSameFolderIsRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster of its own")
	}

	dir := dataFolder(t)
	vars := map[string]string{
		"ANLIEGEN_DATA_DIR": dir, "ANLIEGEN_PORTAL_ADDR": "127.0.0.1:0",
		"ANLIEGEN_BACKOFFICE_ADDR": "127.0.0.1:0", "ANLIEGEN_LOG_LEVEL": "warn",
	}

	out, stop := startServer(t, vars)
	defer stop()
	for _, s := range []string{"admin@anliegen.local", "with the password"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("start-up output lacks %q:\n%s", s, out.String())
		}
	}

	second, _, _ := testEnv(vars, "")
	err := run(context.Background(), nil, second)
	if err == nil || !strings.Contains(err.Error(), "already serving") ||
		!strings.Contains(err.Error(), dir) {
		t.Fatalf("second server: %v, want a refusal naming %s", err, dir)
	}

	add, addOut, _ := testEnv(vars, "a long enough password\n")
	err = run(context.Background(), []string{"user", "add", "--email", "ute@stadt.example.org",
		"--name", "Ute Beispiel", "--role", "agent", "--password-stdin"}, add)
	if err != nil {
		t.Fatalf("user add beside a running server: %v", err)
	}
	if !strings.Contains(addOut.String(), "Created ute@stadt.example.org") {
		t.Errorf("user add said %q", addOut.String())
	}

	stop()
	if _, err := os.Stat(filepath.Join(dir, "run", ".s.PGSQL.5432")); !os.IsNotExist(err) {
		t.Errorf("the cluster's socket is still there after shutdown: %v", err)
	}
}

// startServer runs the server on vars until it says it runs. stop ends it and
// fails the test unless it ends cleanly within 30 s; a second call does nothing.
func startServer(t *testing.T, vars map[string]string) (*syncBuffer, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	e, out, _ := testEnv(vars, "")
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, e) }()
	waitFor(t, out, "Anliegen is running.", done)

	var once sync.Once
	return out, func() {
		t.Helper()
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("server ended with %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("server did not shut down within 30 s; output:\n%s", out)
			}
		})
	}
}

// TestMigrateAndUserAddWithoutServer runs the commands on a data folder with no
// server: each starts the cluster for its own length.
func TestMigrateAndUserAddWithoutServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster of its own")
	}

	vars := map[string]string{"ANLIEGEN_DATA_DIR": dataFolder(t), "ANLIEGEN_LOG_LEVEL": "warn"}
	e, out, _ := testEnv(vars, "")
	if err := run(context.Background(), []string{"migrate"}, e); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if !strings.Contains(out.String(), "up to date") {
		t.Errorf("migrate said %q", out.String())
	}

	short, _, _ := testEnv(vars, "too short\n")
	err := run(context.Background(), []string{"user", "add", "--email", "a@stadt.example.org",
		"--name", "A", "--role", "admin", "--password-stdin"}, short)
	if err == nil || !strings.Contains(err.Error(), "12 characters") {
		t.Errorf("short password: %v, want a refusal naming 12 characters", err)
	}

	noStdin, _, _ := testEnv(vars, "")
	err = run(context.Background(), []string{"user", "add", "--email", "a@stadt.example.org",
		"--name", "A", "--role", "admin"}, noStdin)
	if err == nil || !strings.Contains(err.Error(), "--password-stdin") {
		t.Errorf("without --password-stdin: %v", err)
	}
}

func dataFolder(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("/tmp", "anl-cmd-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}

	return dir
}

func waitFor(t *testing.T, out *syncBuffer, text string, done chan error) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for !strings.Contains(out.String(), text) {
		select {
		case err := <-done:
			t.Fatalf("server ended before %q: %v", text, err)
		case <-deadline:
			t.Fatalf("no %q within 60 s; output:\n%s", text, out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// TestUserDisableAndResetMFA runs the account commands on a managed data folder
// and reads their effect from the database: disabling ends the sessions and
// stops sign-in, reset-mfa removes the second factor, enable undoes disable.
func TestUserDisableAndResetMFA(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster of its own")
	}

	vars := map[string]string{"ANLIEGEN_DATA_DIR": dataFolder(t), "ANLIEGEN_LOG_LEVEL": "warn"}
	const email, password = "ute@stadt.example.org", "Ute sitzt im Bürgeramt 3"
	command(t, vars, password+"\n", "user", "add", "--email", email, "--name", "Ute Beispiel",
		"--role", "agent", "--password-stdin")

	withUserStore(t, vars, func(ctx context.Context, store *staff.Store, pool *pgxpool.Pool) {
		m, err := store.ByEmail(ctx, email)
		if err != nil {
			t.Fatalf("read the added account: %v", err)
		}
		if _, err := store.StartSession(ctx, m.ID); err != nil {
			t.Fatalf("StartSession: %v", err)
		}
		_, err = pool.Exec(ctx, "UPDATE staff SET totp_secret = 'JBSWY3DPEHPK3PXPJBSWY3DP' "+
			"WHERE id = $1", m.ID)
		if err != nil {
			t.Fatalf("enrol a second factor: %v", err)
		}
	})

	out := command(t, vars, "", "user", "disable", "--email", "UTE@stadt.example.org")
	if !strings.Contains(out, "Disabled "+email+". Sessions ended: 1.") {
		t.Errorf("user disable said %q, want the account and 1 session ended", out)
	}

	out = command(t, vars, "", "user", "reset-mfa", "--email", email)
	if !strings.Contains(out, "Removed the second factor of "+email) {
		t.Errorf("user reset-mfa said %q", out)
	}

	withUserStore(t, vars, func(ctx context.Context, store *staff.Store, pool *pgxpool.Pool) {
		var disabled, secret bool
		var sessions int
		err := pool.QueryRow(ctx, `
SELECT disabled_at IS NOT NULL, totp_secret IS NOT NULL,
       (SELECT count(*) FROM staff_sessions ss WHERE ss.staff_id = staff.id)
FROM staff
WHERE email = $1`, email).Scan(&disabled, &secret, &sessions)
		if err != nil || !disabled || secret || sessions != 0 {
			t.Errorf("after disable and reset-mfa: disabled %v, second factor %v, %d sessions "+
				"(%v); want disabled, none, 0", disabled, secret, sessions, err)
		}

		_, err = store.Authenticate(ctx, email, password)
		if !errors.Is(err, staff.ErrBadCredentials) {
			t.Errorf("sign-in of the disabled account: %v, want ErrBadCredentials", err)
		}
	})

	command(t, vars, "", "user", "enable", "--email", email)
	withUserStore(t, vars, func(ctx context.Context, store *staff.Store, _ *pgxpool.Pool) {
		if _, err := store.Authenticate(ctx, email, password); err != nil {
			t.Errorf("sign-in after user enable: %v, want the account", err)
		}
	})
}

// TestUserCommandsRefuseBadInput checks the refusals that need the database: a
// common password and an unknown address; and those that do not.
func TestUserCommandsRefuseBadInput(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster of its own")
	}

	vars := map[string]string{"ANLIEGEN_DATA_DIR": dataFolder(t), "ANLIEGEN_LOG_LEVEL": "warn"}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"common password", "Passwort1234\n", []string{"user", "add", "--email",
			"a@stadt.example.org", "--name", "A", "--role", "agent", "--password-stdin"},
			"common passwords"},
		{"unknown address", "", []string{"user", "disable", "--email", "niemand@stadt.example.org"},
			"no account has the address niemand@stadt.example.org"},
		{"reset without address", "", []string{"user", "reset-mfa"}, "--email"},
		{"unknown action", "", []string{"user", "promote", "--email", "a@stadt.example.org"},
			"user disable|enable|reset-mfa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, _, _ := testEnv(vars, tt.stdin)
			err := run(context.Background(), tt.args, e)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("anliegen %s: %v, want an error with %q", strings.Join(tt.args, " "),
					err, tt.want)
			}
		})
	}
}

// command runs anliegen with args and fails the test on an error; it returns
// what the command printed.
func command(t *testing.T, vars map[string]string, stdin string, args ...string) string {
	t.Helper()
	e, out, _ := testEnv(vars, stdin)
	if err := run(context.Background(), args, e); err != nil {
		t.Fatalf("anliegen %s: %v", strings.Join(args, " "), err)
	}

	return out.String()
}

// withUserStore opens the managed database of vars, as the commands do, for the
// length of fn.
func withUserStore(
	t *testing.T,
	vars map[string]string,
	fn func(context.Context, *staff.Store, *pgxpool.Pool),
) {
	t.Helper()
	e, _, _ := testEnv(vars, "")
	cfg, err := parseConfig("anliegen", nil, e)
	if err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	d, err := openDatabase(ctx, cfg, newLogger(cfg, io.Discard), false)
	if err != nil {
		t.Fatalf("open the managed database: %v", err)
	}
	defer d.close()

	fn(ctx, staff.NewStore(d.pool), d.pool)
}
