package main

import (
	"fmt"
	"maps"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/iac"
)

type iacFlags struct {
	scanFlags
	values, set, paramFiles, params, varFiles, vars []string
	namespace                                       string
}

func newIacCmd() *cobra.Command {
	var f iacFlags
	cmd := &cobra.Command{
		Use:   "iac PATH...",
		Short: "Check infrastructure as code (Terraform, CloudFormation, ARM, Kubernetes, Helm) against the rules",
		Long: `Read the infrastructure-as-code files under PATH (files or directories; .git, .terraform,
node_modules, vendor and hidden directories are skipped) and check the resources they define with the same
built-in rules as vigil scan, each finding located by file (relative to the scanned root), lines and address.
The format of each file is detected from its name and content; a directory holding a Chart.yaml is a Helm
chart, rendered with its default values (and --values).

Ignore comments in the sources mute a rule on the resource below them (or on every resource of a module
call), as entries of a --suppressions file do; both are reported, and an expired one stops muting:

  # vigil:ignore RULE_ID reason [exp:YYYY-MM-DD]

Exit status: 0 done; 1 a FAIL finding at or above --fail-on exists; 2 usage error, nothing under PATH is an
IaC input, or a file could not be read or parsed (the rest of the tree is still scanned and reported).`,
		Example: `  vigil iac infra/
  vigil iac . --format sarif --output vigil.sarif --fail-on high
  vigil iac infra/ --format junit --output vigil-junit.xml
  vigil iac charts/web --values prod-values.yaml --provider kubernetes
  vigil iac stacks/ --parameters prod-params.json --parameter Env=prod
  vigil iac infra/ --suppressions suppressions.yaml --format json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runIac(cmd, args, f) },
	}
	fl := cmd.Flags()
	f.register(fl)
	fl.StringArrayVar(&f.varFiles, "var-file", nil, "Terraform: variables FILE (tfvars) applied to every root module after its own tfvars (repeatable, in order)")
	fl.StringArrayVar(&f.vars, "var", nil, "Terraform: NAME=VALUE applied last, as terraform -var (repeatable)")
	fl.StringArrayVar(&f.values, "values", nil, "Helm: values file merged over the charts' defaults (repeatable, in order)")
	fl.StringArrayVar(&f.set, "set", nil, "Helm: KEY=VALUE set over the values (repeatable)")
	fl.StringVar(&f.namespace, "namespace", "", "Kubernetes/Helm: the namespace manifests are applied to and charts installed in (kubectl/helm -n); objects naming none are read in it (unset: their namespace is unknown and not judged)")
	fl.StringArrayVar(&f.paramFiles, "parameters", nil, "CloudFormation/ARM: parameters FILE (AWS CLI list, {\"Parameters\": ...} or ARM parameters JSON; repeatable)")
	fl.StringArrayVar(&f.params, "parameter", nil, "CloudFormation/ARM: NAME=VALUE over the parameters files and defaults (repeatable)")
	return cmd
}

func (f iacFlags) readerOptions() (iac.ReaderOptions, error) {
	var o iac.ReaderOptions
	cfn := map[string]any{}
	for _, p := range f.paramFiles {
		ps, arm, err := iac.LoadParameters(p)
		if err != nil {
			return o, err
		}
		if arm {
			o.ARM.ParameterFiles = append(o.ARM.ParameterFiles, p)
			continue
		}
		maps.Copy(cfn, ps)
	}
	for _, kv := range f.params {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return o, fmt.Errorf("--parameter %q: want NAME=VALUE", kv)
		}
		cfn[k] = v
		if o.ARM.Parameters == nil {
			o.ARM.Parameters = map[string]string{}
		}
		o.ARM.Parameters[k] = v
	}
	if len(cfn) > 0 {
		o.CloudFormation.Parameters = iac.StringParameters(cfn)
	}
	o.Helm.ValuesFiles, o.Helm.Set = f.values, f.set
	o.Helm.Namespace, o.Kubernetes.Namespace = f.namespace, f.namespace
	o.Terraform.VarFiles = f.varFiles
	for _, kv := range f.vars {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return o, fmt.Errorf("--var %q: want NAME=VALUE", kv)
		}
		if o.Terraform.Vars == nil {
			o.Terraform.Vars = map[string]string{}
		}
		o.Terraform.Vars[k] = v
	}
	return o, nil
}

func runIac(cmd *cobra.Command, args []string, f iacFlags) error {
	ro, err := f.readerOptions()
	if err != nil {
		return usageErr(err)
	}
	// The collector's pacing follows the tree's size (iac.Pace: GOGC 50
	// under 1 MiB, 200 under 4 MiB, a soft memory limit under 160 KiB); an
	// explicit GOGC or GOMEMLIMIT wins. docs/iac.md, "Speed and memory".
	_, gogcSet := os.LookupEnv("GOGC")
	_, limitSet := os.LookupEnv("GOMEMLIMIT")
	defer iac.Pace(args, gogcSet, limitSet)()
	opts, failOn, engine, err := f.options(cmd)
	if err != nil {
		return err
	}
	// IaC trees are small next to inventories: the Go runtime's default
	// pacing keeps the peak memory of a CI job lower (1,000 files: 120
	// against 155 MB) for a few per cent more CPU.
	opts.TuneGC = false
	res, err := iac.Scan(cmd.Context(), engine, iac.Options{Paths: args, Readers: iac.Builtin(ro), Scan: opts})
	if err != nil {
		return usageErr(err)
	}
	stderr := cmd.ErrOrStderr()
	var read []string
	for _, r := range iac.Builtin(ro) {
		if n := res.Read[r.Name]; n > 0 {
			read = append(read, fmt.Sprintf("%s %d", r.Name, n))
		}
	}
	fmt.Fprintf(stderr, "vigil: read %s files; %d other files are not IaC inputs\n", strings.Join(read, ", "), len(res.Unrecognised))
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "vigil: warning:", w)
	}
	for _, w := range res.Inventory.Warnings {
		fmt.Fprintln(stderr, "vigil: warning:", w.Error())
	}
	return f.finish(cmd, res.Report, res.Inventory.Errors, failOn)
}
