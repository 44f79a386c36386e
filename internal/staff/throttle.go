package staff

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Failed passwords and codes slow further sign-ins for the same address down:
// after FreeFailures failures within FailureWindow, every attempt first waits
// FirstDelay, doubled for each further failure up to MaxDelay. An attempt is
// never refused, so an attacker can make a clerk wait but cannot lock them out.
const (
	FreeFailures  = 5
	FailureWindow = 15 * time.Minute
	FirstDelay    = time.Second
	MaxDelay      = 10 * time.Second
)

// Delay returns how long a sign-in waits after failures recent failures for its
// address.
func Delay(failures int) time.Duration {
	if failures < FreeFailures {
		return 0
	}

	// A shift beyond the cap would overflow for an address under a long attack.
	extra := failures - FreeFailures
	if extra >= 8 {
		return MaxDelay
	}

	return min(FirstDelay<<extra, MaxDelay)
}

// accountKey identifies an address in the failure table without storing what
// someone typed: the hash of the address as sign-in compares it.
func accountKey(email string) []byte {
	h := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return h[:]
}

const countFailuresSQL = `
SELECT count(*)
FROM staff_sign_in_failures
WHERE account_key = $1
  AND failed_at > now() - make_interval(secs => $2)`

func (s *Store) recentFailures(ctx context.Context, key []byte) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, countFailuresSQL, key, FailureWindow.Seconds()).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count sign-in failures: %w", err)
	}

	return n, nil
}

// recordFailureSQL also drops the failures that have left the window of every
// address, so the table holds only the last quarter of an hour.
const recordFailureSQL = `
WITH purge AS (
    DELETE FROM staff_sign_in_failures
    WHERE failed_at <= now() - make_interval(secs => $2)
)
INSERT INTO staff_sign_in_failures (account_key)
VALUES ($1)`

func (s *Store) recordFailure(ctx context.Context, key []byte) error {
	if _, err := s.pool.Exec(ctx, recordFailureSQL, key, FailureWindow.Seconds()); err != nil {
		return fmt.Errorf("record sign-in failure: %w", err)
	}

	return nil
}

const clearFailuresSQL = `
DELETE FROM staff_sign_in_failures
WHERE account_key = $1`

func (s *Store) clearFailures(ctx context.Context, key []byte) error {
	if _, err := s.pool.Exec(ctx, clearFailuresSQL, key); err != nil {
		return fmt.Errorf("clear sign-in failures: %w", err)
	}

	return nil
}

// SignIn checks an e-mail address and password as Authenticate does, after
// waiting out the delay that recent failures for the address have earned, and
// records a failure for a wrong password or an unknown address alike.
func (s *Store) SignIn(ctx context.Context, email, password string) (Member, error) {
	key := accountKey(email)
	n, err := s.recentFailures(ctx, key)
	if err != nil {
		return Member{}, err
	}

	if err := s.timing.Wait(ctx, Delay(n)); err != nil {
		return Member{}, err
	}

	m, err := s.Authenticate(ctx, email, password)
	if errors.Is(err, ErrBadCredentials) {
		if ferr := s.recordFailure(ctx, key); ferr != nil {
			return Member{}, ferr
		}
	}

	return m, err
}
