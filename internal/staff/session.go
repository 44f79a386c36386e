package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/db"
)

// Session lifetimes: a session ends after IdleTimeout without use, and after
// AbsoluteTimeout in any case.
const (
	IdleTimeout     = 30 * time.Minute
	AbsoluteTimeout = 12 * time.Hour
)

// NewSessionID returns a fresh random session ID for the cookie.
func NewSessionID() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new session id: %w", err)
	}

	return base64.RawURLEncoding.EncodeToString(b), nil
}

func sessionHash(id string) []byte {
	h := sha256.Sum256([]byte(id))
	return h[:]
}

const insertSessionSQL = `
INSERT INTO staff_sessions (id_hash, staff_id, expires_at)
VALUES ($1, $2, now() + make_interval(secs => $3))`

// StartSession signs a member in and returns the new session ID. Only its hash
// is stored, so a copy of the database lets nobody sign in.
func (s *Store) StartSession(ctx context.Context, staffID int64) (string, error) {
	id, err := NewSessionID()
	if err != nil {
		return "", err
	}

	_, err = s.pool.Exec(ctx, insertSessionSQL, sessionHash(id), staffID,
		AbsoluteTimeout.Seconds())
	if err != nil {
		return "", fmt.Errorf("start session for staff %d: %w", staffID, err)
	}

	return id, nil
}

const touchSessionSQL = `
UPDATE staff_sessions ss
SET last_seen_at = now()
FROM staff st
WHERE ss.id_hash = $1
  AND st.id = ss.staff_id
  AND st.disabled_at IS NULL
  AND ss.expires_at > now()
  AND ss.last_seen_at > now() - make_interval(secs => $2)
RETURNING st.id, st.email, st.name, st.role, st.language, st.disabled_at,
          st.must_change_password`

// SessionMember returns the member of a live session and extends its idle
// lifetime; db.ErrNotFound when the session is unknown, expired or its account
// disabled.
func (s *Store) SessionMember(ctx context.Context, id string) (Member, error) {
	rows, err := s.pool.Query(ctx, touchSessionSQL, sessionHash(id), IdleTimeout.Seconds())
	if err != nil {
		return Member{}, fmt.Errorf("session: %w", err)
	}

	m, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Member])
	if errors.Is(err, pgx.ErrNoRows) {
		return Member{}, fmt.Errorf("session: %w", db.ErrNotFound)
	}
	if err != nil {
		return Member{}, fmt.Errorf("session: %w", err)
	}

	return m, nil
}

const deleteSessionSQL = `
DELETE FROM staff_sessions
WHERE id_hash = $1`

// EndSession signs a session out.
func (s *Store) EndSession(ctx context.Context, id string) error {
	if _, err := s.pool.Exec(ctx, deleteSessionSQL, sessionHash(id)); err != nil {
		return fmt.Errorf("end session: %w", err)
	}

	return nil
}

const deleteMemberSessionsSQL = `
WITH challenges AS (
    DELETE FROM staff_sign_ins
    WHERE staff_id = $1
)
DELETE FROM staff_sessions
WHERE staff_id = $1`

// EndSessions signs a member out everywhere, including sign-ins still waiting
// for their second factor, and returns how many sessions ended.
func (s *Store) EndSessions(ctx context.Context, staffID int64) (int64, error) {
	tag, err := s.pool.Exec(ctx, deleteMemberSessionsSQL, staffID)
	if err != nil {
		return 0, fmt.Errorf("end sessions of staff %d: %w", staffID, err)
	}

	return tag.RowsAffected(), nil
}

const countSessionsSQL = `
SELECT count(*)
FROM staff_sessions
WHERE staff_id = $1
  AND expires_at > now()
  AND last_seen_at > now() - make_interval(secs => $2)`

// SessionCount returns how many live sessions a member has.
func (s *Store) SessionCount(ctx context.Context, staffID int64) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, countSessionsSQL, staffID, IdleTimeout.Seconds()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count sessions of staff %d: %w", staffID, err)
	}

	return n, nil
}
