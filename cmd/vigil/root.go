package main

import (
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newRootCmd() *cobra.Command {
	var logLevel string
	root := &cobra.Command{
		Use:   "vigil",
		Short: "Multi-cloud security: posture, IaC, identity, detection and response for AWS, Azure and GCP",
		Long: `vigil gives a security team one consistent view of AWS, Azure and GCP.

  vigil scan examples/org             check a multi-cloud inventory against the built-in rules
  vigil collect --out DIR             collect live AWS, Azure and GCP inventories, read-only
  vigil scan --live                   collect live and scan
  vigil iac infra/                    check Terraform, CloudFormation, ARM, Kubernetes and Helm sources
  vigil rules                         list the built-in and custom rules
  vigil logs ingest PATH...           load audit logs into the embedded lake
  vigil query "SELECT ..."            query audit logs across clouds with SQL
  vigil detect PATH... --rules DIR    run Sigma detections on audit logs
  vigil respond plan --playbooks DIR FINDINGS   plan responses; approve, apply and roll back them
  vigil compliance soc2 examples/org  a per-framework report with evidence per control
  vigil findings import exports/      the clouds' own findings (GuardDuty, Security Hub, Defender, SCC...) in one model
  vigil reach exposed examples/org    what is really reachable from the internet; reach path / from
  vigil drift --iac infra/ --inventory exports/   IaC against the deployed inventory
  vigil history record examples/org   keep scan runs: finding lifecycle, trend; vigil diff RUN_A RUN_B
  vigil serve --scan examples/org     the web dashboard behind authentication
  vigil cost ingest / report          billing exports joined with security`,
		Version:       buildVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			var lvl slog.Level
			if err := lvl.UnmarshalText([]byte(logLevel)); err != nil {
				return usageErr(err)
			}
			slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl})))
			return nil
		},
	}
	root.PersistentFlags().StringVar(&logLevel, "log-level", "warn", "log level: debug, info, warn, error")
	// One line per command; each command lives in its own file.
	root.AddCommand(
		newScanCmd(),
		newIacCmd(),
		newCollectCmd(),
		newRulesCmd(),
		newLogsCmd(),
		newQueryCmd(),
		newDetectCmd(),
		newBenchCmd(),
		newIdentityCmd(),
		newRespondCmd(),
		newComplianceCmd(),
		newResponsibilityCmd(),
		newCostCmd(),
		newFindingsCmd(),
		newReachCmd(),
		newHistoryCmd(), newDiffCmd(),
		newDriftCmd(),
		newServeCmd(),
		newWorkerCmd(),
	)
	return root
}

func usageErr(err error) error { return &exitError{code: exitUsage, err: err} }

// buildVersion is the module version vigil was built at ("dev" for a
// working-tree build).
func buildVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
