package ticket

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
	"github.com/anliegen/anliegen/internal/tracking"
)

// CitizenSessionLifetime is how long an opened access link stays open in the
// browser.
const CitizenSessionLifetime = 2 * time.Hour

const ticketByAccessSQL = `
SELECT id
FROM tickets
WHERE access_hash = $1`

const insertCitizenSessionSQL = `
INSERT INTO citizen_sessions (id_hash, ticket_id, expires_at)
VALUES ($1, $2, now() + make_interval(secs => $3))`

// OpenAccessLink trades an access link secret for a citizen session and returns
// the session ID for the cookie; db.ErrNotFound for a secret that opens nothing.
func (s *Store) OpenAccessLink(ctx context.Context, secret string) (string, error) {
	if !tracking.ValidSecretFormat(secret) {
		return "", fmt.Errorf("open access link: %w", db.ErrNotFound)
	}

	var ticketID int64
	err := s.pool.QueryRow(ctx, ticketByAccessSQL, s.AccessHash(secret)).Scan(&ticketID)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("open access link: %w", db.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("open access link: %w", err)
	}

	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("open access link: %w", err)
	}
	id := base64.RawURLEncoding.EncodeToString(b)

	_, err = s.pool.Exec(ctx, insertCitizenSessionSQL, citizenSessionHash(id), ticketID,
		CitizenSessionLifetime.Seconds())
	if err != nil {
		return "", fmt.Errorf("open access link: start session: %w", err)
	}

	return id, nil
}

const citizenSessionSQL = `
SELECT ticket_id
FROM citizen_sessions
WHERE id_hash = $1
  AND expires_at > now()`

// CitizenSessionTicket returns the ticket a citizen session opens, or
// db.ErrNotFound when the session is unknown or expired.
func (s *Store) CitizenSessionTicket(ctx context.Context, id string) (int64, error) {
	var ticketID int64
	err := s.pool.QueryRow(ctx, citizenSessionSQL, citizenSessionHash(id)).Scan(&ticketID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("citizen session: %w", db.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("citizen session: %w", err)
	}

	return ticketID, nil
}

const deleteCitizenSessionSQL = `
DELETE FROM citizen_sessions
WHERE id_hash = $1`

// EndCitizenSession closes an opened access link in this browser.
func (s *Store) EndCitizenSession(ctx context.Context, id string) error {
	if _, err := s.pool.Exec(ctx, deleteCitizenSessionSQL, citizenSessionHash(id)); err != nil {
		return fmt.Errorf("end citizen session: %w", err)
	}

	return nil
}

func citizenSessionHash(id string) []byte {
	h := sha256.Sum256([]byte("citizen\x00" + id))
	return h[:]
}
