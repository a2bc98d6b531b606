package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/iac"
)

type iacFlags struct {
	scanFlags
}

func newIacCmd() *cobra.Command {
	var f iacFlags
	cmd := &cobra.Command{
		Use:   "iac PATH...",
		Short: "Check infrastructure as code (Terraform, CloudFormation, ARM, Kubernetes, Helm) against the rules",
		Long: `Read the infrastructure-as-code files under PATH (files or directories; .git, .terraform,
node_modules, vendor and hidden directories are skipped) and check the resources they define with the same
built-in rules as vigil scan, each finding located by file (relative to the scanned root), lines and address.

Ignore comments in the sources mute a rule on the resource below them (or on every resource of a module
call), as entries of a --suppressions file do; both are reported:

  # vigil:ignore RULE_ID reason [exp:YYYY-MM-DD]

Exit status: 0 done; 1 a FAIL finding at or above --fail-on exists; 2 usage error, nothing under PATH is an
IaC input, or a file could not be read or parsed (the rest of the tree is still scanned and reported).`,
		Example: `  vigil iac infra/
  vigil iac . --format sarif --output vigil.sarif --fail-on high
  vigil iac infra/ --format junit --output vigil-junit.xml
  vigil iac k8s/ --provider kubernetes --severity medium
  vigil iac infra/ --suppressions suppressions.yaml --format json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runIac(cmd, args, f) },
	}
	f.register(cmd.Flags())
	return cmd
}

func runIac(cmd *cobra.Command, args []string, f iacFlags) error {
	opts, failOn, engine, err := f.options(cmd)
	if err != nil {
		return err
	}
	res, err := iac.Scan(cmd.Context(), engine, iac.Options{Paths: args, Readers: iac.Builtin(iac.ReaderOptions{}), Scan: opts})
	if errors.Is(err, iac.ErrNoInput) {
		return usageErr(err)
	}
	if err != nil {
		return usageErr(err)
	}
	stderr := cmd.ErrOrStderr()
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "vigil: warning:", w)
	}
	return f.finish(cmd, res.Report, res.Inventory.Errors, failOn)
}
