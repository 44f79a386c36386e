package web_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/db/dbtest"
	"github.com/anliegen/anliegen/internal/web"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// The limiter and other Fiber middleware take the storage through this interface.
var _ fiber.Storage = (*web.Storage)(nil)

func newStorage(t *testing.T, prefix string) (*web.Storage, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)

	return web.NewStorage(pool, prefix), pool
}

func mustSet(t *testing.T, s *web.Storage, key, val string, exp time.Duration) {
	t.Helper()
	if err := s.Set(key, []byte(val), exp); err != nil {
		t.Fatalf("Set(%q): %v", key, err)
	}
}

// value returns what Get gives for key, failing the test on an error.
func value(t *testing.T, s *web.Storage, key string) []byte {
	t.Helper()
	v, err := s.Get(key)
	if err != nil {
		t.Fatalf("Get(%q): %v", key, err)
	}

	return v
}

func expire(t *testing.T, pool *pgxpool.Pool, key string) {
	t.Helper()
	tag, err := pool.Exec(t.Context(),
		"UPDATE web_storage SET expires_at = now() - interval '1 second' WHERE key = $1", key)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("expire %q: %d rows, %v; want 1 row", key, tag.RowsAffected(), err)
	}
}

func countRows(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(t.Context(), "SELECT count(*) FROM web_storage").Scan(&n); err != nil {
		t.Fatalf("count web_storage: %v", err)
	}

	return n
}

func TestStorageGetMissing(t *testing.T) {
	t.Parallel()
	s, _ := newStorage(t, "limit:test:")

	v, err := s.Get("203.0.113.7")
	if v != nil || err != nil {
		t.Errorf("Get of a missing key = %q, %v; want nil, nil", v, err)
	}
}

func TestStorageRoundTrip(t *testing.T) {
	t.Parallel()
	s, pool := newStorage(t, "limit:test:")

	tests := []struct {
		name string
		key  string
		val  []byte
		exp  time.Duration
	}{
		{"text for ever", "plain", []byte("3"), 0},
		{"with expiry", "expiring", []byte("hits=5"), time.Minute},
		{"below one second", "short", []byte("x"), 300 * time.Millisecond},
		{"binary", "binary", []byte{0, 1, 0xfe, 0xff, '\n'}, time.Hour},
		{"key with unicode and quotes", "Straße 'x' %_", []byte("ok"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Set(tt.key, tt.val, tt.exp); err != nil {
				t.Fatalf("Set(%q): %v", tt.key, err)
			}

			if got := value(t, s, tt.key); !bytes.Equal(got, tt.val) {
				t.Errorf("Get(%q) = %q, want %q", tt.key, got, tt.val)
			}
		})
	}

	var stored int
	err := pool.QueryRow(t.Context(),
		"SELECT count(*) FROM web_storage WHERE starts_with(key, 'limit:test:')").Scan(&stored)
	if err != nil || stored != len(tests) {
		t.Errorf("%d rows under the prefix (%v), want %d", stored, err, len(tests))
	}
}

func TestStorageExpiresAt(t *testing.T) {
	t.Parallel()
	s, pool := newStorage(t, "p:")

	tests := []struct {
		name    string
		exp     time.Duration
		wantMin float64 // seconds from now; -1 means no expiry
		wantMax float64
	}{
		{"no expiry", 0, -1, -1},
		{"one minute", time.Minute, 55, 61},
		{"below one second rounds up", 300 * time.Millisecond, 0, 1.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustSet(t, s, tt.name, "v", tt.exp)

			var left *float64
			err := pool.QueryRow(t.Context(),
				"SELECT extract(epoch FROM expires_at - now())::float8 FROM web_storage "+
					"WHERE key = $1", "p:"+tt.name).Scan(&left)
			if err != nil {
				t.Fatalf("read expires_at: %v", err)
			}

			if tt.wantMin < 0 {
				if left != nil {
					t.Errorf("expires in %.1f s, want no expiry", *left)
				}
				return
			}

			if left == nil || *left < tt.wantMin || *left > tt.wantMax {
				t.Errorf("expires in %v s, want %.1f to %.1f s", deref(left), tt.wantMin,
					tt.wantMax)
			}
		})
	}
}

func deref(p *float64) any {
	if p == nil {
		return "never"
	}

	return *p
}

func TestStorageOverwrite(t *testing.T) {
	t.Parallel()
	s, pool := newStorage(t, "limit:test:")
	mustSet(t, s, "k", "first", time.Second)
	mustSet(t, s, "k", "second", 0)

	if got := value(t, s, "k"); string(got) != "second" {
		t.Errorf("Get after overwrite = %q, want %q", got, "second")
	}

	if n := countRows(t, pool); n != 1 {
		t.Errorf("%d rows after overwriting one key, want 1", n)
	}

	var exp *time.Time
	err := pool.QueryRow(t.Context(), "SELECT expires_at FROM web_storage").Scan(&exp)
	if err != nil || exp != nil {
		t.Errorf("expires_at after overwrite without expiry = %v, %v; want NULL", exp, err)
	}
}

