package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/scan"
)

func newBenchCmd() *cobra.Command {
	var n int
	var format string
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure scan throughput: import + all built-in rules over a synthetic inventory",
		Long: `Generate a synthetic multi-cloud inventory in the clouds' native export formats (AWS Config snapshots,
Azure Resource Graph results, GCP Cloud Asset NDJSON) in a temporary directory, then import it and evaluate the
whole built-in rule pack, and print resources per second and peak memory.`,
		Example: `  vigil bench
  vigil bench --resources 100000 --format json`,
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
			dir, cleanup, err := scan.TempDir()
			if err != nil {
				return err
			}
			defer cleanup()
			res, err := scan.Bench(ctx, e, dir, n)
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
	return cmd
}
