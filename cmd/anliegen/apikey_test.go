package main

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/apikey"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/staff"
)

var printedKey = regexp.MustCompile(`(?m)^a311_[a-z2-7]{32}$`)

// TestAPIKeyCreatePrintsTheKeyOnce issues a key on the command line and reads
// its effect from the database: the key works, only its hash is stored, and
// the change log records the issue.
func TestAPIKeyCreatePrintsTheKeyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster of its own")
	}

	vars := map[string]string{"ANLIEGEN_DATA_DIR": dataFolder(t), "ANLIEGEN_LOG_LEVEL": "warn"}
	out := command(t, vars, "", "apikey", "create", "--name", "FixMyStreet Chemnitz")
	secret := printedKey.FindString(out)
	if secret == "" || !strings.Contains(out, `"FixMyStreet Chemnitz"`) {
		t.Fatalf("apikey create said %q, want the name and a key on a line of its own", out)
	}

	withUserStore(t, vars, func(ctx context.Context, _ *staff.Store, pool *pgxpool.Pool) {
		k, err := apikey.NewStore(pool).Verify(ctx, secret)
		if err != nil || k.Name != "FixMyStreet Chemnitz" {
			t.Errorf("Verify(printed key) = %+v, %v; want the named key", k, err)
		}

		var stored int
		err = pool.QueryRow(ctx, `SELECT count(*) FROM api_keys WHERE key_hash = $1::bytea
			OR prefix = $2`, []byte(secret), secret).Scan(&stored)
		if err != nil || stored != 0 {
			t.Errorf("the key itself is stored (%d rows, %v)", stored, err)
		}

		var action string
		err = pool.QueryRow(ctx, `SELECT action FROM change_log
			WHERE object = 'api_key:' || $1::bigint AND staff_id IS NULL`, k.ID).Scan(&action)
		if err != nil || action != "api_key.create" {
			t.Errorf("change log of the key: %q, %v; want api_key.create", action, err)
		}

		wrong := secret[:len(secret)-1] + "x"
		if strings.HasSuffix(secret, "x") {
			wrong = secret[:len(secret)-1] + "y"
		}
		_, err = apikey.NewStore(pool).Verify(ctx, wrong)
		if !errors.Is(err, db.ErrNotFound) {
			t.Errorf("a wrong key: %v, want db.ErrNotFound", err)
		}
	})
}

func TestAPIKeyCreateRefusesBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"apikey"}, {"apikey", "delete"}, {"apikey", "create"},
		{"apikey", "create", "--name", "  "}, {"apikey", "create", "--name", "a\x07b"},
	} {
		e, _, _ := testEnv(nil, "")
		if err := run(context.Background(), args, e); err == nil {
			t.Errorf("anliegen %q succeeded, want a refusal", args)
		}
	}
}
