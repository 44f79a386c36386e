package staff

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords is the set of common passwords, built on first use.
var commonPasswords = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	for line := range strings.Lines(commonPasswordList) {
		line = strings.TrimRight(line, "\r\n")
		if line != "" && !strings.HasPrefix(line, "#") {
			set[line] = true
		}
	}

	return set
})

// isCommonPassword reports whether password, ignoring case and surrounding
// spaces, is on the list of common passwords.
func isCommonPassword(password string) bool {
	return commonPasswords()[strings.ToLower(strings.TrimSpace(password))]
}
