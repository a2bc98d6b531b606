package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/findings/load"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/suppress"
)

type complianceFlags struct {
	format, out, now, suppressions, attestations, governance string
	providers, ruleDirs, catalogues, providerFindings        []string
	list, noIdentity                                         bool
}

func newComplianceCmd() *cobra.Command {
	var f complianceFlags
	cmd := &cobra.Command{
		Use:   "compliance FRAMEWORK PATH... | compliance --list",
		Short: "Write a per-framework compliance report with the evidence of every control (HTML or JSON)",
		Long: `Scan cloud inventory exports as vigil scan does and write one framework's compliance report: every control
with its status (PASSED, FAILED, NOT_EVALUATED, NOT_COVERED, MANUAL), its score (passed / checked resources),
and its evidence: the rules that evidence it, the resources they checked per cloud, which failed (resource,
cloud, account, region), by which rule, at the scan time. Controls no rule covers are NOT_COVERED and never
counted as passed; an attestation file (--attestations) records manual controls: who attested, when, until when.

vigil ships the control lists of SOC 2, ISO/IEC 27001:2022 Annex A, GDPR, HIPAA, PCI DSS 4.0, NIST SP 800-53 r5
and NIST CSF 2.0 (vigil compliance --list). The CIS benchmarks are licensed: give their control list with
--catalogue FILE (cis_<version>_<aws|azure|gcp>.tsv); without it a CIS report lists only the controls rules map to.

Exit status: 0 report written; 2 usage error, unknown framework, a bad attestation file, or an input that
could not be read (the rest is still reported).`,
		Example: `  vigil compliance --list
  vigil compliance soc2 examples/org --out soc2.html
  vigil compliance nist-csf-2.0 examples/org --format json --out csf.json
  vigil compliance cis-aws-7.0 exports/ --catalogue cis_7.0_aws.tsv --attestations attestations.yaml
  vigil compliance iso27001-2022 exports/ --provider azure,gcp`,
		RunE: func(cmd *cobra.Command, args []string) error { return runCompliance(cmd, args, f) },
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.list, "list", false, "list the frameworks and their control catalogues")
	fl.StringVarP(&f.format, "format", "f", "html", "output format: html or json")
	fl.StringVarP(&f.out, "out", "o", "", "write the report to FILE instead of stdout")
	fl.StringVar(&f.attestations, "attestations", "", "YAML attestation file for manual controls")
	fl.StringVar(&f.governance, "governance", "", "governance policy (YAML; docs/governance.md): evidence the data classification, residency and tagging controls with the governance rules")
	fl.StringArrayVar(&f.catalogues, "catalogue", nil, "CIS control list (TSV), for the CIS benchmarks vigil does not ship (repeatable)")
	fl.StringSliceVar(&f.providers, "provider", nil, "only these clouds: aws, azure, gcp (repeatable or comma-separated)")
	fl.StringVar(&f.suppressions, "suppressions", "", "YAML suppressions file (suppressed failures are shown as accepted, not passed)")
	fl.StringArrayVar(&f.ruleDirs, "rules", nil, "directory of custom Rego rules, evaluated with the built-in ones (repeatable)")
	fl.StringArrayVar(&f.providerFindings, "provider-findings", nil, "the clouds' own findings (Security Hub, Security Command Center exports, as vigil findings import reads): their control checks mapped to this framework count as evidence beside vigil's rules (repeatable)")
	fl.StringVar(&f.now, "now", "", "evaluate as of this time (RFC 3339 or YYYY-MM-DD): key ages, suppression and attestation expiry")
	fl.BoolVar(&f.noIdentity, "no-identity", false, "leave out the identity analysis (privilege-escalation and attack paths)")
	return cmd
}

