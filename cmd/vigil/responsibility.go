package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/responsibility"
)

func newResponsibilityCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "responsibility PATH...",
		Short: "Show, for the cloud services in an inventory, which security controls are the provider's and which yours",
		Long: `Read cloud inventory exports as vigil scan does and list, per cloud and per service found (Amazon S3, RDS,
EKS; Azure Storage, AKS; Cloud Storage, GKE...), which security controls the cloud provider operates
(physical security, virtualization, the managed service's software), which you must configure and
operate (network exposure, identities and permissions, guest OS patching, logging, backups) and which
are shared (encryption at rest on by default with your choice of keys, engine patching in your
maintenance window). The data ships with vigil with its sources: each cloud's published
shared-responsibility model and each service's security page (see docs/responsibility.md).

Exit status: 0 view written; 2 usage error, an inventory without cloud resources, or an input that
could not be read (the rest is still shown).`,
		Example: `  vigil responsibility examples/org
  vigil responsibility exports/ --format json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runResponsibility(cmd, args, format) },
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table or json")
	return cmd
}

func runResponsibility(cmd *cobra.Command, paths []string, format string) error {
	if !slices.Contains(responsibility.Formats, format) {
		return usageErr(fmt.Errorf("unknown --format %q (want table or json)", format))
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return usageErr(err)
		}
	}
	model, err := responsibility.Load()
	if err != nil {
		return err
	}
	inv, err := inventory.Collect(cmd.Context(), importer.Files(paths, importer.WithLogger(slog.Default())))
	if err != nil {
		return fmt.Errorf("importing: %w", err)
	}
	stderr := cmd.ErrOrStderr()
	for _, ie := range inv.Errors {
		fmt.Fprintln(stderr, "vigil: input error:", ie.Error())
	}
	view := model.Build(inv.Resources)
	if view.Services() == 0 {
		return &exitError{code: exitUsage, err: errors.New("no AWS, Azure or GCP resources in the inventory: nothing to show")}
	}
	if err := responsibility.Write(cmd.OutOrStdout(), format, view); err != nil {
		return err
	}
	if n := len(inv.Errors); n > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("%d input(s) could not be read; the rest was shown", n)}
	}
	return nil
}
