package dbtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/db/dbtest"
)

func TestMain(m *testing.M) {
	dbtest.Main(m)
}

func TestNewGivesSeparateDatabases(t *testing.T) {
	t.Parallel()
	first := dbtest.New(t)
	second := dbtest.New(t)

	if a, b := currentDatabase(t, first), currentDatabase(t, second); a == b {
		t.Fatalf("both pools are on database %s, want two databases", a)
	}

	_, err := first.Exec(t.Context(), "CREATE TABLE probe (n int); INSERT INTO probe VALUES (1)")
	if err != nil {
		t.Fatalf("create probe table: %v", err)
	}

	if got := regclass(t, first, "probe"); got == nil {
		t.Error("probe table missing in the database that created it")
	}

	if got := regclass(t, second, "probe"); got != nil {
		t.Errorf("other database sees table %s, want it absent", *got)
	}
}

func TestNewAppliesMigrations(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)

	for _, table := range []string{"tickets", "schema_version"} {
		if regclass(t, pool, table) == nil {
			t.Errorf("table %s missing, want the template's migrations applied", table)
		}
	}
}

func TestNewURLIsDroppedAfterTest(t *testing.T) {
	t.Parallel()
	var name string
	parent := t
	t.Run("use", func(t *testing.T) {
		conn, err := pgx.Connect(t.Context(), dbtest.NewURL(t))
		if err != nil {
			t.Fatalf("connect to NewURL: %v", err)
		}
		// Left open past the drop on purpose: the drop must cut connections a test forgot.
		parent.Cleanup(func() { conn.Close(context.Background()) })

		if err := conn.QueryRow(t.Context(), "SELECT current_database()").Scan(&name); err != nil {
			t.Fatalf("current_database: %v", err)
		}
	})

	pool := dbtest.New(t)
	var exists bool
	err := pool.QueryRow(t.Context(),
		"SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists)
	if err != nil {
		t.Fatalf("look up database: %v", err)
	}

	if exists {
		t.Errorf("database %s still exists after its test, want it dropped", name)
	}
}

func currentDatabase(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var name string
	if err := pool.QueryRow(t.Context(), "SELECT current_database()").Scan(&name); err != nil {
		t.Fatalf("current_database: %v", err)
	}

	return name
}

func regclass(t *testing.T, pool *pgxpool.Pool, table string) *string {
	t.Helper()
	var got *string
	err := pool.QueryRow(t.Context(), "SELECT to_regclass($1)::text", table).Scan(&got)
	if err != nil {
		t.Fatalf("to_regclass(%s): %v", table, err)
	}

	return got
}
