package main

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"slices"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/heapsample"
	"github.com/vigil-sec/vigil/internal/report"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/scan"
	"github.com/vigil-sec/vigil/internal/synth"
)

func newBenchCmd() *cobra.Command {
	var n, copies, runs int
	var identity bool
	var format, cpuProfile, memProfile, traceFile, mix, reportFormat, governanceFile string
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure scan throughput: import + all built-in rules + report over a synthetic inventory",
		Long: `Generate a synthetic multi-cloud inventory in the clouds' native export formats (AWS Config snapshots,
Azure Resource Graph results, GCP Cloud Asset NDJSON) in a temporary directory, then scan it as vigil scan does:
import it, evaluate the whole built-in rule pack, build the report and write it (--report, JSON by default, to
nowhere), and print resources per second, peak memory and the evaluation's cost per (rule × resource of the
rule's class). The default mix is realistic: about half the resources are of types no built-in rule evaluates
(network interfaces, subnets, route tables...); --mix rule-heavy makes every resource one that rules evaluate.
--rule-copies N evaluates the built-in pack copied N times (renamed copies) to measure how evaluation scales
with the number of rules.`,
		Example: `  vigil bench
  vigil bench --resources 1000000 --format json
  vigil bench --mix rule-heavy
  vigil bench --rule-copies 8 --report none
  vigil bench --runs 5
  vigil bench --resources 1000000 --cpuprofile cpu.prof --memprofile heap.prof
  vigil bench --runs 1 --trace import.trace
  vigil bench --resources 1000000 --governance examples/org/governance.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			var m synth.Mix
			switch mix {
			case "realistic":
				m = synth.Realistic
			case "rule-heavy":
				m = synth.RuleHeavy
			default:
				return usageErr(fmt.Errorf("unknown --mix %q (want realistic or rule-heavy)", mix))
			}
			if reportFormat == "none" {
				reportFormat = ""
			} else if !slices.Contains(report.Formats, reportFormat) {
				return usageErr(fmt.Errorf("unknown --report %q (want none or one of %v)", reportFormat, report.Formats))
			}
			if copies < 1 {
				return usageErr(fmt.Errorf("--rule-copies must be at least 1"))
			}
			srcs, err := ruleSources(nil)
			if err != nil {
				return err
			}
			if copies > 1 {
				pack, err := scan.CopyPack(rules.FS(), copies)
				if err != nil {
					return err
				}
				srcs[0].FS = pack
			}
			e, gov, err := newEngine(ctx, srcs, governanceFile)
			if err != nil {
				return usageErr(err)
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
			if traceFile != "" {
				f, err := os.Create(traceFile)
				if err != nil {
					return usageErr(err)
				}
				defer f.Close()
				if err := trace.Start(f); err != nil {
					return err
				}
				defer trace.Stop()
			}
			var heap *os.File
			if memProfile != "" {
				if heap, err = os.Create(memProfile); err != nil {
					return usageErr(err)
				}
				defer heap.Close()
				heapsample.On()
			}
			out, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			defer out.Close()
			opts := scan.BenchOptions{Resources: n, Mix: m, Dir: dir, Format: reportFormat, Output: out, Runs: runs, Identity: identity, Governance: gov}
			if heap != nil {
				opts.HeapProfile = heap
			}
			res, err := scan.Bench(ctx, e, opts)
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
	cmd.Flags().StringVar(&reportFormat, "report", "json", "report format written (to "+os.DevNull+") as part of the measured scan, or none")
	cmd.Flags().BoolVar(&identity, "identity", false, "include the identity analysis (privilege-escalation and attack paths) that vigil scan runs by default")
	cmd.Flags().IntVar(&runs, "runs", 1, "scan the inventory N times and report the median run (and every run's rate)")
	cmd.Flags().IntVar(&copies, "rule-copies", 1, "evaluate the built-in pack copied N times (renamed copies): how evaluation scales with the number of rules")
	cmd.Flags().StringVar(&governanceFile, "governance", "", "apply this governance policy and evaluate the governance rules too (as vigil scan --governance)")
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a Go CPU profile of the run to FILE (for go tool pprof)")
	cmd.Flags().StringVar(&traceFile, "trace", "", "write a Go execution trace of the run to FILE (go tool trace; go run ./scripts/traceparallel FILE prints how busy both cores were in each import stage)")
	cmd.Flags().StringVar(&memProfile, "memprofile", "", "write a Go heap profile of the first run to FILE, taken at the collection that found the largest live heap (at the run's end when it collected no garbage: -sample_index=alloc_space then covers the whole run)")
	return cmd
}
