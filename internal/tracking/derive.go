package tracking

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
)

// DeriveSecret returns the access secret of the ticket with code: 128 bits of an
// HMAC under the server key over the code and the ticket's access epoch. Mails
// and letters can carry the link at any time, while the database holds only its
// HashSecret; a copy of the database without the key opens nothing, and raising
// the epoch revokes every link given out before.
func DeriveSecret(key []byte, code Code, epoch int) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("access-link\x00" + code.Canonical() + "\x00" + strconv.Itoa(epoch)))

	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil)[:secretBytes])
}
