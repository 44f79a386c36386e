package tracking

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// fixture is a valid code whose payload holds both 0 and 1, for the look-alike cases. Its check
// symbol is written out so that a change to the check scheme, which would orphan every code
// already handed out, fails this test.
const fixture = "K7QFM20X9PQ14HTRP"

var groupedShape = regexp.MustCompile(
	`^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-` +
		`[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$`)

func TestParseCode(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		want    string
		wantErr error
	}{
		{"canonical", "K7QFM20X9PQ14HTRP", fixture, nil},
		{"grouped", "K7QF-M20X-9PQ1-4HTR-P", fixture, nil},
		{"lower case", "k7qf-m20x-9pq1-4htr-p", fixture, nil},
		{"mixed case", "K7qF-m20X-9Pq1-4hTr-p", fixture, nil},
		{"spaces", "K7QF M20X 9PQ1 4HTR P", fixture, nil},
		{"missing dashes", "K7QFM20X-9PQ14HTR-P", fixture, nil},
		{"extra dashes", "--K7-QF--M20X-9PQ1-4HTR--P-", fixture, nil},
		{"dots", "K7QF.M20X.9PQ1.4HTR.P", fixture, nil},
		{"surrounding white space", " \tK7QF-M20X-9PQ1-4HTR-P\r\n", fixture, nil},
		{"en dashes", "K7QF–M20X–9PQ1–4HTR–P", fixture, nil},
		{"non-breaking spaces", "K7QF\u00a0M20X\u00a09PQ1\u00a04HTR\u00a0P", fixture, nil},
		{"upper O for 0", "K7QF-M2OX-9PQ1-4HTR-P", fixture, nil},
		{"lower o for 0", "K7QF-M2oX-9PQ1-4HTR-P", fixture, nil},
		{"upper I for 1", "K7QF-M20X-9PQI-4HTR-P", fixture, nil},
		{"lower i for 1", "K7QF-M20X-9PQi-4HTR-P", fixture, nil},
		{"upper L for 1", "K7QF-M20X-9PQL-4HTR-P", fixture, nil},
		{"lower l for 1", "K7QF-M20X-9PQl-4HTR-P", fixture, nil},
		{"empty", "", "", ErrCodeLength},
		{"separators only", " - . - ", "", ErrCodeLength},
		{"too short", "K7QF-M20X-9PQ1-4HTR", "", ErrCodeLength},
		{"too long", "K7QF-M20X-9PQ1-4HTR-PP", "", ErrCodeLength},
		{"over 64 bytes", strings.Repeat("-", 44) + "K7QF-M20X-9PQ1-4HTR-P", "", ErrCodeLength},
		{"U is not a symbol", "K7QF-M20X-9PQ1-4HTU-P", "", ErrCodeSymbol},
		{"lower u is not a symbol", "K7QF-M20X-9PQ1-4HTu-P", "", ErrCodeSymbol},
		{"Crockford check star", "K7QF-M20X-9PQ1-4HTR-*", "", ErrCodeSymbol},
		{"Crockford check tilde", "K7QF-M20X-9PQ1-4HTR-~", "", ErrCodeSymbol},
		{"umlaut", "K7QF-M20X-9PQ1-4HTÄ-P", "", ErrCodeSymbol},
		{"invalid UTF-8", "K7QF-M20X-9PQ1-4HT\xff-P", "", ErrCodeSymbol},
		{"wrong check", "K7QF-M20X-9PQ1-4HTR-Q", "", ErrCodeCheck},
		{"typo in payload", "K7QF-M20X-9PQ1-4HTS-P", "", ErrCodeCheck},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCode(tt.input)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ParseCode(%q): expected error %v, got %v", tt.input, tt.wantErr, err)
			}

			if got.Canonical() != tt.want {
				t.Errorf("ParseCode(%q): expected %q, got %q", tt.input, tt.want, got.Canonical())
			}
		})
	}
}

func TestCodeString(t *testing.T) {
	tests := []struct {
		name string
		code Code
		want string
	}{
		{"fixture", Code{canonical: fixture}, "K7QF-M20X-9PQ1-4HTR-P"},
		{"zero", Code{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.code.String(); got != tt.want {
				t.Errorf("String: expected %q, got %q", tt.want, got)
			}
		})
	}
}

func TestNewCodeRoundTrip(t *testing.T) {
	code := newCode(t)

	if !groupedShape.MatchString(code.String()) {
		t.Fatalf("String: expected the shape XXXX-XXXX-XXXX-XXXX-C, got %q", code.String())
	}

	for _, form := range []string{code.String(), code.Canonical()} {
		got, err := ParseCode(form)
		if err != nil {
			t.Fatalf("ParseCode(%q): expected no error, got %v", form, err)
		}

		if got != code {
			t.Errorf("ParseCode(%q): expected %q, got %q", form, code, got)
		}
	}
}

