package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/anliegen/anliegen/internal/apikey"
	"github.com/anliegen/anliegen/internal/config"
)

const apikeyUsage = "usage: anliegen apikey create --name NAME [options]"

// apikeyCmd issues Open311 API keys from scripts; administrators see, rename
// and revoke them in the back office.
func apikeyCmd(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New(apikeyUsage)
	}

	fs := flag.NewFlagSet("anliegen apikey create", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	name := fs.String("name", "", "the client that uses the key, e.g. FixMyStreet Chemnitz")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: anliegen apikey create --name NAME [options]")
		fs.PrintDefaults()
		config.Usage(e.stderr, "anliegen")
	}

	rest, common := splitArgs(args[1:], fs)
	if err := fs.Parse(rest); err != nil {
		return err
	}

	if _, err := apikey.CleanName(*name); err != nil {
		return fmt.Errorf("apikey create: name the client with --name: %w", err)
	}

	return withDatabase(ctx, "anliegen apikey create", common, e,
		func(_ *config.Config, d *database) error {
			k, secret, err := apikey.NewStore(d.pool).Create(ctx, *name, nil)
			if err != nil {
				return err
			}

			fmt.Fprintf(e.stdout, "Created the API key %q (number %d). It is shown only now:\n%s\n",
				k.Name, k.ID, secret)

			return nil
		})
}
