package main

import (
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/staff"
)

// serveOnce starts the server on vars until it runs, and stops it.
func serveOnce(t *testing.T, vars map[string]string) {
	t.Helper()
	_, stop := startServer(t, vars)
	stop()
}

// TestServerSealsSecondFactors: a first start keeps a new key in the data
// folder, readable by its user only; a secret stored in the clear, as by an
// older version, is sealed at the next start; a configured key file that is
// missing stops the start with a message saying how to make one.
func TestServerSealsSecondFactors(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster of its own")
	}

	dir := dataFolder(t)
	vars := map[string]string{
		"ANLIEGEN_DATA_DIR": dir, "ANLIEGEN_PORTAL_ADDR": "127.0.0.1:0",
		"ANLIEGEN_BACKOFFICE_ADDR": "127.0.0.1:0", "ANLIEGEN_LOG_LEVEL": "warn",
	}
	serveOnce(t, vars)

	keyFile := filepath.Join(dir, "secret.key")
	fi, err := os.Stat(keyFile)
	if err != nil {
		t.Fatalf("no key in the data folder after the first start: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(keyFile)
	if key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(raw))); err != nil ||
		len(key) != staff.KeySize {
		t.Errorf("key file holds %d bytes (%v), want %d", len(key), err, staff.KeySize)
	}

	const clear = "JBSWY3DPEHPK3PXPJBSWY3DP"
	withUserStore(t, vars, func(ctx context.Context, _ *staff.Store, pool *pgxpool.Pool) {
		if _, err := pool.Exec(ctx, "UPDATE staff SET totp_secret = $1", clear); err != nil {
			t.Fatal(err)
		}
	})
	serveOnce(t, vars)
	withUserStore(t, vars, func(ctx context.Context, _ *staff.Store, pool *pgxpool.Pool) {
		var stored string
		if err := pool.QueryRow(ctx, "SELECT totp_secret FROM staff LIMIT 1").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, clear) {
			t.Errorf("after the restart the secret is stored as %q, want it sealed", stored)
		}
	})

	missing := filepath.Join(t.TempDir(), "kein.key")
	vars["ANLIEGEN_SECRET_KEY_FILE"] = missing
	e, _, _ := testEnv(vars, "")
	err = run(context.Background(), nil, e)
	if err == nil || !strings.Contains(err.Error(), missing) ||
		!strings.Contains(err.Error(), "/dev/urandom") {
		t.Errorf("start with a missing key file: %v, want a message naming it and how to make one", err)
	}
}
