// Package staff holds the accounts of the people who work the tickets, their
// passwords and their sign-in sessions.
package staff

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters for new hashes; each hash stores its own, so they can be
// raised later without invalidating existing passwords.
const (
	argonMemoryKiB = 64 * 1024
	argonTime      = 3
	argonThreads   = 2
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// MinPasswordLength is the shortest password accepted for a staff account.
const MinPasswordLength = 12

// ErrWeakPassword is returned for a password shorter than MinPasswordLength.
var ErrWeakPassword = errors.New("password must have at least 12 characters")

// ErrCommonPassword is returned for a password on the list of common passwords.
var ErrCommonPassword = errors.New("password is on the list of common passwords")

var errBadHash = errors.New("malformed password hash")

// HashPassword returns the Argon2id hash of password in the PHC string format,
// $argon2id$v=19$m=…,t=…,p=…$salt$hash.
func HashPassword(password string) (string, error) {
	if err := CheckPassword(password); err != nil {
		return "", err
	}

	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}

	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads,
		argonKeyLen)
	enc := base64.RawStdEncoding

	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		argonMemoryKiB, argonTime, argonThreads, enc.EncodeToString(salt),
		enc.EncodeToString(key)), nil
}

// CheckPassword returns ErrWeakPassword for a password that is too short and
// ErrCommonPassword for a common one. It sets no rules on the kinds of
// characters: length protects better, and such rules lead to predictable
// passwords.
func CheckPassword(password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return ErrWeakPassword
	}

	if isCommonPassword(password) {
		return ErrCommonPassword
	}

	return nil
}

// VerifyPassword reports whether password matches the stored hash, comparing in
// constant time.
func VerifyPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}

	var version int
	var memory, iterations uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil ||
		version != argon2.Version {
		return false, errBadHash
	}

	_, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &iterations, &threads)
	if err != nil || memory == 0 || iterations == 0 || threads == 0 {
		return false, errBadHash
	}

	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errBadHash
	}

	got := argon2.IDKey([]byte(password), salt, iterations, memory, threads,
		uint32(len(want)))

	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
