package db

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// binaries are the PostgreSQL server programs of one installation.
type binaries struct {
	initdb   string
	pgCtl    string
	postgres string
}

// findBinaries looks for initdb, pg_ctl and postgres side by side: where PATH's initdb lives,
// then in pg_config's bindir, then in the newest /usr/lib/postgresql/<version>/bin.
func findBinaries(ctx context.Context) (binaries, error) {
	return findBinariesIn(binaryDirs(ctx))
}

// findBinariesIn returns the first of dirs that holds all three programs.
func findBinariesIn(dirs []string) (binaries, error) {
	for _, dir := range dirs {
		if b, ok := binariesIn(dir); ok {
			return b, nil
		}
	}

	return binaries{}, fmt.Errorf("find postgres: %w", ErrNoPostgres)
}

func binaryDirs(ctx context.Context) []string {
	var dirs []string
	if p, err := exec.LookPath("initdb"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
		if resolved, err := filepath.EvalSymlinks(p); err == nil {
			dirs = append(dirs, filepath.Dir(resolved))
		}
	}

	if dir := pgConfigBindir(ctx); dir != "" {
		dirs = append(dirs, dir)
	}

	return append(dirs, debianBinaryDirs()...)
}

func pgConfigBindir(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()

	out, err := exec.CommandContext(ctx, "pg_config", "--bindir").Output()
	if err != nil {
		return ""
	}

	return strings.TrimSpace(string(out))
}

// debianBinaryDirs lists /usr/lib/postgresql/*/bin, the highest version first.
func debianBinaryDirs() []string {
	dirs, err := filepath.Glob("/usr/lib/postgresql/*/bin")
	if err != nil {
		return nil
	}

	sort.Slice(dirs, func(i, j int) bool {
		return versionLess(versionOf(dirs[j]), versionOf(dirs[i]))
	})

	return dirs
}

// versionOf parses the version folder of a bin folder: "/usr/lib/postgresql/9.6/bin" gives
// [9 6]; parts that are not numbers count as 0.
func versionOf(binDir string) []int {
	var v []int
	for _, part := range strings.Split(filepath.Base(filepath.Dir(binDir)), ".") {
		n, _ := strconv.Atoi(part)
		v = append(v, n)
	}

	return v
}

func versionLess(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}

	return len(a) < len(b)
}

func binariesIn(dir string) (binaries, bool) {
	b := binaries{
		initdb:   filepath.Join(dir, "initdb"),
		pgCtl:    filepath.Join(dir, "pg_ctl"),
		postgres: filepath.Join(dir, "postgres"),
	}
	for _, p := range []string{b.initdb, b.pgCtl, b.postgres} {
		fi, err := os.Stat(p)
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			return binaries{}, false
		}
	}

	return b, true
}
