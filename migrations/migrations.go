// Package migrations holds the numbered SQL files that build the database schema,
// embedded so that the binary carries them.
package migrations

import "embed"

// FS holds the migration files, named NNN_description.sql and applied in order.
//
//go:embed *.sql
var FS embed.FS
