package main

import (
	"context"
	"fmt"

	"github.com/anliegen/anliegen/internal/config"
)

// migrateCmd brings the schema up to date and exits.
func migrateCmd(ctx context.Context, args []string, e env) error {
	return withDatabase(ctx, "anliegen migrate", args, e, func(*config.Config, *database) error {
		fmt.Fprintln(e.stdout, "The database schema is up to date.")
		return nil
	})
}
