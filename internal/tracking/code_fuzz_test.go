package tracking

import (
	"errors"
	"strings"
	"testing"
)

func FuzzParseCode(f *testing.F) {
	seeds := []string{
		"K7QF-M20X-9PQ1-4HTR-P",
		"K7QFM20X9PQ14HTRP",
		"k7qf m2ox 9pql 4htr p",
		"K7QF–M20X–9PQ1–4HTR–P",
		"K7QF-M20X-9PQ1-4HTR-Q",
		"K7QF-M20X-9PQ1-4HTU-P",
		"K7QF-M20X-9PQ1-4HTR",
		"",
		"----",
		"\xff\xfe",
		strings.Repeat("0", 64),
		strings.Repeat("-", 44) + "K7QF-M20X-9PQ1-4HTR-P",
	}
	for _, s := range seeds {
		f.Add(s)
	}

	f.Fuzz(func(t *testing.T, input string) {
		code, err := ParseCode(input)
		if err != nil {
			assertSentinel(t, input, err)
			return
		}

		if !groupedShape.MatchString(code.String()) {
			t.Fatalf("String: expected the shape XXXX-XXXX-XXXX-XXXX-C, got %q", code.String())
		}

		for _, form := range []string{code.String(), code.Canonical()} {
			again, err := ParseCode(form)
			if err != nil || again != code {
				t.Fatalf("ParseCode(%q): expected %q, got %q and error %v", form, code, again, err)
			}
		}
	})
}

func assertSentinel(t *testing.T, input string, err error) {
	t.Helper()

	for _, sentinel := range []error{ErrCodeLength, ErrCodeSymbol, ErrCodeCheck} {
		if errors.Is(err, sentinel) {
			return
		}
	}
	t.Fatalf("ParseCode(%q): expected one of the sentinel errors, got %v", input, err)
}
