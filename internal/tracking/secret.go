package tracking

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

const (
	secretBytes = 16 // 128 bits
	secretLen   = 22 // base64 without padding of 16 bytes
	keyBytes    = 32
)

// urlAlphabet is the alphabet of base64.RawURLEncoding; the value of a symbol is its index.
const urlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// NewAccessSecret returns a fresh 128-bit secret for an access link, URL-safe base64 without
// padding (22 characters). Only its HashSecret is stored.
func NewAccessSecret() (string, error) {
	var raw [secretBytes]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("new access secret: %w", err)
	}

	return base64.RawURLEncoding.EncodeToString(raw[:]), nil
}

// HashSecret returns the HMAC-SHA256 of secret under the server's key: the 32 bytes the
// database stores and looks up in place of the secret.
func HashSecret(key []byte, secret string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(secret))

	return mac.Sum(nil)
}

// ValidSecretFormat reports whether s has the exact shape of a NewAccessSecret result, so
// that junk is rejected before any lookup.
func ValidSecretFormat(s string) bool {
	if len(s) != secretLen {
		return false
	}

	for i := range len(s) {
		if strings.IndexByte(urlAlphabet, s[i]) < 0 {
			return false
		}
	}

	// The last symbol carries only the final 2 bits of the 128; a value with any of its
	// low 4 bits set is a string NewAccessSecret can never produce.
	return strings.IndexByte(urlAlphabet, s[secretLen-1])&0x0f == 0
}

// NewKey returns 32 random bytes for the server's key to HashSecret.
func NewKey() ([]byte, error) {
	key := make([]byte, keyBytes)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("new secret key: %w", err)
	}

	return key, nil
}
