package tracking

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

func TestNewAccessSecret(t *testing.T) {
	const n = 1000
	seen := make(map[string]bool, n)
	for range n {
		secret, err := NewAccessSecret()
		if err != nil {
			t.Fatalf("NewAccessSecret: expected no error, got %v", err)
		}

		if seen[secret] {
			t.Fatalf("NewAccessSecret: expected %d distinct secrets, got %q twice", n, secret)
		}
		seen[secret] = true

		assertSecretShape(t, secret)
	}
}

func assertSecretShape(t *testing.T, secret string) {
	t.Helper()

	if !ValidSecretFormat(secret) {
		t.Fatalf("ValidSecretFormat(%q): expected true, got false", secret)
	}

	raw, err := base64.RawURLEncoding.Strict().DecodeString(secret)
	if err != nil || len(raw) != secretBytes {
		t.Fatalf("decode %q: expected %d bytes, got %d and error %v",
			secret, secretBytes, len(raw), err)
	}
}

func TestValidSecretFormat(t *testing.T) {
	valid := base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, secretBytes))
	tests := []struct {
		name  string
		input string
		want  bool
	}{
		{"encoded 16 bytes", valid, true},
		{"URL alphabet", "-_09azAZ-_09azAZ-_09aw", true},
		{"empty", "", false},
		{"one short", valid[:secretLen-1], false},
		{"one long", valid + "A", false},
		{"padded", valid + "==", false},
		{"standard alphabet plus", "+" + valid[1:], false},
		{"standard alphabet slash", "/" + valid[1:], false},
		{"space", " " + valid[1:], false},
		{"newline", valid[:secretLen-1] + "\n", false},
		{"non-ASCII", "ä" + valid[2:], false},
		{"unused low bits set", valid[:secretLen-1] + "B", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidSecretFormat(tt.input); got != tt.want {
				t.Errorf("ValidSecretFormat(%q): expected %v, got %v", tt.input, tt.want, got)
			}
		})
	}
}

// TestHashSecretKnownAnswer pins HMAC-SHA256 with test case 2 of RFC 4231.
func TestHashSecretKnownAnswer(t *testing.T) {
	const want = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"

	got := hex.EncodeToString(HashSecret([]byte("Jefe"), "what do ya want for nothing?"))
	if got != want {
		t.Errorf("HashSecret: expected %s, got %s", want, got)
	}
}

func TestHashSecret(t *testing.T) {
	keyA, keyB := newKey(t), newKey(t)
	secretA, secretB := strings.Repeat("A", secretLen), strings.Repeat("Q", secretLen)
	base := HashSecret(keyA, secretA)
	tests := []struct {
		name   string
		key    []byte
		secret string
		same   bool
	}{
		{"same key and secret", keyA, secretA, true},
		{"different key", keyB, secretA, false},
		{"different secret", keyA, secretB, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := HashSecret(tt.key, tt.secret)
			if len(got) != 32 {
				t.Fatalf("HashSecret: expected 32 bytes, got %d", len(got))
			}

			if same := bytes.Equal(got, base); same != tt.same {
				t.Errorf("HashSecret: expected equal to base hash %v, got %v", tt.same, same)
			}
		})
	}
}

func TestNewKey(t *testing.T) {
	a, b := newKey(t), newKey(t)

	if len(a) != keyBytes {
		t.Errorf("NewKey: expected %d bytes, got %d", keyBytes, len(a))
	}

	if bytes.Equal(a, b) {
		t.Errorf("NewKey: expected two different keys, got %x twice", a)
	}
}

func newKey(t *testing.T) []byte {
	t.Helper()

	key, err := NewKey()
	if err != nil {
		t.Fatalf("NewKey: expected no error, got %v", err)
	}

	return key
}

func TestDeriveSecret(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	code, err := NewCode()
	if err != nil {
		t.Fatal(err)
	}

	s1 := DeriveSecret(key, code, 1)
	if !ValidSecretFormat(s1) {
		t.Errorf("derived secret %q has the wrong format", s1)
	}
	if DeriveSecret(key, code, 1) != s1 {
		t.Error("the same code and epoch gave another secret")
	}
	if DeriveSecret(key, code, 2) == s1 {
		t.Error("a new epoch gave the same secret")
	}
	if DeriveSecret([]byte("another key, another key, anothe"), code, 1) == s1 {
		t.Error("another key gave the same secret")
	}

	other, _ := NewCode()
	if DeriveSecret(key, other, 1) == s1 {
		t.Error("another code gave the same secret")
	}
}
