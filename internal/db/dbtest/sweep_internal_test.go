package dbtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestIsStale(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	cases := []struct {
		name, comment string
		want          bool
	}{
		{fmt.Sprintf("%s%d_0a1b2c", testPrefix, now.Add(-time.Hour).Unix()), "", false},
		{fmt.Sprintf("%s%d_0a1b2c", testPrefix, now.Add(-4*time.Hour).Unix()), "", true},
		{testPrefix + "0a1b2c3d4e5f", "", true},
		{templatePrefix + "0a1b2c3d4e", fmt.Sprintf("%s%d", builtPrefix, now.Add(-time.Hour).Unix()), false},
		{templatePrefix + "0a1b2c3d4e", fmt.Sprintf("%s%d", builtPrefix, now.Add(-48*time.Hour).Unix()), true},
		{templatePrefix + "0a1b2c3d4e", "", true},
	}
	for _, tc := range cases {
		if got := isStale(tc.name, tc.comment, now); got != tc.want {
			t.Errorf("isStale(%q, %q) = %v, want %v", tc.name, tc.comment, got, tc.want)
		}
	}
}

// TestSweepDropsOnlyLeftovers makes the leftovers a killed test process and an older
// tree leave, next to a database in use and a fresh one, and sweeps.
func TestSweepDropsOnlyLeftovers(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	h := current
	conn, err := pgx.Connect(ctx, h.url("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())

	old := time.Now().Add(-5 * time.Hour).Unix()
	leftover := fmt.Sprintf("%s%d_5eed00000001", testPrefix, old)
	inUse := fmt.Sprintf("%s%d_5eed00000002", testPrefix, old)
	oldTemplate := templatePrefix + "5eed000001"
	for _, name := range []string{leftover, inUse, oldTemplate} {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_, _ = h.admin.Exec(context.Background(), "DROP DATABASE IF EXISTS "+
				pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		})
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+pgx.Identifier{oldTemplate}.Sanitize()+
		" IS_TEMPLATE true"); err != nil {
		t.Fatal(err)
	}
	user, err := pgx.Connect(ctx, h.url(inUse))
	if err != nil {
		t.Fatal(err)
	}
	defer user.Close(context.Background())
	fresh := NewURL(t)

	if err := sweep(ctx, conn, h.template, time.Now()); err != nil {
		t.Fatal(err)
	}

	exists := func(name string) bool {
		var ok bool
		if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)",
			name).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	for _, name := range []string{leftover, oldTemplate} {
		if exists(name) {
			t.Errorf("leftover %s is still there", name)
		}
	}
	if !exists(inUse) {
		t.Errorf("the database in use was dropped")
	}
	if !exists(h.template) {
		t.Errorf("the current template was dropped")
	}
	var usedName string
	if err := user.QueryRow(ctx, "SELECT current_database()").Scan(&usedName); err != nil ||
		usedName != inUse {
		t.Errorf("the connection to the database in use: %q, %v", usedName, err)
	}
	conf, err := pgx.ParseConfig(fresh)
	if err != nil {
		t.Fatal(err)
	}
	if !exists(conf.Database) {
		t.Errorf("the fresh test database %s was dropped", conf.Database)
	}
}
