package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/synth"
)

func newBenchCmd() *cobra.Command {
	var n int
	var format, cpuProfile, mix string
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure scan throughput: import + all built-in rules over a synthetic inventory",
		Long: `Generate a synthetic multi-cloud inventory in the clouds' native export formats (AWS Config snapshots,
Azure Resource Graph results, GCP Cloud Asset NDJSON) in a temporary directory, then import it and evaluate the
whole built-in rule pack, and print resources per second and peak memory. The default mix is realistic: about
half the resources are of types no built-in rule evaluates (network interfaces, subnets, route tables, disks...);
--mix rule-heavy makes every resource one that rules evaluate.`,
		Example: `  vigil bench
  vigil bench --resources 100000 --format json
  vigil bench --mix rule-heavy`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			srcs, err := ruleSources(nil)
			if err != nil {
				return err
			}
			e, err := policy.New(ctx, srcs)
			if err != nil {
				return err
			}
			dir, err := os.MkdirTemp("", "vigil-bench-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			if cpuProfile != "" {
				f, err := os.Create(cpuProfile)
				if err != nil {
					return usageErr(err)
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			var m synth.Mix
			switch mix {
			case "realistic":
				m = synth.Realistic
			case "rule-heavy":
				m = synth.RuleHeavy
			default:
				return usageErr(fmt.Errorf("unknown --mix %q (want realistic or rule-heavy)", mix))
			}
			res, err := scan.Bench(ctx, e, dir, n, m)
			if err != nil {
				return err
			}
			if format == "json" {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(res)
			}
			_, err = fmt.Fprintln(cmd.OutOrStdout(), res)
			return err
		},
	}
	cmd.Flags().IntVar(&n, "resources", 100_000, "number of synthetic resources")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().StringVar(&mix, "mix", "realistic", "resource mix: realistic (about half the resources of types no rule evaluates, as in real inventories) or rule-heavy (every resource evaluated by rules: the worst case)")
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a Go CPU profile of the run to FILE (for go tool pprof)")
	return cmd
}