func TestStorageExpiry(t *testing.T) {
	t.Parallel()
	s, pool := newStorage(t, "limit:test:")
	mustSet(t, s, "k", "v", time.Second)

	if got := value(t, s, "k"); string(got) != "v" {
		t.Fatalf("Get before expiry = %q, want %q", got, "v")
	}

	expire(t, pool, "limit:test:k")

	if got := value(t, s, "k"); got != nil {
		t.Errorf("Get after expiry = %q, want nil", got)
	}

	mustSet(t, s, "k", "again", time.Minute)
	if got := value(t, s, "k"); string(got) != "again" {
		t.Errorf("Get after setting an expired key again = %q, want %q", got, "again")
	}
}

func TestStorageDelete(t *testing.T) {
	t.Parallel()
	s, _ := newStorage(t, "limit:test:")
	mustSet(t, s, "gone", "v", 0)
	mustSet(t, s, "kept", "v", 0)

	if err := s.Delete("gone"); err != nil {
		t.Fatalf("Delete: %v", err)
	}

	if got := value(t, s, "gone"); got != nil {
		t.Errorf("Get after Delete = %q, want nil", got)
	}

	if got := value(t, s, "kept"); string(got) != "v" {
		t.Errorf("Get of another key after Delete = %q, want %q", got, "v")
	}

	if err := s.Delete("never-set"); err != nil {
		t.Errorf("Delete of a missing key: %v, want nil", err)
	}
}

func TestStoragePrefixes(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	signin := web.NewStorage(pool, "limit:signin:")
	submit := web.NewStorage(pool, "limit:submit:")

	mustSet(t, signin, "203.0.113.7", "signin", 0)
	mustSet(t, submit, "203.0.113.7", "submit", 0)
	mustSet(t, submit, "198.51.100.1", "only submit", 0)

	tests := []struct {
		name    string
		storage *web.Storage
		key     string
		want    string // "" means missing
	}{
		{"sign-in sees its own", signin, "203.0.113.7", "signin"},
		{"submit sees its own", submit, "203.0.113.7", "submit"},
		{"sign-in does not see submit's key", signin, "198.51.100.1", ""},
		{"prefix is not part of the key", signin, "limit:signin:203.0.113.7", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := value(t, tt.storage, tt.key)
			if tt.want == "" && got != nil {
				t.Errorf("Get(%q) = %q, want nil", tt.key, got)
			}
			if tt.want != "" && string(got) != tt.want {
				t.Errorf("Get(%q) = %q, want %q", tt.key, got, tt.want)
			}
		})
	}

	if err := signin.Delete("198.51.100.1"); err != nil {
		t.Fatalf("Delete: %v", err)
	}

	if got := value(t, submit, "198.51.100.1"); string(got) != "only submit" {
		t.Errorf("submit's key after sign-in deleted the same key = %q, want it kept", got)
	}
}

func TestStorageReset(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	signin := web.NewStorage(pool, "limit:signin:")
	submit := web.NewStorage(pool, "limit:submit:")

	mustSet(t, signin, "a", "1", 0)
	mustSet(t, signin, "b", "2", time.Minute)
	mustSet(t, submit, "a", "3", 0)

	if err := signin.Reset(); err != nil {
		t.Fatalf("Reset: %v", err)
	}

	for _, key := range []string{"a", "b"} {
		if got := value(t, signin, key); got != nil {
			t.Errorf("sign-in Get(%q) after its Reset = %q, want nil", key, got)
		}
	}

	if got := value(t, submit, "a"); string(got) != "3" {
		t.Errorf("submit Get(a) after sign-in's Reset = %q, want %q", got, "3")
	}

	if n := countRows(t, pool); n != 1 {
		t.Errorf("%d rows after Reset, want 1 (submit's)", n)
	}

	if err := signin.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}

	if got := value(t, submit, "a"); string(got) != "3" {
		t.Errorf("Get after another storage's Close = %q, want the pool still usable", got)
	}
}

func TestPurge(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	a := web.NewStorage(pool, "limit:signin:")
	b := web.NewStorage(pool, "limit:submit:")

	mustSet(t, a, "for-ever", "v", 0)
	mustSet(t, a, "later", "v", time.Hour)
	mustSet(t, a, "old", "v", time.Second)
	mustSet(t, b, "old", "v", time.Second)
	expire(t, pool, "limit:signin:old")
	expire(t, pool, "limit:submit:old")

	n, err := web.Purge(t.Context(), pool)
	if err != nil || n != 2 {
		t.Fatalf("Purge = %d, %v; want 2 expired rows removed", n, err)
	}

	rows, err := pool.Query(t.Context(), "SELECT key FROM web_storage ORDER BY key")
	if err != nil {
		t.Fatalf("list keys: %v", err)
	}

	keys, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("list keys: %v", err)
	}

	want := []string{"limit:signin:for-ever", "limit:signin:later"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys after Purge = %v, want %v", keys, want)
	}

	n, err = web.Purge(t.Context(), pool)
	if err != nil || n != 0 {
		t.Errorf("second Purge = %d, %v; want 0, nil", n, err)
	}
}
