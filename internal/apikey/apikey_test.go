package apikey_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/apikey"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/db/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestKeyLife(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	keys := apikey.NewStore(pool)

	k, secret, err := keys.Create(ctx, "  Mängelmelder-App  ", nil)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if k.Name != "Mängelmelder-App" || !strings.HasPrefix(secret, k.Prefix) || len(secret) != 37 {
		t.Errorf("created %+v with a key of %d characters", k, len(secret))
	}

	other, otherSecret, err := keys.Create(ctx, "Datenportal", nil)
	if err != nil || otherSecret == secret {
		t.Fatalf("second key: %v, same secret %v", err, otherSecret == secret)
	}

	got, err := keys.Verify(ctx, " "+secret+"\n")
	if err != nil || got.ID != k.ID || got.LastUsedAt == nil {
		t.Errorf("Verify = %+v, %v; want the key, marked as used", got, err)
	}

	wrongs := []string{"", "a311_", secret + "x", strings.ToUpper(secret), "bearer " + secret}
	for _, wrong := range wrongs {
		if _, err := keys.Verify(ctx, wrong); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("Verify(%q): %v, want db.ErrNotFound", wrong, err)
		}
	}

	if err := keys.Rename(ctx, k.ID, "Mängelmelder Sachsen", nil); err != nil {
		t.Fatalf("Rename: %v", err)
	}
	if err := keys.Rename(ctx, 999_999, "Niemand", nil); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Rename of an unknown key: %v, want db.ErrNotFound", err)
	}
	for _, bad := range []string{"", "   ", "a\x00b", strings.Repeat("x", 201)} {
		if err := keys.Rename(ctx, k.ID, bad, nil); !errors.Is(err, apikey.ErrName) {
			t.Errorf("Rename(%q): %v, want ErrName", bad, err)
		}
	}

	if err := keys.Revoke(ctx, k.ID, nil); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	if err := keys.Revoke(ctx, k.ID, nil); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("second Revoke: %v, want db.ErrNotFound", err)
	}
	if _, err := keys.Verify(ctx, secret); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Verify of a revoked key: %v, want db.ErrNotFound", err)
	}

	list, err := keys.List(ctx)
	if err != nil || len(list) != 2 || list[0].ID != other.ID || !list[1].Revoked() ||
		list[1].Name != "Mängelmelder Sachsen" {
		t.Errorf("List = %+v, %v; want the valid key first, then the renamed revoked one",
			list, err)
	}

	var log []string
	rows, err := pool.Query(ctx, `SELECT action || ' ' || object || ' ' || detail::text
		FROM change_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		log = append(log, s)
	}
	want := []string{
		`api_key.create api_key:1 {"name": "Mängelmelder-App"}`,
		`api_key.create api_key:2 {"name": "Datenportal"}`,
		`api_key.rename api_key:1 ` +
			`{"name": "Mängelmelder Sachsen", "old_name": "Mängelmelder-App"}`,
		`api_key.revoke api_key:1 {"name": "Mängelmelder Sachsen"}`,
	}
	if strings.Join(log, "\n") != strings.Join(want, "\n") {
		t.Errorf("change log:\n%s\nwant:\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
	}

	var stored int
	err = pool.QueryRow(ctx, `SELECT count(*) FROM api_keys
		WHERE position($1 IN encode(key_hash, 'escape')) > 0`, secret).Scan(&stored)
	if err != nil || stored != 0 {
		t.Errorf("the secret is stored in the clear (%d, %v)", stored, err)
	}
}
