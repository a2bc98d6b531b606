package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/identity/unused"
	"github.com/vigil-sec/vigil/internal/lake"
	"github.com/vigil-sec/vigil/internal/resource"
)

func newUnusedCmd() *cobra.Command {
	var format, dir, since, now string
	cmd := &cobra.Command{
		Use:   "unused PATH...",
		Short: "Principals and permissions the audit logs in the lake show unused",
		Long: `Read the audit logs in the lake (vigil logs ingest) and say, for the principals of the inventory: which were
not seen acting in the window (with what they hold and their last use if older), which permissions the principals
seen did not use (AWS: the actions their identity policies grant, by service; Azure: role assignments; GCP:
bindings), and which administrators did not use their rights (not seen, or only read).

Events map onto principals by the actor (AWS user ARNs, assumed-role sessions to their role, root; Entra object
IDs and user principal names; GCP principal emails) and onto permissions by the operation (CloudTrail event
source and name to the IAM action of the catalog; the Azure Activity Log operation, which is the RBAC action; GCP
authorizationInfo permissions, or the documented permission of the method). Operations with no known permission
are listed as unmapped, never guessed. A principal whose accounts have no logs in the window is "no_logs", never
unused; the window the logs actually cover is printed.

Exit status: 0 answered; 2 usage error, an input that could not be read, no lake, or a lake with no event of any
account of the inventory in the window (the accounts it holds are named).`,
		Example: `  vigil logs ingest --lake /data/lake AWSLogs/ insights-activity-logs/ gcp-audit/
  vigil identity unused --lake /data/lake examples/org
  vigil identity unused --lake /data/lake --since 30d --format json examples/org`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, unused.Formats...); err != nil {
				return err
			}
			var o unused.Options
			var err error
			if o.Since, err = unused.ParseSince(since); err != nil {
				return usageErr(fmt.Errorf("--since: %w", err))
			}
			if now != "" {
				if o.Now, err = parseTime(now); err != nil {
					return usageErr(fmt.Errorf("--now: %w", err))
				}
			}
			g, inErr, err := loadGraph(cmd, args)
			if err != nil {
				return err
			}
			rep, err := unused.FromLake(cmd.Context(), g, dir, o)
			if errors.Is(err, unused.ErrNoLogs) {
				return errors.Join(usageErr(err), inErr)
			}
			if err != nil {
				return err
			}
			for _, c := range rep.NoLogs {
				fmt.Fprintf(cmd.ErrOrStderr(), "vigil: identity unused: %s %s has no logs in the window: its principals are not judged\n", c.Provider, c.Account)
			}
			if err := unused.Write(cmd.OutOrStdout(), format, rep); err != nil {
				return err
			}
			return inErr
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, json")
	cmd.Flags().StringVar(&dir, "lake", lake.DefaultDir, "lake directory")
	cmd.Flags().StringVar(&since, "since", "90d", "window before now: days (90d), weeks (12w) or a Go duration")
	cmd.Flags().StringVar(&now, "now", "", "end of the window (RFC 3339 or YYYY-MM-DD) instead of now")
	return cmd
}

// unusedFindings returns the scan hook that adds vigil identity unused's
// findings from the lake at dir over the window since before now.
func unusedFindings(dir, since string, now time.Time) (func(context.Context, []*resource.Resource) ([]finding.Finding, []finding.RuleInfo, error), error) {
	d, err := unused.ParseSince(since)
	if err != nil {
		return nil, usageErr(fmt.Errorf("--since: %w", err))
	}
	return func(ctx context.Context, rs []*resource.Resource) ([]finding.Finding, []finding.RuleInfo, error) {
		g, err := graph.Build(ctx, rs, graph.Options{})
		if err != nil {
			return nil, nil, fmt.Errorf("identity graph: %w", err)
		}
		rep, err := unused.FromLake(ctx, g, dir, unused.Options{Since: d, Now: now})
		if err != nil {
			return nil, nil, fmt.Errorf("--lake: %w", err)
		}
		return unused.Findings(g, rep), unused.Rules(), nil
	}, nil
}
