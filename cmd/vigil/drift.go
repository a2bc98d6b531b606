package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/drift"
	"github.com/vigil-sec/vigil/internal/iac"
	"github.com/vigil-sec/vigil/internal/report"
	"github.com/vigil-sec/vigil/internal/resource"
)

// driftFormats are drift's own formats and those of vigil scan's writers
// it reuses (the drift as findings).
var driftFormats = append(slices.Clone(drift.Formats), "sarif", "ocsf", "ocsf-jsonl")

type driftFlags struct {
	iacPaths, invPaths         []string
	live                       bool
	save, format, output       string
	accounts, regions, classes []string
	reader                     iacFlags
}

func newDriftCmd() *cobra.Command {
	var f driftFlags
	var lf liveFlags
	cmd := &cobra.Command{
		Use:   "drift --iac PATH... (--inventory PATH... | --live)",
		Short: "Compare infrastructure as code with the deployed inventory: unmanaged, missing and changed resources",
		Long: `Read the infrastructure as code under --iac (Terraform state, plan or HCL; CloudFormation and ARM
templates, as vigil iac reads them) and the inventory of what is deployed (--inventory: exports as vigil scan
reads them; --live: collected read-only as vigil collect does), and report:

  changed    a security-relevant fact both know differs (encryption, public access, firewall rules, IAM,
             logging, versioning...), with the IaC value and the live value
  missing    an IaC resource the inventory does not hold, though it covers its account and region
  unmanaged  an inventory resource no IaC defines, within the accounts, regions and classes the IaC covers
             (--account, --region and --class set that scope instead)
  unmatched  an IaC resource that cannot be compared (no identifier or cloud-side name before apply, an
             ambiguous name, an account the inventory does not cover); not drift

A state or plan matches by the deployed resource's id, ARN or self link; HCL and templates by the cloud-side
name (a bucket's name). See docs/drift.md.

Exit status: 0 no drift; 1 drift found; 2 usage error, nothing to compare (no IaC input, no resource to
compare, an empty inventory, no IaC resource in the accounts and regions the inventory covers), or an input
that could not be read (the rest is still compared).`,
		Example: `  vigil drift --iac infra/ --inventory exports/
  vigil drift --iac terraform.tfstate --inventory exports/ --format json --output drift.json
  vigil drift --iac infra/prod --live --cloud aws --aws-regions eu-west-1
  vigil drift --iac infra/ --inventory exports/ --account 210987654321 --region eu-west-1
  vigil drift --iac infra/ --inventory exports/ --format sarif --output drift.sarif`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDrift(cmd, f, lf) },
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.iacPaths, "iac", nil, "IaC file or directory: Terraform state, plan, HCL, CloudFormation, ARM (repeatable)")
	fl.StringArrayVar(&f.invPaths, "inventory", nil, "inventory export file or directory, as vigil scan reads (repeatable)")
	fl.BoolVar(&f.live, "live", false, "collect the clouds live, read-only, and compare with that")
	fl.StringVar(&f.save, "save", "", "with --live: keep the collected exports in this directory")
	fl.StringVarP(&f.format, "format", "f", "table", "output format: "+strings.Join(driftFormats, ", "))
	fl.StringVarP(&f.output, "output", "o", "", "write the report to FILE instead of stdout")
	fl.StringSliceVar(&f.accounts, "account", nil, "report unmanaged resources in these accounts, subscriptions or projects (default: those the IaC covers)")
	fl.StringSliceVar(&f.regions, "region", nil, "report unmanaged resources in these regions (default: those the IaC covers)")
	fl.StringSliceVar(&f.classes, "class", nil, "report unmanaged resources of these classes (default: those the IaC defines: object_storage, firewall, ...)")
	fl.StringArrayVar(&f.reader.varFiles, "var-file", nil, "Terraform: variables FILE (tfvars) applied to every root module (repeatable, in order)")
	fl.StringArrayVar(&f.reader.vars, "var", nil, "Terraform: NAME=VALUE applied last, as terraform -var (repeatable)")
	fl.StringArrayVar(&f.reader.paramFiles, "parameters", nil, "CloudFormation/ARM: parameters FILE (repeatable)")
	fl.StringArrayVar(&f.reader.params, "parameter", nil, "CloudFormation/ARM: NAME=VALUE over the parameters files and defaults (repeatable)")
	lf.register(fl)
	return cmd
}

