package server

import (
	"context"
	"testing"
)

func TestHousekeepingRemovesOnlyWhatExpired(t *testing.T) {
	_, pool := newService(t)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `
INSERT INTO web_storage (key, value, expires_at) VALUES
	('old', 'x', now() - interval '1 minute'),
	('new', 'x', now() + interval '1 minute'),
	('forever', 'x', NULL);
INSERT INTO staff_sessions (id_hash, staff_id, expires_at)
SELECT 'old', id, now() - interval '1 second' FROM staff LIMIT 1;
INSERT INTO staff_sessions (id_hash, staff_id, expires_at)
SELECT 'new', id, now() + interval '1 hour' FROM staff LIMIT 1`)
	if err != nil {
		t.Fatal(err)
	}

	n, err := Housekeep(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("removed %d rows, want 2", n)
	}

	var left int
	err = pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM web_storage) +
		(SELECT count(*) FROM staff_sessions)`).Scan(&left)
	if err != nil {
		t.Fatal(err)
	}
	if left != 3 {
		t.Errorf("%d rows left, want 3 (new, forever, new session)", left)
	}
}