func TestNewCodeDistinct(t *testing.T) {
	const n = 1000
	seen := make(map[Code]bool, n)
	for range n {
		code := newCode(t)
		if seen[code] {
			t.Fatalf("NewCode: expected %d distinct codes, got %q twice", n, code)
		}
		seen[code] = true

		if _, err := ParseCode(code.String()); err != nil {
			t.Fatalf("ParseCode(%q): expected no error, got %v", code, err)
		}
	}
}

// TestNewCodeUsesAllSymbols guards the bit extraction: with 1000 codes, the chance that a fair
// source leaves some symbol out of some payload position is about 1e-11.
func TestNewCodeUsesAllSymbols(t *testing.T) {
	var seen [payloadLen][32]bool
	for range 1000 {
		code := newCode(t).Canonical()
		for pos := range payloadLen {
			seen[pos][strings.IndexByte(alphabet, code[pos])] = true
		}
	}

	for pos := range payloadLen {
		for v, ok := range seen[pos] {
			if !ok {
				t.Errorf("position %d: expected symbol %c to appear, got none", pos, alphabet[v])
			}
		}
	}
}

func TestCheckCatchesSubstitution(t *testing.T) {
	for _, code := range sampleCodes(t) {
		t.Run(code, func(t *testing.T) {
			for pos := range codeLen {
				for _, sym := range []byte(alphabet) {
					if sym == code[pos] {
						continue
					}

					typo := replaceAt(code, pos, sym)
					assertParseError(t, typo, ErrCodeCheck)
				}
			}
		})
	}
}

func TestCheckCatchesAdjacentTransposition(t *testing.T) {
	for _, code := range sampleCodes(t) {
		t.Run(code, func(t *testing.T) {
			for pos := range codeLen - 1 {
				if code[pos] != code[pos+1] {
					assertSwapResult(t, code, pos)
				}
			}
		})
	}
}

// TestCheckTranspositionAllPairs places every ordered pair of distinct symbols at every pair of
// adjacent positions, check position included, and swaps them.
func TestCheckTranspositionAllPairs(t *testing.T) {
	undetected := 0
	for pos := range codeLen - 1 {
		free := codeLen - 1
		if pos+1 == free {
			free = 0
		}

		for _, a := range []byte(alphabet) {
			for _, b := range []byte(alphabet) {
				if a == b {
					continue
				}

				code := replaceAt(replaceAt(fixture, pos, a), pos+1, b)
				code = completeAt(t, code, free)
				if assertSwapResult(t, code, pos) {
					undetected++
				}
			}
		}
	}

	if want := 2 * (codeLen - 1); undetected != want {
		t.Errorf("undetected swaps: expected %d (0Z and Z0 at each pair), got %d", want, undetected)
	}
}

// assertSwapResult swaps the symbols at pos and pos+1 of the valid code and asserts that the
// check catches it, except for 0 and Z, which Luhn mod 32 cannot tell apart when swapped. It
// reports whether the swap went undetected.
func assertSwapResult(t *testing.T, code string, pos int) bool {
	t.Helper()

	swapped := replaceAt(replaceAt(code, pos, code[pos+1]), pos+1, code[pos])
	pair := code[pos : pos+2]
	if pair == "0Z" || pair == "Z0" {
		assertParseError(t, swapped, nil)
		return true
	}

	assertParseError(t, swapped, ErrCodeCheck)

	return false
}

func assertParseError(t *testing.T, input string, want error) {
	t.Helper()

	if _, err := ParseCode(input); !errors.Is(err, want) {
		t.Errorf("ParseCode(%q): expected error %v, got %v", input, want, err)
	}
}

// completeAt returns code with the one symbol at pos that makes it valid.
func completeAt(t *testing.T, code string, pos int) string {
	t.Helper()

	for _, sym := range []byte(alphabet) {
		candidate := replaceAt(code, pos, sym)
		if _, err := ParseCode(candidate); err == nil {
			return candidate
		}
	}
	t.Fatalf("completeAt(%q, %d): expected one valid symbol, got none", code, pos)

	return ""
}

// sampleCodes returns the fixture, a code full of 0Z pairs and a few random codes.
func sampleCodes(t *testing.T) []string {
	t.Helper()

	codes := []string{fixture, completeAt(t, "0Z0ZZ00Z0ZZ0Z0Z0"+"0", codeLen-1)}
	for range 5 {
		codes = append(codes, newCode(t).Canonical())
	}

	return codes
}

func newCode(t *testing.T) Code {
	t.Helper()

	code, err := NewCode()
	if err != nil {
		t.Fatalf("NewCode: expected no error, got %v", err)
	}

	return code
}

func replaceAt(s string, pos int, sym byte) string {
	b := []byte(s)
	b[pos] = sym

	return string(b)
}
