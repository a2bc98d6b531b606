// Command vigil is a multi-cloud security platform: posture, IaC, identity,
// detection and response across AWS, Azure and GCP. This package holds only
// flag parsing and wiring; the logic lives under internal/.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	// First among vigil's imports to initialize: heap-profile sampling
	// off before the dependencies' initializers allocate.
	_ "github.com/vigil-sec/vigil/internal/heapsample"
)

// Exit codes shared by every command.
const (
	exitOK       = 0
	exitFindings = 1 // --fail-on threshold reached
	exitUsage    = 2 // usage or input error
)

// exitError carries a specific exit status out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:]))
}

func run(ctx context.Context, args []string) int {
	root := newRootCmd()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(os.Stderr, "vigil:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(os.Stderr, "vigil:", err)
	return exitUsage
}
