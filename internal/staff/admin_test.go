package staff_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/staff"
)

func TestCreateRefusesCommonPasswords(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)

	for _, pw := range []string{"passwort1234", "Passwort1234", "PASSWORT123456", "Sonnenschein",
		"willkommen123", "dortmund2024", "QwertzuiopAsdfghjkl", "1q2w3e4r5t6z", "123456789012",
		" iloveyou1234 "} {
		t.Run(pw, func(t *testing.T) {
			n := newMember("erika@musterstadt.de")
			n.Password = pw

			if _, err := store.Create(t.Context(), n); !errors.Is(err, staff.ErrCommonPassword) {
				t.Errorf("Create with %q: %v, want ErrCommonPassword", pw, err)
			}
		})
	}

	if n := countStaff(t, pool); n != 0 {
		t.Errorf("%d accounts stored with common passwords, want 0", n)
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		password string
		want     error
	}{
		{"geheim", staff.ErrWeakPassword},
		{"passwort1234", staff.ErrCommonPassword},
		{"QWERTZUIOPASDFGHJKL", staff.ErrCommonPassword},
		{password, nil},
		{"a long enough password", nil},
		{"Kaffeemaschine im dritten Stock", nil},
		{"passwort1234 nicht", nil},
	}
	for _, tt := range tests {
		if err := staff.CheckPassword(tt.password); !errors.Is(err, tt.want) {
			t.Errorf("CheckPassword(%q) = %v, want %v", tt.password, err, tt.want)
		}
	}
}

func TestCreateWithSecondFactor(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)

	n := newMember("erika@musterstadt.de")
	n.TOTPSecret = strings.ToLower(secret[:16]) + " " + secret[16:]
	m := create(t, store, n)

	var stored string
	err := pool.QueryRow(t.Context(), "SELECT totp_secret FROM staff WHERE id = $1", m.ID).
		Scan(&stored)
	if err != nil || stored != secret {
		t.Errorf("stored secret %q (%v), want %q", stored, err, secret)
	}

	for _, bad := range []string{"not base32!", "JBSWY3DP", "1111111111111111"} {
		n := newMember("max@musterstadt.de")
		n.TOTPSecret = bad
		if _, err := store.Create(t.Context(), n); err == nil {
			t.Errorf("Create with the secret %q succeeded, want it refused", bad)
		}
	}

	if got := countStaff(t, pool); got != 1 {
		t.Errorf("%d accounts stored, want 1", got)
	}
}

func TestEndSessionsEndsOnlyTheMembers(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	m, first := signedIn(t, store, pool, "erika@musterstadt.de")
	second, err := store.StartSession(t.Context(), m.ID)
	if err != nil {
		t.Fatalf("StartSession: %v", err)
	}
	_, other := signedIn(t, store, pool, "max@musterstadt.de")

	n, err := store.EndSessions(t.Context(), m.ID)
	if err != nil || n != 2 {
		t.Fatalf("EndSessions = %d, %v; want 2 ended", n, err)
	}

	for _, id := range []string{first, second} {
		if _, err := store.SessionMember(t.Context(), id); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("session after EndSessions: %v, want db.ErrNotFound", err)
		}
	}

	if _, err := store.SessionMember(t.Context(), other); err != nil {
		t.Errorf("other member's session after EndSessions: %v, want it alive", err)
	}
}

func TestDisableAndEnable(t *testing.T) {
	t.Parallel()
	store, _ := newStore(t)
	m := create(t, store, newMember("erika@musterstadt.de"))
	session, err := store.StartSession(t.Context(), m.ID)
	if err != nil {
		t.Fatalf("StartSession: %v", err)
	}

	n, err := store.Disable(t.Context(), m.ID)
	if err != nil || n != 1 {
		t.Fatalf("Disable = %d, %v; want 1 session ended", n, err)
	}

	if _, err := store.SessionMember(t.Context(), session); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("session of a disabled account: %v, want db.ErrNotFound", err)
	}

	_, err = store.Authenticate(t.Context(), m.Email, password)
	if !errors.Is(err, staff.ErrBadCredentials) {
		t.Errorf("Authenticate on a disabled account: %v, want ErrBadCredentials", err)
	}

	if _, err := store.Disable(t.Context(), m.ID); err != nil {
		t.Errorf("Disable a second time: %v, want nil", err)
	}

	if err := store.Enable(t.Context(), m.ID); err != nil {
		t.Fatalf("Enable: %v", err)
	}

	if _, err := store.Authenticate(t.Context(), m.Email, password); err != nil {
		t.Errorf("Authenticate after Enable: %v, want the account", err)
	}
}

func TestAccountActionsOnUnknownAccount(t *testing.T) {
	t.Parallel()
	store, _ := newStore(t)
	ctx := t.Context()

	_, err1 := store.Disable(ctx, 4711)
	err2 := store.Enable(ctx, 4711)
	_, err3 := store.ResetSecondFactor(ctx, 4711)
	_, err4 := store.ByID(ctx, 4711)
	_, err5 := store.ByEmail(ctx, "niemand@musterstadt.de")
	for i, err := range []error{err1, err2, err3, err4, err5} {
		if !errors.Is(err, db.ErrNotFound) {
			t.Errorf("action %d on an unknown account: %v, want db.ErrNotFound", i+1, err)
		}
	}
}

func TestResetSecondFactor(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	m := enrolled(t, pool, "erika@musterstadt.de")
	if _, err := store.StartSession(t.Context(), m.ID); err != nil {
		t.Fatalf("StartSession: %v", err)
	}

	n, err := store.ResetSecondFactor(t.Context(), m.ID)
	if err != nil || n != 1 {
		t.Fatalf("ResetSecondFactor = %d, %v; want 1 session ended", n, err)
	}

	if has, err := store.HasSecondFactor(t.Context(), m.ID); err != nil || has {
		t.Errorf("HasSecondFactor after reset = %v, %v; want false", has, err)
	}

	if ch := challenge(t, store, m); !ch.Enrol {
		t.Errorf("sign-in after reset does not enrol a new second factor")
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	erika := enrolled(t, pool, "erika@musterstadt.de")
	_, _ = store.StartSession(t.Context(), erika.ID)
	_, _ = store.StartSession(t.Context(), erika.ID)
	max := account(t, pool, "max@musterstadt.de", staff.RoleStatistics)
	_, _ = store.Disable(t.Context(), max.ID)

	accounts, err := store.List(t.Context())
	if err != nil || len(accounts) != 2 {
		t.Fatalf("List = %+v, %v; want 2 accounts", accounts, err)
	}

	byID := map[int64]staff.Account{}
	for _, a := range accounts {
		byID[a.ID] = a
	}

	if a := byID[erika.ID]; !a.SecondFactor || a.Sessions != 2 || a.Disabled != nil {
		t.Errorf("Erika's entry %+v, want second factor, 2 sessions, enabled", a)
	}

	if a := byID[max.ID]; a.SecondFactor || a.Sessions != 0 || a.Disabled == nil ||
		a.Role != staff.RoleStatistics {
		t.Errorf("Max's entry %+v, want statistics, no second factor, no sessions, disabled", a)
	}
}
