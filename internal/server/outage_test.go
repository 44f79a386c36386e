package server

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/anliegen/anliegen/internal/db"
)

// TestDatabaseGoesAwayAndComesBack stops the database under a running service:
// health answers 503 while it is away, and the service recovers by itself once it
// is back, without a restart.
func TestDatabaseGoesAwayAndComesBack(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster of its own")
	}

	ctx := context.Background()
	dir, err := os.MkdirTemp("/tmp", "anl-outage-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}

	cluster, err := db.OpenCluster(ctx, db.ClusterOptions{Dir: dir, Fast: true})
	if err != nil {
		t.Fatalf("open cluster: %v", err)
	}
	t.Cleanup(func() { _ = cluster.Close(context.Background()) })

	if err := cluster.EnsureDatabase(ctx, "anliegen"); err != nil {
		t.Fatal(err)
	}

	pool, err := db.Connect(ctx, cluster.ConnString("anliegen"), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)

	if err := db.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}

	svc := buildService(t, pool)
	portal := newBrowser(t, svc.Portal.Fiber())
	office := newBrowser(t, svc.Backoffice.Fiber())
	wantStatus(t, portal.get("/healthz"), 200)
	wantStatus(t, office.get("/healthz"), 200)

	if err := cluster.Stop(ctx); err != nil {
		t.Fatalf("stop database: %v", err)
	}

	wantStatus(t, portal.get("/healthz"), 503)
	wantStatus(t, office.get("/healthz"), 503)
	down := portal.get("/")
	wantStatus(t, down, 500)
	wantText(t, down, "Ein technischer Fehler ist aufgetreten")

	if err := cluster.Start(ctx); err != nil {
		t.Fatalf("start database: %v", err)
	}

	deadline := time.Now().Add(15 * time.Second)
	for portal.get("/healthz").status != 200 {
		if time.Now().After(deadline) {
			t.Fatal("health still failing 15 s after the database came back")
		}
		time.Sleep(100 * time.Millisecond)
	}

	wantStatus(t, portal.get("/"), 200)
	wantStatus(t, office.get("/healthz"), 200)
}
