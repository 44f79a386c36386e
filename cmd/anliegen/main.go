// Command anliegen is the one binary of Anliegen: it serves the portal and the
// back office (the default), migrates the database, adds staff and loads demo
// tickets.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv})
	stop()

	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "anliegen:", err)
		os.Exit(1)
	}
}

// env is the outside world a command talks to, so tests can run commands in
// process.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

func run(ctx context.Context, args []string, e env) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}

	switch cmd {
	case "serve":
		return serve(ctx, args, e)
	case "migrate":
		return migrateCmd(ctx, args, e)
	case "user":
		return userCmd(ctx, args, e)
	case "demo":
		return demoCmd(ctx, args, e)
	case "load":
		return loadCmd(ctx, args, e)
	case "apikey":
		return apikeyCmd(ctx, args, e)
	case "help":
		return help(e)
	}

	return fmt.Errorf("unknown command %q; see anliegen --help", cmd)
}

func help(e env) error {
	_, err := parseConfig("anliegen", []string{"--help"}, e)
	return err
}
