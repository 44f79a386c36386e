package staff

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/anliegen/anliegen/internal/db"
)

// The second step of a sign-in lasts PendingTimeout and takes at most
// MaxCodeAttempts wrong codes; after either the password is asked again.
const (
	PendingTimeout  = 10 * time.Minute
	MaxCodeAttempts = 5
)

// ErrTooManyCodes is returned for the wrong code that used up a sign-in's
// attempts; the sign-in is gone and starts again with the password.
var ErrTooManyCodes = errors.New("too many wrong codes")

// Challenge is the second step of a sign-in whose password was right.
type Challenge struct {
	ID    string // for the cookie; only its hash is stored
	Enrol bool   // the member has no second factor yet and enrols one first
}

// Pending is a sign-in that waits for its second factor.
type Pending struct {
	Member Member
	// EnrolSecret is the base32 secret offered for enrolment; empty when the
	// member already has a second factor.
	EnrolSecret string
	secret      string
}

const hasSecondFactorSQL = `
SELECT totp_secret IS NOT NULL
FROM staff
WHERE id = $1`

// HasSecondFactor reports whether the member has enrolled a second factor.
func (s *Store) HasSecondFactor(ctx context.Context, memberID int64) (bool, error) {
	var has bool
	err := s.pool.QueryRow(ctx, hasSecondFactorSQL, memberID).Scan(&has)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, fmt.Errorf("second factor of staff %d: %w", memberID, db.ErrNotFound)
	}
	if err != nil {
		return false, fmt.Errorf("second factor of staff %d: %w", memberID, err)
	}

	return has, nil
}

// insertChallengeSQL also drops the sign-ins that ran out, of every member.
const insertChallengeSQL = `
WITH purge AS (
    DELETE FROM staff_sign_ins
    WHERE expires_at <= now()
)
INSERT INTO staff_sign_ins (id_hash, staff_id, totp_secret, expires_at)
VALUES ($1, $2, NULLIF($3, ''), now() + make_interval(secs => $4))`

// Challenge starts the second step of a sign-in for m, whose password was
// right. It returns false when no second factor is needed, because the mode is
// optional and m has none; the caller then starts the session at once.
func (s *Store) Challenge(ctx context.Context, m Member) (Challenge, bool, error) {
	has, err := s.HasSecondFactor(ctx, m.ID)
	if err != nil {
		return Challenge{}, false, err
	}

	if !has && s.mfa == MFAOptional {
		return Challenge{}, false, nil
	}

	var secret string
	if !has {
		if secret, err = newTOTPSecret(); err != nil {
			return Challenge{}, false, err
		}
		if secret, err = s.sealer.seal(secret); err != nil {
			return Challenge{}, false, err
		}
	}

	id, err := NewSessionID()
	if err != nil {
		return Challenge{}, false, err
	}

	_, err = s.pool.Exec(ctx, insertChallengeSQL, sessionHash(id), m.ID, secret,
		PendingTimeout.Seconds())
	if err != nil {
		return Challenge{}, false, fmt.Errorf("challenge staff %d: %w", m.ID, err)
	}

	return Challenge{ID: id, Enrol: !has}, true, nil
}

const pendingSQL = `
SELECT st.id, st.email, st.name, st.role, st.language, st.disabled_at,
       coalesce(si.totp_secret, ''), coalesce(st.totp_secret, '')
FROM staff_sign_ins si
JOIN staff st ON st.id = si.staff_id
WHERE si.id_hash = $1
  AND si.expires_at > now()
  AND st.disabled_at IS NULL`

