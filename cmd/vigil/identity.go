package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/identity/escalate"
	"github.com/vigil-sec/vigil/internal/identity/graph"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/source"
)

func newIdentityCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "identity",
		Short: "Who can do what across AWS, Azure/Entra ID and GCP, and who can make themselves admin",
		Long: `Build the entitlement graph of the exports (the same inputs as vigil scan: AWS Config and IAM exports, the
AWS Organizations and Entra ID files, Azure Resource Graph, GCP Cloud Asset Inventory) and answer from the three
clouds' policy evaluators: who may perform an action on a resource, what a principal may do, and the
privilege-escalation paths, across principals, accounts and clouds through trust and federation.

Exit status: 0 answered; 2 usage error, nothing matched (said on stderr), or an input that could not be read.`,
	}
	cmd.AddCommand(newWhoCanCmd(), newWhatCanCmd(), newPathsCmd(), newAdminsCmd(), newUnusedCmd())
	return cmd
}

// loadGraph reads the exports and builds the graph; input problems are
// printed and returned as an error to report after the answer.
func loadGraph(cmd *cobra.Command, paths []string) (*graph.Graph, error, error) {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return nil, nil, usageErr(err)
		}
	}
	ctx := cmd.Context()
	inv, err := importer.Load(ctx, paths)
	if err != nil {
		return nil, nil, err
	}
	g, err := graph.Build(ctx, inv.Resources, graph.Options{})
	if err != nil {
		return nil, nil, err
	}
	for _, p := range g.Problems {
		fmt.Fprintln(cmd.ErrOrStderr(), "vigil: identity:", p)
	}
	return g, inputProblems(cmd, inv.Errors), nil
}

func inputProblems(cmd *cobra.Command, errs []source.Problem) error {
	for _, ie := range errs {
		fmt.Fprintln(cmd.ErrOrStderr(), "vigil: input error:", ie.Error())
	}
	if n := len(errs); n > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("%d input(s) could not be read; the rest was used", n)}
	}
	return nil
}

