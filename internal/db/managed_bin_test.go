package db

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoPostgresSaysWhatToInstall checks the message a machine without the
// server binaries gets.
func TestNoPostgresSaysWhatToInstall(t *testing.T) {
	empty := t.TempDir()
	partial := t.TempDir()
	writeProgram(t, partial, "initdb")

	_, err := findBinariesIn([]string{empty, partial})
	if !errors.Is(err, ErrNoPostgres) {
		t.Fatalf("no binaries: %v, want ErrNoPostgres", err)
	}

	for _, s := range []string{"apt-get install postgresql", "DATABASE_URL"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("message %q does not say %q", err, s)
		}
	}

	full := t.TempDir()
	for _, p := range []string{"initdb", "pg_ctl", "postgres"} {
		writeProgram(t, full, p)
	}

	b, err := findBinariesIn([]string{empty, partial, full})
	if err != nil {
		t.Fatalf("complete folder not found: %v", err)
	}
	if b.initdb != filepath.Join(full, "initdb") {
		t.Errorf("initdb = %s, want the one in %s", b.initdb, full)
	}
}

func writeProgram(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}