// Pending returns the sign-in of a challenge ID; db.ErrNotFound when it is
// unknown, ran out or its account was disabled.
func (s *Store) Pending(ctx context.Context, id string) (Pending, error) {
	var p Pending
	m := &p.Member
	err := s.pool.QueryRow(ctx, pendingSQL, sessionHash(id)).Scan(
		&m.ID, &m.Email, &m.Name, &m.Role, &m.Language, &m.Disabled, &p.EnrolSecret, &p.secret)
	if errors.Is(err, pgx.ErrNoRows) {
		return Pending{}, fmt.Errorf("pending sign-in: %w", db.ErrNotFound)
	}
	if err != nil {
		return Pending{}, fmt.Errorf("pending sign-in: %w", err)
	}

	if p.EnrolSecret, err = s.sealer.open(p.EnrolSecret); err != nil {
		return Pending{}, fmt.Errorf("pending sign-in of staff %d: %w", m.ID, err)
	}
	if p.secret, err = s.sealer.open(p.secret); err != nil {
		return Pending{}, fmt.Errorf("pending sign-in of staff %d: %w", m.ID, err)
	}

	return p, nil
}

// Answer checks the code for the sign-in of a challenge ID: with an enrolment
// it confirms the new secret, otherwise it checks the member's secret and that
// the code's time step was not used before. On success the sign-in ends and
// the caller starts the session; a wrong or used code counts as a failed
// sign-in for the member's address.
func (s *Store) Answer(ctx context.Context, id, code string) (Member, error) {
	p, err := s.Pending(ctx, id)
	if err != nil {
		return Member{}, err
	}

	if err := s.checkCode(ctx, p, code); err != nil {
		return Member{}, s.failCode(ctx, id, p, err)
	}

	if err := s.EndChallenge(ctx, id); err != nil {
		return Member{}, err
	}

	if err := s.clearFailures(ctx, accountKey(p.Member.Email)); err != nil {
		return Member{}, err
	}

	return p.Member, nil
}

func (s *Store) checkCode(ctx context.Context, p Pending, code string) error {
	secret := p.secret
	if p.EnrolSecret != "" {
		secret = p.EnrolSecret
	}

	step, ok := codeStep(secret, code, s.timing.Now())
	if !ok {
		return ErrWrongCode
	}

	if p.EnrolSecret != "" {
		return s.enrol(ctx, p.Member.ID, p.EnrolSecret, step)
	}

	return s.useStep(ctx, p.Member.ID, step)
}

const countAttemptSQL = `
UPDATE staff_sign_ins
SET attempts = attempts + 1
WHERE id_hash = $1
RETURNING attempts`

// failCode counts a wrong code against the sign-in and the member's address and
// returns cause, or ErrTooManyCodes when the sign-in has used up its attempts.
func (s *Store) failCode(ctx context.Context, id string, p Pending, cause error) error {
	if !errors.Is(cause, ErrWrongCode) && !errors.Is(cause, ErrCodeUsed) {
		return cause
	}

	if err := s.recordFailure(ctx, accountKey(p.Member.Email)); err != nil {
		return err
	}

	var attempts int
	err := s.pool.QueryRow(ctx, countAttemptSQL, sessionHash(id)).Scan(&attempts)
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrTooManyCodes
	}
	if err != nil {
		return fmt.Errorf("count code attempt: %w", err)
	}

	if attempts < MaxCodeAttempts {
		return cause
	}

	if err := s.EndChallenge(ctx, id); err != nil && !errors.Is(err, db.ErrNotFound) {
		return err
	}

	return ErrTooManyCodes
}

const deleteChallengeSQL = `
DELETE FROM staff_sign_ins
WHERE id_hash = $1`

// EndChallenge drops the sign-in of a challenge ID, as when its person goes back
// to the password; db.ErrNotFound when there was none, so that of two requests
// answering one challenge at once only one signs in.
func (s *Store) EndChallenge(ctx context.Context, id string) error {
	tag, err := s.pool.Exec(ctx, deleteChallengeSQL, sessionHash(id))
	if err != nil {
		return fmt.Errorf("end sign-in challenge: %w", err)
	}

	if tag.RowsAffected() == 0 {
		return fmt.Errorf("end sign-in challenge: %w", db.ErrNotFound)
	}

	return nil
}