func nothing(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

func checkFormat(f string, allowed ...string) error {
	if !slices.Contains(allowed, f) {
		return usageErr(fmt.Errorf("unknown --format %q (want one of %s)", f, strings.Join(allowed, ", ")))
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func newWhoCanCmd() *cobra.Command {
	var format string
	var data bool
	cmd := &cobra.Command{
		Use:   "who-can ACTION RESOURCE PATH...",
		Short: "List the principals that may perform ACTION on RESOURCE",
		Example: `  vigil identity who-can s3:GetObject arn:aws:s3:::nw-prod-data/report.csv examples/org
  vigil identity who-can Microsoft.Compute/virtualMachines/write /subscriptions/SUB/resourceGroups/rg examples/org
  vigil identity who-can storage.objects.get //storage.googleapis.com/nw-raw examples/org --format json`,
		Args: cobra.MinimumNArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			if _, err := graph.ProviderOf(args[0], args[1]); err != nil {
				return usageErr(err)
			}
			g, inErr, err := loadGraph(cmd, args[2:])
			if err != nil {
				return err
			}
			hs, err := g.WhoCan(args[0], args[1], data)
			if err != nil {
				return usageErr(err)
			}
			if len(hs) == 0 {
				return errors.Join(nothing("no principal may perform %s on %s", args[0], args[1]), inErr)
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				if err := writeJSON(out, hs); err != nil {
					return err
				}
				return inErr
			}
			tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "PRINCIPAL\tKIND\tRESULT\tBY")
			for _, h := range hs {
				by := strings.Join(h.Grants, "; ")
				if h.Reason != "" {
					by += " (" + h.Reason + ")"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", h.Principal, h.Kind, h.Result, by)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			return inErr
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, json")
	cmd.Flags().BoolVar(&data, "data", false, "Azure: ACTION is a data action")
	return cmd
}

func newWhatCanCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "what-can PRINCIPAL PATH...",
		Short: "List what PRINCIPAL may do, and whom it can become through trust",
		Long: `PRINCIPAL is an AWS ARN, an Entra object ID or resource ID, a GCP member (user:EMAIL, serviceAccount:EMAIL),
or a name that ends a single principal's ID (alice.nguyen, sa-etl@nw-analytics-prod.iam.gserviceaccount.com).`,
		Example: `  vigil identity what-can arn:aws:iam::111122223333:user/alice.nguyen examples/org
  vigil identity what-can serviceAccount:sa-etl@nw-analytics-prod.iam.gserviceaccount.com examples/org --format json`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			g, inErr, err := loadGraph(cmd, args[1:])
			if err != nil {
				return err
			}
			n, err := onePrincipal(g, args[0])
			if err != nil {
				return errors.Join(err, inErr)
			}
			acc, err := g.WhatCan(n.ID)
			if err != nil {
				return errors.Join(nothing("%v", err), inErr)
			}
			trust := g.Out(n.ID)
			if len(acc) == 0 && len(trust) == 0 {
				return errors.Join(nothing("%s holds no permission and trusts lead nowhere", n.ID), inErr)
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				edges := make([]any, len(trust))
				for i, e := range trust {
					edges[i] = e.JSON()
				}
				if err := writeJSON(out, map[string]any{"principal": n, "access": acc, "reaches": edges}); err != nil {
					return err
				}
				return inErr
			}
			fmt.Fprintf(out, "%s (%s)\n", n.ID, n.Kind)
			if len(acc) > 0 {
				tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ACTION/ROLE\tSCOPE\tRESULT\tBY")
				for _, a := range acc {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Action, a.Scope, a.Result, a.Grant)
				}
				if err := tw.Flush(); err != nil {
					return err
				}
			}
			if len(trust) > 0 {
				fmt.Fprintln(out, "reaches:")
				for _, e := range trust {
					fmt.Fprintf(out, "  %s %s %s (%s) by %s\n", e.Kind, e.Action, e.To, e.Result, e.Grant)
				}
			}
			return inErr
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, json")
	return cmd
}

// onePrincipal resolves a user's query to exactly one node.
func onePrincipal(g *graph.Graph, q string) (*graph.Node, error) {
	ns := g.Find(q)
	switch len(ns) {
	case 0:
		return nil, nothing("no principal %q in the inventory", q)
	case 1:
		return ns[0], nil
	}
	ids := make([]string, len(ns))
	for i, n := range ns {
		ids[i] = n.ID
	}
	return nil, usageErr(fmt.Errorf("%q names %d principals, give one ID: %s", q, len(ns), strings.Join(ids, ", ")))
}

func newPathsCmd() *cobra.Command {
	var format, to, from string
	var maxSteps int
	cmd := &cobra.Command{
		Use:   "paths PATH...",
		Short: "Privilege-escalation paths to admin (or to --to PRINCIPAL), across accounts and clouds",
		Long: `Each path is the shortest way for a principal that is not already the target's admin to reach it, one step
after another, each step naming the method (aws-create-policy-version, azure-role-assignment-write,
gcp-actas-compute, ...) and the grant that allows it. A step exists only when the cloud's evaluator allows it;
a step that depends on a condition makes the path conditional; uncertain or blocked steps (explicit deny,
permissions boundary, SCP, deny assignment, GCP deny policy) are never used.`,
		Example: `  vigil identity paths examples/org
  vigil identity paths examples/org --to admin --format dot | dot -Tsvg > paths.svg
  vigil identity paths examples/org --to arn:aws:iam::111122223333:role/OrganizationAccountAccessRole --format mermaid`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, escalate.Formats...); err != nil {
				return err
			}
			g, inErr, err := loadGraph(cmd, args)
			if err != nil {
				return err
			}
			var o escalate.Options
			o.MaxSteps = maxSteps
			if to != "admin" && to != "" {
				n, err := onePrincipal(g, to)
				if err != nil {
					return errors.Join(err, inErr)
				}
				o.To = []string{n.ID}
			}
			a, err := escalate.Analyze(cmd.Context(), g)
			if err != nil {
				return err
			}
			ps, err := a.Paths(cmd.Context(), o)
			if err != nil {
				return err
			}
			if from != "" {
				n, err := onePrincipal(g, from)
				if err != nil {
					return errors.Join(err, inErr)
				}
				ps = slices.DeleteFunc(ps, func(p escalate.Path) bool { return !strings.EqualFold(p.Principal, n.ID) })
			}
			if len(ps) == 0 {
				return errors.Join(nothing("no escalation path to %s", to), inErr)
			}
			if err := escalate.Write(cmd.OutOrStdout(), format, ps); err != nil {
				return err
			}
			return inErr
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: "+strings.Join(escalate.Formats, ", "))
	cmd.Flags().StringVar(&to, "to", "admin", "target: admin (every account, subscription, tenant, project, folder, organization) or a principal")
	cmd.Flags().StringVar(&from, "from", "", "only the paths of this principal")
	cmd.Flags().IntVar(&maxSteps, "max-steps", 8, "longest path searched")
	return cmd
}

func newAdminsCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "admins PATH...",
		Short: "List the effective administrators of every AWS account, Azure subscription and tenant, GCP project, folder and organization",
		Example: `  vigil identity admins examples/org
  vigil identity admins examples/org --format json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			g, inErr, err := loadGraph(cmd, args)
			if err != nil {
				return err
			}
			as := g.Admins()
			if len(as) == 0 {
				return errors.Join(nothing("no administrator found in the inventory"), inErr)
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				if err := writeJSON(out, as); err != nil {
					return err
				}
				return inErr
			}
			for _, a := range as {
				fmt.Fprintf(out, "%s (%s)\n", a.Target.ID, a.Target.Name)
				for _, h := range a.Holders {
					fmt.Fprintf(out, "  %s  %s  %s\n", h.Principal, h.Result, strings.Join(h.Grants, "; "))
				}
			}
			return inErr
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, json")
	return cmd
}
