package staff

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the size of the key that seals second-factor secrets: AES-256.
const KeySize = 32

// sealedPrefix starts a sealed secret as stored; a secret without it is base32
// in the clear, as stores without a key keep them.
const sealedPrefix = "v1:"

// sealAAD binds a sealed value to its use, so that it cannot pass for another
// value sealed with the same key.
var sealAAD = []byte("anliegen staff totp secret")

// ErrSealedSecret is returned when a stored secret is sealed and the store has
// no key, or another key than the one it was sealed with.
var ErrSealedSecret = errors.New("the second-factor secret is sealed with another key or none")

// Sealer seals second-factor secrets with a key kept outside the database, so
// that a copy of the database yields no second factor.
type Sealer struct {
	aead cipher.AEAD
}

// NewSealer returns a sealer for a key of KeySize bytes.
func NewSealer(key []byte) (*Sealer, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret key: %d bytes, want %d", len(key), KeySize)
	}

	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}

	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}

	return &Sealer{aead: aead}, nil
}

// seal returns secret as stored: sealed with a fresh nonce, or as it is
// without a sealer; "" stays "".
func (k *Sealer) seal(secret string) (string, error) {
	if k == nil || secret == "" {
		return secret, nil
	}

	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal secret: %w", err)
	}

	sealed := k.aead.Seal(nonce, nonce, []byte(secret), sealAAD)

	return sealedPrefix + base64.RawURLEncoding.EncodeToString(sealed), nil
}

// open returns the base32 secret of a stored one; a secret in the clear is
// returned as it is.
func (k *Sealer) open(stored string) (string, error) {
	rest, sealed := strings.CutPrefix(stored, sealedPrefix)
	if !sealed {
		return stored, nil
	}
	if k == nil {
		return "", ErrSealedSecret
	}

	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(raw) < k.aead.NonceSize() {
		return "", ErrSealedSecret
	}

	n := k.aead.NonceSize()
	plain, err := k.aead.Open(nil, raw[:n], raw[n:], sealAAD)
	if err != nil {
		return "", ErrSealedSecret
	}

	return string(plain), nil
}

// SealWith makes the store seal every second-factor secret it writes with k
// and open the ones it reads.
func (s *Store) SealWith(k *Sealer) {
	s.sealer = k
}

const clearSecretsSQL = `
SELECT id, totp_secret
FROM staff
WHERE totp_secret IS NOT NULL
  AND NOT starts_with(totp_secret, 'v1:')`

const sealSecretSQL = `
UPDATE staff
SET totp_secret = $2
WHERE id = $1
  AND totp_secret = $3`

// dropClearEnrolmentsSQL ends the sign-ins that offer a secret in the clear;
// they last minutes, and the member signs in again.
const dropClearEnrolmentsSQL = `
DELETE FROM staff_sign_ins
WHERE totp_secret IS NOT NULL
  AND NOT starts_with(totp_secret, 'v1:')`

// SealStoredSecrets seals the second-factor secrets that are still in the
// clear, those of a database used before the store had a key, and returns how
// many it sealed. It does nothing without a sealer.
func (s *Store) SealStoredSecrets(ctx context.Context) (int, error) {
	if s.sealer == nil {
		return 0, nil
	}

	rows, err := s.pool.Query(ctx, clearSecretsSQL)
	if err != nil {
		return 0, fmt.Errorf("seal stored secrets: %w", err)
	}
	type clear struct {
		id     int64
		secret string
	}
	var found []clear
	for rows.Next() {
		var c clear
		if err := rows.Scan(&c.id, &c.secret); err != nil {
			rows.Close()
			return 0, fmt.Errorf("seal stored secrets: %w", err)
		}
		found = append(found, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("seal stored secrets: %w", err)
	}

	sealed := 0
	for _, c := range found {
		v, err := s.sealer.seal(c.secret)
		if err != nil {
			return sealed, err
		}
		tag, err := s.pool.Exec(ctx, sealSecretSQL, c.id, v, c.secret)
		if err != nil {
			return sealed, fmt.Errorf("seal secret of staff %d: %w", c.id, err)
		}
		sealed += int(tag.RowsAffected())
	}

	if _, err := s.pool.Exec(ctx, dropClearEnrolmentsSQL); err != nil {
		return sealed, fmt.Errorf("seal stored secrets: %w", err)
	}

	return sealed, nil
}