func runDrift(cmd *cobra.Command, f driftFlags, lf liveFlags) error {
	ctx := cmd.Context()
	stderr := cmd.ErrOrStderr()
	switch {
	case len(f.iacPaths) == 0:
		return usageErr(errors.New("give the IaC to compare with --iac PATH"))
	case len(f.invPaths) == 0 && !f.live:
		return usageErr(errors.New("give the inventory to compare with: --inventory PATH or --live"))
	case f.save != "" && !f.live:
		return usageErr(errors.New("--save needs --live"))
	case !slices.Contains(driftFormats, f.format):
		return usageErr(fmt.Errorf("unknown --format %q (want one of %s)", f.format, strings.Join(driftFormats, ", ")))
	}
	for _, p := range append(slices.Clone(f.iacPaths), f.invPaths...) {
		if _, err := os.Stat(p); err != nil {
			return usageErr(err)
		}
	}
	opts := drift.Options{Accounts: f.accounts, Regions: f.regions}
	for _, c := range f.classes {
		if !resource.KnownClass(resource.Class(c)) {
			var known []string
			for _, ci := range resource.Classes() {
				known = append(known, string(ci.Class))
			}
			return usageErr(fmt.Errorf("--class %q: not a class (want one of %s)", c, strings.Join(known, ", ")))
		}
		opts.Classes = append(opts.Classes, resource.Class(c))
	}
	ro, err := f.reader.readerOptions()
	if err != nil {
		return usageErr(err)
	}

	iacInv, in, err := drift.ReadIaC(ctx, f.iacPaths, iac.Builtin(ro))
	if err != nil {
		return usageErr(err)
	}
	for _, w := range in.Warnings {
		fmt.Fprintln(stderr, "vigil: warning:", w)
	}
	for _, w := range iacInv.Warnings {
		fmt.Fprintln(stderr, "vigil: warning:", w.Error())
	}

	invPaths := f.invPaths
	var liveErr error
	if f.live {
		dir := f.save
		if dir == "" {
			if dir, err = os.MkdirTemp("", "vigil-live-"); err != nil {
				return err
			}
			defer os.RemoveAll(dir)
		}
		collected, err := lf.collectLive(ctx, cmd, dir, f.save != "")
		if collected == nil || (!collected.Reached() && len(invPaths) == 0) {
			return err // nothing to compare with
		}
		liveErr = err
		invPaths = append(slices.Clone(invPaths), dir)
	}
	inv, err := drift.ReadInventory(ctx, invPaths, slog.Default())
	if err != nil {
		return fmt.Errorf("importing: %w", err)
	}
	if len(inv.Resources) == 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("no resource in the inventory under %s: nothing to compare with", strings.Join(invPaths, ", "))}
	}
	rep := drift.Compare(iacInv.Resources, inv.Resources, opts)
	if rep.Summary.IaCResources == rep.Summary.NotCompared {
		return &exitError{code: exitUsage, err: fmt.Errorf("the IaC under %s defines no cloud resource drift compares (%d resources read)",
			strings.Join(f.iacPaths, ", "), rep.Summary.IaCResources)}
	}

	if err := writeTo(cmd, f.output, func(w io.Writer) error { return writeDrift(cmd, w, f, in.Tree.Root, rep) }); err != nil {
		return err
	}
	s := rep.Summary
	fmt.Fprintf(stderr, "vigil: %d IaC resources against %d inventory resources: %d matched, %d changed attributes on %d resources, %d missing, %d unmanaged, %d unmatched\n",
		s.IaCResources-s.NotCompared, s.InventoryResources, s.Matched, s.Changed, s.ChangedResources, s.Missing, s.Unmanaged, s.Unmatched)
	for _, sc := range s.Scope {
		if sc.Note != "" {
			fmt.Fprintf(stderr, "vigil: %s: unmanaged resources not reported: %s\n", sc.Provider, sc.Note)
		}
	}
	inputErrors := append(slices.Clone(iacInv.Errors), inv.Errors...)
	for _, ie := range inputErrors {
		fmt.Fprintln(stderr, "vigil: input error:", ie.Error())
	}
	switch {
	case s.Matched+s.Missing+s.Unmanaged == 0:
		return &exitError{code: exitUsage, err: errors.New("nothing compared: no IaC resource is in the accounts and regions the inventory covers (the unmatched ones say why)")}
	case len(inputErrors) > 0:
		return &exitError{code: exitUsage, err: fmt.Errorf("%d input(s) could not be read; the rest was compared", len(inputErrors))}
	case liveErr != nil:
		return liveErr
	case rep.Drifted():
		return &exitError{code: exitFindings}
	}
	return nil
}

// writeDrift writes the report in drift's own formats, or as findings in
// SARIF and OCSF (IaC files named relative to the working directory, the
// repository root in CI, when the IaC is under it).
func writeDrift(cmd *cobra.Command, w io.Writer, f driftFlags, root string, rep *drift.Report) error {
	if slices.Contains(drift.Formats, f.format) {
		return drift.Write(w, f.format, rep)
	}
	prefix := ""
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, root); err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, "../") && !filepath.IsAbs(rel) {
			prefix = filepath.ToSlash(rel) + "/"
		}
	}
	r := drift.AsReport(rep, time.Now().UTC(), func(file string) string { return prefix + file })
	r.Version = buildVersion()
	r.Inputs = append(slices.Clone(f.iacPaths), f.invPaths...)
	return report.Write(cmd.Context(), w, f.format, r)
}