func runCompliance(cmd *cobra.Command, args []string, f complianceFlags) error {
	if f.list {
		if len(args) > 0 {
			return usageErr(errors.New("--list takes no arguments"))
		}
		return listFrameworks(cmd.OutOrStdout())
	}
	if len(args) == 0 {
		return usageErr(fmt.Errorf("give a FRAMEWORK (one of %s) and PATHs to scan", strings.Join(compliance.FrameworkKeys(), ", ")))
	}
	fw := strings.ToLower(args[0])
	if !compliance.KnownFramework(fw) {
		return usageErr(fmt.Errorf("unknown framework %q (known: %s)", args[0], strings.Join(compliance.FrameworkKeys(), ", ")))
	}
	paths := args[1:]
	if len(paths) == 0 {
		return usageErr(errors.New("give one or more PATHs to scan"))
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return usageErr(err)
		}
	}
	if !slices.Contains(compliance.Formats, f.format) {
		return usageErr(fmt.Errorf("unknown --format %q (want html or json)", f.format))
	}
	opts := scan.Options{TuneGC: true, Paths: paths, Identity: !f.noIdentity}
	var provs []resource.Provider
	for _, p := range f.providers {
		p = strings.ToLower(strings.TrimSpace(p))
		if p != "aws" && p != "azure" && p != "gcp" {
			return usageErr(fmt.Errorf("--provider %q: want aws, azure or gcp", p))
		}
		provs = append(provs, resource.Provider(p))
		opts.Filter.Providers = append(opts.Filter.Providers, p)
	}
	var err error
	if f.now != "" {
		if opts.Now, err = parseTime(f.now); err != nil {
			return usageErr(fmt.Errorf("--now: %w", err))
		}
	}
	if f.suppressions != "" {
		if opts.Suppressions, err = suppress.Load(f.suppressions); err != nil {
			return usageErr(err)
		}
	}
	var cat *compliance.Catalogue
	catSource := ""
	var given []*compliance.Catalogue
	for _, c := range f.catalogues {
		lc, err := compliance.LoadCatalogue(c)
		if err != nil {
			return usageErr(err)
		}
		given = append(given, lc)
		if lc.Framework == fw {
			cat, catSource = lc, c+" (given with --catalogue)"
		}
	}
	if cat == nil {
		if cat, err = compliance.BuiltinCatalogue(fw); err != nil {
			return err
		}
		for _, fi := range compliance.Frameworks() {
			if fi.Key == fw {
				catSource = fi.Source
			}
		}
	}
	var atts *compliance.Attestations
	if f.attestations != "" {
		if atts, err = compliance.LoadAttestations(f.attestations); err != nil {
			return usageErr(err)
		}
	}
	srcs, err := ruleSources(f.ruleDirs)
	if err != nil {
		return err
	}
	engine, gov, err := newEngine(cmd.Context(), srcs, f.governance)
	if err != nil {
		return usageErr(err)
	}
	opts.Governance = gov
	res, err := scan.Run(cmd.Context(), engine, opts)
	if err != nil {
		return err
	}
	if len(res.Inventory.Resources) == 0 {
		for _, ie := range res.Inventory.Errors {
			fmt.Fprintln(cmd.ErrOrStderr(), "vigil: input error:", ie.Error())
		}
		return usageErr(fmt.Errorf("no cloud resources found in %s: nothing to report", strings.Join(paths, ", ")))
	}
	if len(f.providerFindings) > 0 {
		if err := addProviderControls(cmd, f.providerFindings, provs, res); err != nil {
			return err
		}
	}
	if err := atts.Validate(res.Report.Rules, given...); err != nil {
		return usageErr(err)
	}
	rep := compliance.Build(fw, res.Report.Rules, res.Report.Findings, compliance.Options{
		Catalogue: cat, CatalogueSource: catSource, Providers: provs, Attestations: atts,
		Now: res.Report.GeneratedAt, Version: buildVersion(), Inputs: paths,
	})
	return writeCompliance(cmd, f, rep, res)
}

// addProviderControls reads the clouds' own findings, joins them to the
// scanned inventory and adds those mapped to framework controls to the
// scan's findings and rules (findings.ComplianceFindings).
func addProviderControls(cmd *cobra.Command, paths []string, provs []resource.Provider, res *scan.Result) error {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return usageErr(fmt.Errorf("--provider-findings: %w", err))
		}
	}
	lr, err := load.Files(cmd.Context(), paths, load.WithoutRaw())
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	for _, p := range lr.Problems {
		fmt.Fprintln(stderr, "vigil: input error:", p.Error())
	}
	if len(lr.Findings) == 0 {
		return nothing("--provider-findings: no findings of a known format in %s", strings.Join(paths, ", "))
	}
	findings.Join(lr.Findings, res.Inventory.Resources)
	fs, rules := findings.ComplianceFindings(lr.Findings)
	n := 0
	for _, f := range fs {
		if len(provs) == 0 || slices.Contains(provs, f.Resource.Provider) {
			res.Report.Findings = append(res.Report.Findings, f)
			n++
		}
	}
	res.Report.Rules = append(res.Report.Rules, rules...)
	fmt.Fprintf(stderr, "vigil: %d provider finding(s) read, %d mapped to framework controls (%d provider controls)\n", len(lr.Findings), n, len(rules))
	return nil
}

func writeCompliance(cmd *cobra.Command, f complianceFlags, rep *compliance.Report, res *scan.Result) error {
	if err := writeTo(cmd, f.out, func(w io.Writer) error { return compliance.Write(cmd.Context(), w, f.format, rep) }); err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	s := rep.Summary
	fmt.Fprintf(stderr, "vigil: %s: %d controls: %d passed, %d failed, %d not evaluated, %d not covered, %d manual; score %s\n",
		rep.Framework, s.Controls, s.Passed, s.Failed, s.NotEvaluated, s.NotCovered, s.Manual, fmtScore(s.Score))
	if rep.Note != "" {
		fmt.Fprintln(stderr, "vigil:", rep.Note)
	}
	for _, ie := range res.Inventory.Errors {
		fmt.Fprintln(stderr, "vigil: input error:", ie.Error())
	}
	if n := len(res.Inventory.Errors); n > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("%d input(s) could not be read; the rest was reported", n)}
	}
	return nil
}

func fmtScore(s *float64) string {
	if s == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", *s)
}

func listFrameworks(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FRAMEWORK\tCONTROLS\tNAME\tCATALOGUE")
	for _, fi := range compliance.Frameworks() {
		n, src := fmt.Sprint(fi.Controls), fi.Source
		if !fi.Builtin {
			n, src = "-", "not shipped: only the controls rules map to are listed (CIS: give the benchmark's list with --catalogue)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", fi.Key, n, fi.Name, src)
	}
	return tw.Flush()
}
