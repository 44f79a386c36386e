package main

import (
	"context"
	"fmt"
)

// migrateCmd brings the schema up to date and exits.
func migrateCmd(ctx context.Context, args []string, e env) error {
	cfg, err := parseConfig("anliegen migrate", args, e)
	if err != nil {
		return err
	}

	d, err := openDatabase(ctx, cfg, newLogger(cfg, e.stderr), false)
	if err != nil {
		return err
	}
	defer d.close()

	fmt.Fprintln(e.stdout, "The database schema is up to date.")

	return nil
}
