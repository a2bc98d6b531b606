package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/detect"
	"github.com/vigil-sec/vigil/internal/detect/attack"
)

func newDetectCoverageCmd() *cobra.Command {
	var (
		ruleDirs  []string
		format    string
		noBuiltin bool
	)
	cmd := &cobra.Command{
		Use:   "coverage [--rules DIR]... [--format table|json]",
		Short: "Report the MITRE ATT&CK techniques the loaded detections cover, per log source and cloud platform",
		Long: `coverage loads vigil's built-in detections and every rule and correlation
under each --rules folder, reads their attack.tNNNN tags, and reports:

  - per log source (aws cloudtrail, azure activity, entra signin, entra audit,
    gcp audit, google workspace, m365 audit), the techniques its rules tag;
  - per ATT&CK cloud platform (IaaS, Identity Provider, Office Suite, SaaS),
    the techniques no rule covers, and the percentage covered (by all loaded
    rules and by the built-in ones alone), and the same for IaaS and
    Identity Provider together;
  - technique tags that the shipped ATT&CK list does not hold (a typo, an id
    of another ATT&CK version, or a technique of another platform).

Sub-techniques roll up into their parent where the parent is listed on the
same platform (see docs/detect.md, "ATT&CK coverage"). The ATT&CK version and
source of the shipped technique list are printed with the report.

Exit status: 0 with a report; 2 when no rule could be loaded or for usage errors.`,
		Example: `  vigil detect coverage
  vigil detect coverage --rules sigma/rules/cloud --format json > coverage.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "table" && format != "json" {
				return usageErr(fmt.Errorf("--format: want table or json, not %q", format))
			}
			for _, d := range ruleDirs {
				if st, err := os.Stat(d); err != nil || !st.IsDir() {
					return usageErr(fmt.Errorf("--rules %s: not a readable directory", d))
				}
			}
			cat, err := attack.Load()
			if err != nil {
				return fmt.Errorf("ATT&CK technique list: %w", err)
			}
			rules, errs := detect.LoadCoverageRules(cmd.Context(), ruleDirs, noBuiltin)
			stderr := cmd.ErrOrStderr()
			for _, le := range errs {
				fmt.Fprintf(stderr, "vigil: rule not loaded: %s\n", le.Error())
			}
			if len(rules) == 0 {
				return usageErr(errors.New("no rule loaded: nothing to report"))
			}
			rep := detect.Coverage(cat, rules)
			if format == "json" {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			return rep.WriteTable(cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&ruleDirs, "rules", nil, "folder of Sigma rules and correlations (repeatable)")
	f.StringVar(&format, "format", "table", "table or json")
	f.BoolVar(&noBuiltin, "no-builtin", false, "leave vigil's built-in detections out")
	return cmd
}
