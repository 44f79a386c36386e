package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/anliegen/anliegen/internal/config"
	"github.com/anliegen/anliegen/internal/db"
	"github.com/anliegen/anliegen/internal/staff"
)

const userUsage = "usage: anliegen user add --email E --name N " +
	"--role agent|team_lead|admin|statistics --password-stdin [options]\n" +
	"       anliegen user disable|enable|reset-mfa --email E [options]"

// userCmd manages staff accounts from scripts: add one, disable or enable one,
// or remove its second factor so that its person enrols a new one.
func userCmd(ctx context.Context, args []string, e env) error {
	if len(args) == 0 {
		return errors.New(userUsage)
	}

	switch args[0] {
	case "add":
		return userAdd(ctx, args[1:], e)
	case "disable", "enable", "reset-mfa":
		return userChange(ctx, args[0], args[1:], e)
	}

	return errors.New(userUsage)
}

func userAdd(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("anliegen user add", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	email := fs.String("email", "", "e-mail address, used to sign in")
	name := fs.String("name", "", "full name")
	role := fs.String("role", staff.RoleAgent, "agent, team_lead, admin or statistics")
	lang := fs.String("language", "de", "language of the back office for this person")
	fromStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "Usage: anliegen user add --email E --name N --role R "+
			"--password-stdin [options]")
		fs.PrintDefaults()
		config.Usage(e.stderr, "anliegen")
	}

	rest, common := splitArgs(args, fs)
	if err := fs.Parse(rest); err != nil {
		return err
	}

	if !*fromStdin {
		return errors.New("user add: pass the password on standard input with --password-stdin")
	}

	password, err := readPassword(e)
	if err != nil {
		return err
	}

	return withStaff(ctx, "anliegen user add", common, e, func(store *staff.Store) error {
		m, err := store.Create(ctx, staff.NewMember{
			Email: *email, Name: *name, Role: *role, Password: password, Language: *lang,
		})
		if err != nil {
			return err
		}

		fmt.Fprintf(e.stdout, "Created %s (%s) with the role %s.\n", m.Email, m.Name, m.Role)

		return nil
	})
}

// userChange disables, enables or resets the second factor of the account of
// --email.
func userChange(ctx context.Context, action string, args []string, e env) error {
	fs := flag.NewFlagSet("anliegen user "+action, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	email := fs.String("email", "", "e-mail address of the account")
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: anliegen user %s --email E [options]\n", action)
		fs.PrintDefaults()
		config.Usage(e.stderr, "anliegen")
	}

	rest, common := splitArgs(args, fs)
	if err := fs.Parse(rest); err != nil {
		return err
	}

	if strings.TrimSpace(*email) == "" {
		return fmt.Errorf("user %s: name the account with --email", action)
	}

	return withStaff(ctx, "anliegen user "+action, common, e, func(store *staff.Store) error {
		m, err := store.ByEmail(ctx, *email)
		if errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("user %s: no account has the address %s", action, *email)
		}
		if err != nil {
			return err
		}

		msg, err := applyUserChange(ctx, store, action, m)
		if err != nil {
			return err
		}

		fmt.Fprintln(e.stdout, msg)

		return nil
	})
}

// applyUserChange runs the action on m and returns what to tell the operator.
func applyUserChange(
	ctx context.Context,
	store *staff.Store,
	action string,
	m staff.Member,
) (string, error) {
	switch action {
	case "disable":
		n, err := store.Disable(ctx, m.ID)
		return fmt.Sprintf("Disabled %s. Sessions ended: %d.", m.Email, n), err
	case "enable":
		err := store.Enable(ctx, m.ID)
		return fmt.Sprintf("Enabled %s.", m.Email), err
	case "reset-mfa":
		n, err := store.ResetSecondFactor(ctx, m.ID)
		return fmt.Sprintf("Removed the second factor of %s; a new one is set up at the "+
			"next sign-in. Sessions ended: %d.", m.Email, n), err
	}

	return "", fmt.Errorf("user: unknown action %q", action)
}

// withStaff opens the database of the common options and runs fn on its staff
// store.
func withStaff(
	ctx context.Context,
	name string,
	common []string,
	e env,
	fn func(*staff.Store) error,
) error {
	return withDatabase(ctx, name, common, e, func(_ *config.Config, d *database) error {
		return fn(staff.NewStore(d.pool))
	})
}

func readPassword(e env) (string, error) {
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("user add: no password on standard input")
	}

	return strings.TrimRight(line, "\r\n"), nil
}

// splitArgs separates the flags of a subcommand from the common configuration
// flags, so that both can be given on one command line.
func splitArgs(args []string, own *flag.FlagSet) (mine, common []string) {
	for i := 0; i < len(args); i++ {
		name := strings.TrimLeft(strings.SplitN(args[i], "=", 2)[0], "-")
		f := own.Lookup(name)
		if f == nil {
			common = append(common, args[i])
			if !strings.Contains(args[i], "=") && i+1 < len(args) &&
				!strings.HasPrefix(args[i+1], "-") {
				i++
				common = append(common, args[i])
			}
			continue
		}

		mine = append(mine, args[i])
		isBool := false
		if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok {
			isBool = bf.IsBoolFlag()
		}
		if !isBool && !strings.Contains(args[i], "=") && i+1 < len(args) {
			i++
			mine = append(mine, args[i])
		}
	}

	return mine, common
}
