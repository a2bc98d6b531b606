package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/rules"
)

// ruleSources is the built-in pack plus every --rules directory.
func ruleSources(dirs []string) ([]policy.Source, error) {
	srcs := []policy.Source{{FS: rules.FS(), Name: "builtin", Builtin: true}}
	for _, d := range dirs {
		st, err := os.Stat(d)
		if err != nil {
			return nil, usageErr(fmt.Errorf("--rules %s: %w", d, err))
		}
		if !st.IsDir() {
			return nil, usageErr(fmt.Errorf("--rules %s: not a directory", d))
		}
		srcs = append(srcs, policy.DirSource(d))
	}
	return srcs, nil
}

func newRulesCmd() *cobra.Command {
	var dirs []string
	var format string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the built-in and custom posture rules",
		Long: `List every posture rule vigil evaluates: the built-in pack and the custom packs given
with --rules, with severity, providers and framework references. The governance rules (category
governance) are evaluated only with a governance policy (vigil scan --governance FILE).`,
		Example: `  vigil rules
  vigil rules --rules ./my-rules --format json
  vigil rules test ./my-rules`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			srcs, err := ruleSources(dirs)
			if err != nil {
				return err
			}
			// Every rule, the opt-in sets' too (the governance rules, which a
			// scan evaluates only with --governance).
			e, err := policy.New(cmd.Context(), srcs, policy.AllOptIn())
			if err != nil {
				return usageErr(err)
			}
			return writeRules(cmd.OutOrStdout(), format, e.Rules())
		},
	}
	cmd.Flags().StringArrayVar(&dirs, "rules", nil, "directory of custom Rego rules (repeatable)")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	cmd.AddCommand(newRulesTestCmd())
	return cmd
}

func writeRules(w io.Writer, format string, rs []*policy.Rule) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"rules": rs})
	case "table", "":
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSEVERITY\tPROVIDERS\tCLASS\tSOURCE\tFRAMEWORKS\tTITLE")
		for _, r := range rs {
			src := "builtin"
			if !r.Builtin {
				src = r.File
			}
			var fw []string
			for _, ref := range r.References() {
				fw = append(fw, ref.Framework+":"+ref.Control)
			}
			ps := make([]string, len(r.Providers))
			for i, p := range r.Providers {
				ps[i] = string(p)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, strings.Join(ps, ","), r.Class, src, strings.Join(fw, " "), r.Title)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Fprintf(w, "\n%d rules\n", len(rs))
		return nil
	}
	return usageErr(fmt.Errorf("unknown --format %q (want table or json)", format))
}

func newRulesTestCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "test DIR...",
		Short: "Run a custom rule pack's Rego tests and check each test case through the engine",
		Long: `Run the *_test.rego tests of custom rule packs, as 'opa test' does, then run the input of
every test_fail_*, test_pass_* and test_unknown_* assertion ("r1" in rule.fail with input as ...,
or its negation) through the real engine with that rule, and check the resource gets FAIL,
PASS or UNKNOWN as the test's prefix says. Every rule needs at least one test_fail_ and one
test_pass_ test, and a test_unknown_ test when it has custom.requires. The built-in libraries
(data.vigil.lib.*) are available to the tests. Exit status 1 when a check fails.`,
		Example: `  vigil rules test ./my-rules
  vigil rules test ./my-rules --format json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			srcs, err := ruleSources(args)
			if err != nil {
				return err
			}
			rep, err := policy.RunTests(cmd.Context(), srcs, false)
			if err != nil {
				return usageErr(err)
			}
			failed := rep.Failed()
			w := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				if err := enc.Encode(map[string]any{"tests": rep.Tests, "rules": rep.Rules, "failed": failed}); err != nil {
					return err
				}
			} else if err := writeTestReport(w, rep); err != nil {
				return err
			}
			if len(rep.Tests) == 0 {
				return usageErr(fmt.Errorf("no *_test.rego test cases found in %s", strings.Join(args, ", ")))
			}
			if failed > 0 {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

func writeTestReport(w io.Writer, rep *policy.TestReport) error {
	bw := bufio.NewWriter(w)
	passed := 0
	for _, r := range rep.Tests {
		st := "PASS"
		if !r.Pass {
			st = "FAIL"
		} else {
			passed++
		}
		fmt.Fprintf(bw, "%s  %s.%s", st, r.Package, r.Name)
		if len(r.Cases) > 0 {
			var got []string
			for _, c := range r.Cases {
				if c.Got != "" {
					got = append(got, c.Resource+" "+c.Got)
				}
			}
			if len(got) > 0 {
				fmt.Fprintf(bw, "  [engine: %s]", strings.Join(got, ", "))
			}
		}
		if r.Error != "" {
			fmt.Fprintf(bw, "\n      %s: %s", r.File, r.Error)
		}
		if r.CaseError != "" {
			fmt.Fprintf(bw, "\n      %s: %s", r.File, r.CaseError)
		}
		for _, c := range r.Cases {
			if !c.Pass {
				fmt.Fprintf(bw, "\n      %s: %s", r.File, c.Error)
			}
		}
		fmt.Fprintln(bw)
	}
	incomplete := 0
	for _, c := range rep.Rules {
		if len(c.Missing) == 0 {
			continue
		}
		incomplete++
		fmt.Fprintf(bw, "FAIL  rule %s (%s): no %s test asserting on it\n", c.Rule, c.File, strings.Join(c.Missing, ", "))
	}
	fmt.Fprintf(bw, "\nPASS: %d/%d tests; %d/%d rules with fail, pass and unknown cases\n", passed, len(rep.Tests),
		len(rep.Rules)-incomplete, len(rep.Rules))
	return bw.Flush()
}
