// Package locales holds the message files of every shipped language, one TOML
// file per language tag, embedded so that the binary carries them.
package locales

import "embed"

// FS holds the *.toml message files.
//
//go:embed *.toml
var FS embed.FS
