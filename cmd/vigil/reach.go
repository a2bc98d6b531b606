package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/resource"
)

func newReachCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reach",
		Short: "Network reachability: what is really exposed to the internet",
		Long: `Compute, from cloud inventory exports, which resources are reachable from any address of the
internet, on which protocol and port, and through which path: every hop named with the route, the
network ACL or NSG rule, the security group or firewall rule, or the load-balancer listener that lets
the traffic through (see docs/reach.md for each cloud's semantics).`,
	}
	cmd.AddCommand(newReachExposedCmd())
	return cmd
}

func newReachExposedCmd() *cobra.Command {
	var format string
	var undecided bool
	cmd := &cobra.Command{
		Use:   "exposed PATH...",
		Short: "List the resources reachable from the internet, with the path of each",
		Long: `Read cloud inventory exports as vigil scan does and list every compute instance, load balancer
and load-balancer target reachable from the internet: one row per protocol and port range, with the
hops that let it through. An open security group on an instance without a route to an internet
gateway, behind a network ACL that denies the port, or without a public IP is not listed. What the
inventory does not tell (a route table or network ACL not exported) is undecided, never exposed or
safe: --undecided lists those resources with the reason.

Exit status: 0 list written (possibly empty); 2 usage error, an inventory without compute instances
or load balancers, or an input that could not be read (the rest is still shown).`,
		Example: `  vigil reach exposed examples/org
  vigil reach exposed exports/ --undecided
  vigil reach exposed exports/ --format json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runReachExposed(cmd, args, format, undecided) },
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table or json")
	cmd.Flags().BoolVar(&undecided, "undecided", false, "also list the resources whose exposure cannot be decided, with the reason")
	return cmd
}

// reachRow is one resource's exposure in the output.
type reachRow struct {
	Resource  resource.Ref            `json:"resource"`
	Paths     []resource.ExposurePath `json:"paths,omitempty"`
	Undecided []string                `json:"undecided,omitempty"`
}

type reachReport struct {
	Exposed   []reachRow `json:"exposed"`
	Undecided []reachRow `json:"undecided,omitempty"`
	Summary   struct {
		Evaluated int `json:"evaluated"`
		Exposed   int `json:"exposed"`
		NotExpose int `json:"not_exposed"`
		Undecided int `json:"undecided"`
	} `json:"summary"`
}

func runReachExposed(cmd *cobra.Command, paths []string, format string, listUndecided bool) error {
	if format != "table" && format != "json" {
		return usageErr(fmt.Errorf("unknown --format %q (want table or json)", format))
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return usageErr(err)
		}
	}
	inv, err := inventory.Collect(cmd.Context(), importer.Files(paths, importer.WithLogger(slog.Default())))
	if err != nil {
		return fmt.Errorf("importing: %w", err)
	}
	stderr := cmd.ErrOrStderr()
	for _, ie := range inv.Errors {
		fmt.Fprintln(stderr, "vigil: input error:", ie.Error())
	}
	rep := reachReport{Exposed: []reachRow{}}
	for _, r := range inv.Resources {
		e := r.Facts.Exposure
		if e == nil || r.Facts.Firewall != nil { // a firewall's exposure names what it lets through
			continue
		}
		rep.Summary.Evaluated++
		switch {
		case e.Internet == nil:
			rep.Summary.Undecided++
			if listUndecided {
				rep.Undecided = append(rep.Undecided, reachRow{Resource: r.Ref(), Undecided: e.Undecided})
			}
		case *e.Internet:
			rep.Summary.Exposed++
			rep.Exposed = append(rep.Exposed, reachRow{Resource: r.Ref(), Paths: e.Paths})
		default:
			rep.Summary.NotExpose++
		}
	}
	if rep.Summary.Evaluated == 0 {
		return &exitError{code: exitUsage, err: errors.New("no compute instance or load balancer in the inventory: nothing to decide")}
	}
	out := cmd.OutOrStdout()
	if format == "json" {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := writeReachTable(out, rep); err != nil {
		return err
	}
	s := rep.Summary
	fmt.Fprintf(stderr, "%d resources evaluated: %d exposed, %d not exposed, %d undecided%s\n", s.Evaluated, s.Exposed, s.NotExpose, s.Undecided,
		map[bool]string{true: " (--undecided lists why)", false: ""}[s.Undecided > 0 && !listUndecided])
	if n := len(inv.Errors); n > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("%d input(s) could not be read; the rest was shown", n)}
	}
	return nil
}

func writeReachTable(w io.Writer, rep reachReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESOURCE\tCLOUD\tACCOUNT\tPROTOCOL/PORT\tPATH")
	for _, row := range rep.Exposed {
		for _, p := range row.Paths {
			ports := fmt.Sprint(p.FromPort)
			if p.ToPort != p.FromPort {
				ports += "-" + fmt.Sprint(p.ToPort)
			}
			if p.Protocol == "icmp" {
				ports = "*"
			}
			if p.Family == "ipv6" {
				ports += " (IPv6)"
			}
			hops := make([]string, 0, len(p.Hops))
			for _, h := range p.Hops {
				hops = append(hops, h.Allows)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s/%s\t%s\n", row.Resource.ID, row.Resource.Provider, row.Resource.Account, p.Protocol, ports, strings.Join(hops, " > "))
		}
	}
	for _, row := range rep.Undecided {
		fmt.Fprintf(tw, "%s\t%s\t%s\tundecided\t%s\n", row.Resource.ID, row.Resource.Provider, row.Resource.Account, strings.Join(row.Undecided, "; "))
	}
	return tw.Flush()
}
