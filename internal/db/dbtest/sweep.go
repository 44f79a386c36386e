package dbtest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Names of what the harness makes on the test server.
const (
	testPrefix     = "anliegen_test_" // then the Unix time of creation, _ and random hex
	templatePrefix = "anliegen_tpl_"  // then a hash of the migrations
	builtPrefix    = "built "         // a template's comment, then the Unix time of its build
)

// staleAfter is the age at which a test database that nobody is connected to is taken
// for the leftover of a test process killed before its cleanup; no test runs that long.
const staleAfter = 3 * time.Hour

// templateStaleAfter is the age at which the template of other migrations is taken for a
// leftover: a test process of an older tree that still uses it has long finished.
const templateStaleAfter = 24 * time.Hour

// leftoversSQL lists the test databases and the templates other than the current one to
// which nobody is connected.
const leftoversSQL = `
SELECT d.datname, d.datistemplate, coalesce(shobj_description(d.oid, 'pg_database'), '')
FROM pg_database d
WHERE (starts_with(d.datname, $2) OR starts_with(d.datname, $3))
  AND d.datname <> $1
  AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`

// sweep drops the stale leftovers of earlier test processes. It runs under the template
// lock, so one process at a time sweeps; a database that somebody connects to meanwhile
// refuses the drop and stays.
func sweep(ctx context.Context, conn *pgx.Conn, current string, now time.Time) error {
	rows, err := conn.Query(ctx, leftoversSQL, current, testPrefix, templatePrefix)
	if err != nil {
		return fmt.Errorf("list leftover test databases: %w", err)
	}

	type leftover struct {
		name     string
		template bool
	}
	var stale []leftover
	for rows.Next() {
		var l leftover
		var comment string
		if err := rows.Scan(&l.name, &l.template, &comment); err != nil {
			return fmt.Errorf("list leftover test databases: %w", err)
		}
		if isStale(l.name, comment, now) {
			stale = append(stale, l)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list leftover test databases: %w", err)
	}

	for _, l := range stale {
		ident := pgx.Identifier{l.name}.Sanitize()
		if l.template {
			if _, err := conn.Exec(ctx, "ALTER DATABASE "+ident+" IS_TEMPLATE false"); err != nil {
				continue
			}
		}
		// Without FORCE: a database in use after all is left alone.
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident)
	}

	return nil
}

// isStale reports whether the test database or template name, with its comment, is old
// enough at now to be a leftover. Names without a time, of older harnesses, are.
func isStale(name, comment string, now time.Time) bool {
	if rest, ok := strings.CutPrefix(name, testPrefix); ok {
		unix, _, found := strings.Cut(rest, "_")
		made, err := strconv.ParseInt(unix, 10, 64)
		if !found || err != nil {
			return true
		}

		return now.Sub(time.Unix(made, 0)) > staleAfter
	}

	built, err := strconv.ParseInt(strings.TrimPrefix(comment, builtPrefix), 10, 64)
	if !strings.HasPrefix(comment, builtPrefix) || err != nil {
		return true
	}

	return now.Sub(time.Unix(built, 0)) > templateStaleAfter
}
