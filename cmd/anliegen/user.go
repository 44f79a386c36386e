package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/anliegen/anliegen/internal/config"
	"github.com/anliegen/anliegen/internal/staff"
)

// userCmd manages staff accounts from scripts: anliegen user add --email E
// --name N --role R --password-stdin.
func userCmd(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("usage: anliegen user add --email E --name N " +
			"--role agent|team_lead|admin|statistics --password-stdin [options]")
	}

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

	rest, common := splitArgs(args[1:], fs)
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

	cfg, err := parseConfig("anliegen user add", common, e)
	if err != nil {
		return err
	}

	d, err := openDatabase(ctx, cfg, newLogger(cfg, e.stderr), false)
	if err != nil {
		return err
	}
	defer d.close()

	m, err := staff.NewStore(d.pool).Create(ctx, staff.NewMember{
		Email: *email, Name: *name, Role: *role, Password: password, Language: *lang,
	})
	if err != nil {
		return err
	}

	fmt.Fprintf(e.stdout, "Created %s (%s) with the role %s.\n", m.Email, m.Name, m.Role)

	return nil
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
