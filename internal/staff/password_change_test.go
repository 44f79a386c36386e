package staff_test

import (
	"errors"
	"testing"

	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/staff"
)

const newPassword = "Neues-Amtssiegel-2027"

func TestChangePassword(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	n := newMember("erika@musterstadt.de")
	n.MustChangePassword = true
	m := create(t, store, n)
	if !m.MustChangePassword {
		t.Fatalf("created %+v, want MustChangePassword", m)
	}

	current, err := store.StartSession(t.Context(), m.ID)
	if err != nil {
		t.Fatalf("StartSession: %v", err)
	}
	other, err := store.StartSession(t.Context(), m.ID)
	if err != nil {
		t.Fatalf("StartSession: %v", err)
	}
	_, stranger := signedIn(t, store, pool, "max@musterstadt.de")

	ended, err := store.ChangePassword(t.Context(), m.ID, current, password, newPassword)
	if err != nil || ended != 1 {
		t.Fatalf("ChangePassword = %d, %v; want 1 other session ended", ended, err)
	}

	if _, err := store.Authenticate(t.Context(), m.Email, password); !errors.Is(err,
		staff.ErrBadCredentials) {
		t.Errorf("sign-in with the old password: %v, want ErrBadCredentials", err)
	}
	if _, err := store.Authenticate(t.Context(), m.Email, newPassword); err != nil {
		t.Errorf("sign-in with the new password: %v", err)
	}

	kept, err := store.SessionMember(t.Context(), current)
	if err != nil || kept.MustChangePassword {
		t.Errorf("current session after the change: %+v, %v; want alive, flag cleared", kept, err)
	}
	if _, err := store.SessionMember(t.Context(), other); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("other session after the change: %v, want db.ErrNotFound", err)
	}
	if _, err := store.SessionMember(t.Context(), stranger); err != nil {
		t.Errorf("another member's session after the change: %v, want it alive", err)
	}
}

func TestChangePasswordRefusals(t *testing.T) {
	t.Parallel()
	store, pool := newStore(t)
	n := newMember("erika@musterstadt.de")
	n.MustChangePassword = true
	m := create(t, store, n)
	session, err := store.StartSession(t.Context(), m.ID)
	if err != nil {
		t.Fatalf("StartSession: %v", err)
	}

	tests := []struct {
		name, current, next string
		want                error
	}{
		{"wrong current password", "Falsches-Passwort-99", newPassword, staff.ErrWrongPassword},
		{"short new password", password, "kurz-2026", staff.ErrWeakPassword},
		{"common new password", password, "password1234", staff.ErrCommonPassword},
	}
	for _, tt := range tests {
		_, err := store.ChangePassword(t.Context(), m.ID, session, tt.current, tt.next)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: ChangePassword = %v, want %v", tt.name, err, tt.want)
		}
	}

	if _, err := store.Authenticate(t.Context(), m.Email, password); err != nil {
		t.Errorf("sign-in with the unchanged password: %v", err)
	}
	var must bool
	err = pool.QueryRow(t.Context(), "SELECT must_change_password FROM staff WHERE id = $1",
		m.ID).Scan(&must)
	if err != nil || !must {
		t.Errorf("must_change_password after refusals = %v, %v; want still set", must, err)
	}
}
