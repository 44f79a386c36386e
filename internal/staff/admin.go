package staff

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/db"
)

// Account is a member as the staff administration lists it.
type Account struct {
	Member
	SecondFactor bool `db:"second_factor"`
	Sessions     int  `db:"sessions"`
}

const listAccountsSQL = `
SELECT st.id, st.email, st.name, st.role, st.language, st.disabled_at,
       st.totp_secret IS NOT NULL AS second_factor,
       (SELECT count(*)
        FROM staff_sessions ss
        WHERE ss.staff_id = st.id
          AND ss.expires_at > now()
          AND ss.last_seen_at > now() - make_interval(secs => $1)) AS sessions
FROM staff st
ORDER BY lower(st.name), st.id`

// List returns every account, by name, with whether it has a second factor and
// how many live sessions it has.
func (s *Store) List(ctx context.Context) ([]Account, error) {
	rows, err := s.pool.Query(ctx, listAccountsSQL, IdleTimeout.Seconds())
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}

	accounts, err := pgx.CollectRows(rows, pgx.RowToStructByName[Account])
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}

	return accounts, nil
}

const memberByIDSQL = `
SELECT id, email, name, role, language, disabled_at
FROM staff
WHERE id = $1`

// ByID returns the account with id; db.ErrNotFound when there is none.
func (s *Store) ByID(ctx context.Context, id int64) (Member, error) {
	return s.member(ctx, memberByIDSQL, id)
}

const memberByEmailOnlySQL = `
SELECT id, email, name, role, language, disabled_at
FROM staff
WHERE lower(email) = lower($1)`

// ByEmail returns the account of an e-mail address in any case; db.ErrNotFound
// when there is none.
func (s *Store) ByEmail(ctx context.Context, email string) (Member, error) {
	return s.member(ctx, memberByEmailOnlySQL, strings.TrimSpace(email))
}

func (s *Store) member(ctx context.Context, sql string, arg any) (Member, error) {
	rows, err := s.pool.Query(ctx, sql, arg)
	if err != nil {
		return Member{}, fmt.Errorf("read staff: %w", err)
	}

	m, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Member])
	if errors.Is(err, pgx.ErrNoRows) {
		return Member{}, fmt.Errorf("read staff: %w", db.ErrNotFound)
	}
	if err != nil {
		return Member{}, fmt.Errorf("read staff: %w", err)
	}

	return m, nil
}

const disableSQL = `
UPDATE staff
SET disabled_at = coalesce(disabled_at, now())
WHERE id = $1`

// Disable stops an account from signing in and ends its sessions, and returns
// how many ended; db.ErrNotFound when there is no such account. Disabling a
// disabled account changes nothing.
func (s *Store) Disable(ctx context.Context, id int64) (int64, error) {
	if err := s.exec(ctx, "disable", disableSQL, id); err != nil {
		return 0, err
	}

	return s.EndSessions(ctx, id)
}

const enableSQL = `
UPDATE staff
SET disabled_at = NULL
WHERE id = $1`

// Enable lets a disabled account sign in again; db.ErrNotFound when there is
// no such account.
func (s *Store) Enable(ctx context.Context, id int64) error {
	return s.exec(ctx, "enable", enableSQL, id)
}

const resetSecondFactorSQL = `
UPDATE staff
SET totp_secret = NULL,
    totp_last_step = NULL
WHERE id = $1`

// ResetSecondFactor removes an account's second factor, as after a lost phone,
// and ends its sessions, and returns how many ended; the member enrols a new
// one at the next sign-in. db.ErrNotFound when there is no such account.
func (s *Store) ResetSecondFactor(ctx context.Context, id int64) (int64, error) {
	if err := s.exec(ctx, "reset second factor of", resetSecondFactorSQL, id); err != nil {
		return 0, err
	}

	return s.EndSessions(ctx, id)
}

// exec runs a statement on one account; db.ErrNotFound when it changed no row.
func (s *Store) exec(ctx context.Context, step, sql string, id int64, args ...any) error {
	tag, err := s.pool.Exec(ctx, sql, append([]any{id}, args...)...)
	if err != nil {
		return fmt.Errorf("%s staff %d: %w", step, id, err)
	}

	if tag.RowsAffected() == 0 {
		return fmt.Errorf("%s staff %d: %w", step, id, db.ErrNotFound)
	}

	return nil
}
