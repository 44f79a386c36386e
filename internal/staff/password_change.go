package staff

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ErrWrongPassword is returned when the current password given for a change
// does not match.
var ErrWrongPassword = errors.New("the current password does not match")

const passwordHashSQL = `
SELECT password_hash
FROM staff
WHERE id = $1
FOR UPDATE`

const setPasswordSQL = `
UPDATE staff
SET password_hash = $2, must_change_password = false
WHERE id = $1`

// endOtherSessionsSQL ends a member's sessions but the one with the hash $2,
// and their sign-ins still waiting for the second factor.
const endOtherSessionsSQL = `
WITH challenges AS (
    DELETE FROM staff_sign_ins
    WHERE staff_id = $1
)
DELETE FROM staff_sessions
WHERE staff_id = $1
  AND id_hash <> $2`

// ChangePassword replaces a member's password after checking the current one:
// ErrWrongPassword when it does not match, ErrWeakPassword or ErrCommonPassword
// for a new one that is not good enough. It ends the member's other sessions,
// keeping the session keep, and returns how many ended.
func (s *Store) ChangePassword(
	ctx context.Context,
	memberID int64,
	keep, current, next string,
) (int64, error) {
	hash, err := HashPassword(next)
	if err != nil {
		return 0, err
	}

	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("change password of staff %d: %w", memberID, err)
	}
	defer func() { _ = tx.Rollback(ctx) }()

	var old string
	if err := tx.QueryRow(ctx, passwordHashSQL, memberID).Scan(&old); err != nil {
		return 0, fmt.Errorf("change password of staff %d: %w", memberID, err)
	}

	ok, err := VerifyPassword(old, current)
	if err != nil {
		return 0, fmt.Errorf("change password of staff %d: %w", memberID, err)
	}
	if !ok {
		return 0, ErrWrongPassword
	}

	n, err := changePasswordIn(ctx, tx, memberID, hash, sessionHash(keep))
	if err != nil {
		return 0, fmt.Errorf("change password of staff %d: %w", memberID, err)
	}

	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("change password of staff %d: %w", memberID, err)
	}

	return n, nil
}

func changePasswordIn(
	ctx context.Context,
	tx pgx.Tx,
	id int64,
	hash string,
	keep []byte,
) (int64, error) {
	if _, err := tx.Exec(ctx, setPasswordSQL, id, hash); err != nil {
		return 0, err
	}

	tag, err := tx.Exec(ctx, endOtherSessionsSQL, id, keep)
	if err != nil {
		return 0, err
	}

	return tag.RowsAffected(), nil
}
