package main

import (
	"context"
	"errors"
)

// demoCmd is written by the demo ticket generator; until then it says so.
func demoCmd(ctx context.Context, args []string, e env) error {
	return errors.New("demo: not available yet")
}
