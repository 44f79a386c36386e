package tracking

import "strings"

// The check symbol follows Luhn mod N with N = 32 over Crockford's alphabet, so it is an
// ordinary symbol and nobody has to type Crockford's extra check characters *, ~, $, = or U.
//
// Every second value, counted from the right, is doubled and its two base-32 digits are
// added. Doubling permutes the 32 values, so every single-symbol substitution changes the
// sum and is caught. Swapping adjacent symbols a and b changes the sum by g(a) - g(b), where
// g(x) = x for x < 16 and g(x) = x + 1 (mod 32) for x >= 16; that difference is zero only for
// a = 0 and b = 31. So every transposition of adjacent distinct symbols is caught except
// "0Z" <-> "Z0", the base-32 twin of decimal Luhn's "09" <-> "90".

// checkSymbol returns the symbol that completes payload to a valid code.
func checkSymbol(payload string) byte {
	n := len(alphabet)

	return alphabet[(n-luhnSum(payload, true))%n]
}

// luhnSum returns the Luhn mod 32 sum of symbols, which must all be canonical. Counting from
// the right, the first value is doubled when doubleFirst is set, and every second one after.
// A complete code is valid when luhnSum(code, false) is zero.
func luhnSum(symbols string, doubleFirst bool) int {
	n := len(alphabet)
	sum := 0
	double := doubleFirst
	for i := len(symbols) - 1; i >= 0; i-- {
		v := strings.IndexByte(alphabet, symbols[i])
		if double {
			v *= 2
			v = v/n + v%n
		}
		sum += v
		double = !double
	}

	return sum % n
}
