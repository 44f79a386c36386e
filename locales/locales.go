// Package locales holds the message files of every shipped language, one TOML
// file per language tag at the top and, for each area of the product with many
// messages of its own, one folder with the same file names, all embedded so that
// the binary carries them.
package locales

import "embed"

// FS holds the *.toml message files.
//
//go:embed *
var FS embed.FS
