package staff_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/anliegen/anliegen/internal/staff"
)

func sealer(t *testing.T, b byte) *staff.Sealer {
	t.Helper()
	k, err := staff.NewSealer(bytes.Repeat([]byte{b}, staff.KeySize))
	if err != nil {
		t.Fatal(err)
	}

	return k
}

func storedSecret(t *testing.T, pool *pgxpool.Pool, id int64) string {
	t.Helper()
	var s string
	if err := pool.QueryRow(t.Context(), "SELECT coalesce(totp_secret, '') FROM staff WHERE id = $1",
		id).Scan(&s); err != nil {
		t.Fatal(err)
	}

	return s
}

// TestSealedSecretsEnrolAndSignIn: with a key, the secret offered at
// enrolment and the one kept on the account are stored sealed, never in the
// clear, and a code from the member's device still signs in.
func TestSealedSecretsEnrolAndSignIn(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	store.SealWith(sealer(t, 7))
	now := clockAt
	fixedClock(store, &now)
	m := account(t, pool, "erika@musterstadt.de", staff.RoleAgent)

	ch := challenge(t, store, m)
	p, err := store.Pending(t.Context(), ch.ID)
	if err != nil || len(p.EnrolSecret) != 32 {
		t.Fatalf("Pending = %+v, %v; want a base32 secret to enrol", p, err)
	}
	var offered string
	if err := pool.QueryRow(t.Context(), "SELECT totp_secret FROM staff_sign_ins").Scan(&offered); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(offered, "v1:") || strings.Contains(offered, p.EnrolSecret) {
		t.Errorf("the offered secret is stored as %q, want it sealed", offered)
	}

	if _, err := store.Answer(t.Context(), ch.ID, code(t, p.EnrolSecret, now)); err != nil {
		t.Fatalf("enrol with a code of the offered secret: %v", err)
	}
	kept := storedSecret(t, pool, m.ID)
	if !strings.HasPrefix(kept, "v1:") || strings.Contains(kept, p.EnrolSecret) {
		t.Errorf("the account's secret is stored as %q, want it sealed", kept)
	}

	now = now.Add(60e9)
	again := challenge(t, store, m)
	if again.Enrol {
		t.Fatal("second sign-in asks to enrol again")
	}
	if got, err := store.Answer(t.Context(), again.ID, code(t, p.EnrolSecret, now)); err != nil || got.ID != m.ID {
		t.Errorf("sign in with the sealed secret: %+v, %v", got, err)
	}

	// Another key opens nothing: the sign-in fails, it does not fall back.
	other := staff.NewStore(pool)
	other.SealWith(sealer(t, 8))
	ch = challenge(t, other, m)
	if _, err := other.Pending(t.Context(), ch.ID); !errors.Is(err, staff.ErrSealedSecret) {
		t.Errorf("pending sign-in under another key: %v, want ErrSealedSecret", err)
	}
}

// TestClearSecretsAreSealedAtStart: secrets stored in the clear, before the
// server had a key, are sealed by SealStoredSecrets, once, and still sign in;
// a new member created with a secret is stored sealed at once.
func TestClearSecretsAreSealedAtStart(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	now := clockAt
	fixedClock(store, &now)
	m := enrolled(t, pool, "clara@musterstadt.de") // the test secret, in the clear
	if storedSecret(t, pool, m.ID) != secret {
		t.Fatal("the test account's secret is not in the clear to begin with")
	}

	store.SealWith(sealer(t, 7))
	n, err := store.SealStoredSecrets(t.Context())
	if err != nil || n != 1 {
		t.Fatalf("SealStoredSecrets = %d, %v; want one sealed", n, err)
	}
	if kept := storedSecret(t, pool, m.ID); !strings.HasPrefix(kept, "v1:") {
		t.Errorf("after sealing the secret is %q", kept)
	}
	if n, err := store.SealStoredSecrets(t.Context()); err != nil || n != 0 {
		t.Errorf("second SealStoredSecrets = %d, %v; want nothing left", n, err)
	}

	ch := challenge(t, store, m)
	if got, err := store.Answer(t.Context(), ch.ID, code(t, secret, now)); err != nil || got.ID != m.ID {
		t.Errorf("sign in after sealing: %+v, %v", got, err)
	}

	created, err := store.Create(t.Context(), staff.NewMember{Email: "neu@musterstadt.de",
		Name: "Nina Neu", Role: staff.RoleAgent, Password: password, TOTPSecret: secret})
	if err != nil {
		t.Fatal(err)
	}
	if kept := storedSecret(t, pool, created.ID); !strings.HasPrefix(kept, "v1:") {
		t.Errorf("a member created with a secret keeps it as %q", kept)
	}
}

func TestSealerRefusesAWrongKeySize(t *testing.T) {
	t.Parallel()
	if _, err := staff.NewSealer(make([]byte, 16)); err == nil {
		t.Error("a 16-byte key was taken, want 32 bytes")
	}
}
