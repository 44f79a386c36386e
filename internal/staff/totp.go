package staff

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

// totpIssuer names the account in the member's authenticator app.
const totpIssuer = "Anliegen"

// A code belongs to a step of totpPeriod seconds; codes of totpSkew steps
// before and after the current one are accepted too, for clocks that drift and
// for people who type slowly.
const (
	totpPeriod = 30
	totpSkew   = 1
)

// Errors of a code for the second factor.
var (
	// ErrWrongCode is returned for a code that does not belong to the secret at
	// this time.
	ErrWrongCode = errors.New("wrong code")
	// ErrCodeUsed is returned for a code of a time step that an earlier code
	// already used, so that a code seen over a shoulder or intercepted cannot
	// sign in a second time.
	ErrCodeUsed = errors.New("code already used")
)

var errBadSecret = errors.New("the TOTP secret must be base32 of at least 80 bits")

// newTOTPSecret returns a fresh random secret of 160 bits in base32, the size
// RFC 4226 recommends.
func newTOTPSecret() (string, error) {
	raw := make([]byte, 20)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("new totp secret: %w", err)
	}

	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw), nil
}

// cleanSecret returns a secret typed by an operator without spaces and padding
// in upper case, or "" for an empty one.
func cleanSecret(secret string) (string, error) {
	secret = strings.ToUpper(strings.Join(strings.Fields(secret), ""))
	secret = strings.TrimRight(secret, "=")
	if secret == "" {
		return "", nil
	}

	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil || len(raw) < 10 {
		return "", errBadSecret
	}

	return secret, nil
}

// TOTPURL returns the otpauth URL of secret for email, which authenticator apps
// read from a QR code.
func TOTPURL(email, secret string) (string, error) {
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		return "", errBadSecret
	}

	key, err := totp.Generate(totp.GenerateOpts{
		Issuer: totpIssuer, AccountName: email, Secret: raw,
	})
	if err != nil {
		return "", fmt.Errorf("totp url: %w", err)
	}

	return key.URL(), nil
}

// codeStep returns the time step that code belongs to for secret at now, with
// the allowed skew; false when it belongs to none.
func codeStep(secret, code string, now time.Time) (int64, bool) {
	code = strings.Join(strings.Fields(code), "")
	current := now.Unix() / totpPeriod
	opts := hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

	for _, step := range stepsToTry(current) {
		ok, err := hotp.ValidateCustom(code, uint64(step), secret, opts)
		if err == nil && ok {
			return step, true
		}
	}

	return 0, false
}

// stepsToTry lists the current step first and then its neighbours.
func stepsToTry(current int64) []int64 {
	steps := []int64{current}
	for i := int64(1); i <= totpSkew; i++ {
		steps = append(steps, current-i, current+i)
	}

	return steps
}

// Code returns the code of secret at t, for tests and for operators checking a
// device.
func Code(secret string, t time.Time) (string, error) {
	code, err := hotp.GenerateCodeCustom(secret, uint64(t.Unix()/totpPeriod),
		hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", fmt.Errorf("totp code: %w", err)
	}

	return code, nil
}

const useStepSQL = `
UPDATE staff
SET totp_last_step = $2
WHERE id = $1
  AND totp_secret IS NOT NULL
  AND (totp_last_step IS NULL OR totp_last_step < $2)`

// useStep records that a code of step signed member in; ErrCodeUsed when a code
// of this step or a later one already did. The condition in the statement makes
// two requests racing with one code let only one through.
func (s *Store) useStep(ctx context.Context, memberID, step int64) error {
	tag, err := s.pool.Exec(ctx, useStepSQL, memberID, step)
	if err != nil {
		return fmt.Errorf("use code of staff %d: %w", memberID, err)
	}

	if tag.RowsAffected() == 0 {
		return ErrCodeUsed
	}

	return nil
}

const enrolSQL = `
UPDATE staff
SET totp_secret = $2,
    totp_last_step = $3
WHERE id = $1
  AND disabled_at IS NULL`

// enrol stores secret as member's second factor, sealed when the store has a
// key, with the step of the code that confirmed it as used.
func (s *Store) enrol(ctx context.Context, memberID int64, secret string, step int64) error {
	stored, err := s.sealer.seal(secret)
	if err != nil {
		return fmt.Errorf("enrol staff %d: %w", memberID, err)
	}

	if _, err := s.pool.Exec(ctx, enrolSQL, memberID, stored, step); err != nil {
		return fmt.Errorf("enrol staff %d: %w", memberID, err)
	}

	return nil
}
