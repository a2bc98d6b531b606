package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/diagram"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/reach"
	"github.com/vigil-sec/vigil/internal/resource"
)

func newReachCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reach",
		Short: "Network reachability: what is really exposed, and what reaches what across networks and clouds",
		Long: `Compute, from cloud inventory exports, which resources are reachable from any address of the
internet (exposed), whether one resource can reach another inside a network, across a peering or across
a site-to-site VPN between clouds (path), and what one compromised host can reach (from): on which
protocol and port, and through which path, every hop named with the route, the network ACL or NSG
rule, the security group or firewall rule, the peering, VPN connection or load-balancer listener that
lets the traffic through (see docs/reach.md for each cloud's semantics).`,
	}
	cmd.AddCommand(newReachExposedCmd(), newReachPathCmd(), newReachFromCmd())
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
  vigil reach exposed exports/ --format json
  vigil reach exposed exports/ --format dot | dot -Tsvg > exposed.svg`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runReachExposed(cmd, args, format, undecided) },
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table, json, dot or mermaid")
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
	if err := checkFormat(format, "table", "json", "dot", "mermaid"); err != nil {
		return err
	}
	inv, err := reachInventory(cmd, paths)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
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
	switch format {
	case "json":
		if err := writeJSON(out, rep); err != nil {
			return err
		}
	case "dot", "mermaid":
		g := reach.NewDiagram()
		for _, row := range rep.Exposed {
			reach.DrawExposure(g, row.Resource, row.Paths)
		}
		if err := writeDiagram(out, format, g); err != nil {
			return err
		}
	default:
		if err := writeReachTable(out, rep); err != nil {
			return err
		}
	}
	s := rep.Summary
	fmt.Fprintf(stderr, "%d resources evaluated: %d exposed, %d not exposed, %d undecided%s\n", s.Evaluated, s.Exposed, s.NotExpose, s.Undecided,
		map[bool]string{true: " (--undecided lists why)", false: ""}[s.Undecided > 0 && !listUndecided])
	return inputErrors(inv)
}

func writeReachTable(w io.Writer, rep reachReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESOURCE\tCLOUD\tACCOUNT\tPROTOCOL/PORT\tPATH")
	for _, row := range rep.Exposed {
		for _, p := range row.Paths {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", row.Resource.ID, row.Resource.Provider, row.Resource.Account, portText(p), hopsText(p.Hops))
		}
	}
	for _, row := range rep.Undecided {
		fmt.Fprintf(tw, "%s\t%s\t%s\tundecided\t%s\n", row.Resource.ID, row.Resource.Provider, row.Resource.Account, strings.Join(row.Undecided, "; "))
	}
	return tw.Flush()
}

// reachInventory imports paths (inventory.Collect derives the exposure)
// and reports the inputs that could not be read.
func reachInventory(cmd *cobra.Command, paths []string) (*inventory.Inventory, error) {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return nil, usageErr(err)
		}
	}
	inv, err := inventory.Collect(cmd.Context(), importer.Files(paths, importer.WithLogger(slog.Default())))
	if err != nil {
		return nil, fmt.Errorf("importing: %w", err)
	}
	for _, ie := range inv.Errors {
		fmt.Fprintln(cmd.ErrOrStderr(), "vigil: input error:", ie.Error())
	}
	return inv, nil
}

func inputErrors(inv *inventory.Inventory) error {
	if n := len(inv.Errors); n > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("%d input(s) could not be read; the rest was shown", n)}
	}
	return nil
}

func writeDiagram(w io.Writer, format string, g *diagram.Graph) error {
	if format == "dot" {
		return g.WriteDOT(w)
	}
	return g.WriteMermaid(w)
}

func newReachPathCmd() *cobra.Command {
	var format, port string
	cmd := &cobra.Command{
		Use:   "path SRC DST PATH...",
		Short: "Whether SRC can reach DST, on which ports, hop by hop; or the first hop that denies",
		Long: `Read cloud inventory exports and answer whether SRC can reach DST: inside one network, across a
VPC/VNet/VPC-network peering, or across a site-to-site VPN between clouds (the two ends of a VPN are
matched by their public addresses). SRC and DST are resource IDs, names, private addresses, or
"internet". The answer is reachable (each protocol/port range with every hop that lets it through:
egress rules, routes, peering or VPN, network ACL, security group, NSG or firewall rule, and the
route back), denied (the first hop that stops it and why), or undecided (what the inventory lacks).

Exit status: 0 answer written (reachable, denied or undecided); 2 usage error, SRC or DST naming no
resource (or several), or an input that could not be read.`,
		Example: `  vigil reach path vm-g i-0web exports/
  vigil reach path internet i-0web exports/ --port tcp/22
  vigil reach path 10.128.0.5 10.0.1.10 exports/ --format json
  vigil reach path vm-g i-0web exports/ --format mermaid`,
		Args: cobra.MinimumNArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json", "dot", "mermaid"); err != nil {
				return err
			}
			q, err := reach.ParseQuery(port)
			if err != nil {
				return usageErr(err)
			}
			inv, err := reachInventory(cmd, args[2:])
			if err != nil {
				return err
			}
			g := reach.New(inv.Resources)
			src, err := g.Resolve(args[0])
			if err != nil {
				return usageErr(fmt.Errorf("SRC: %w", err))
			}
			dst, err := g.Resolve(args[1])
			if err != nil {
				return usageErr(fmt.Errorf("DST: %w", err))
			}
			if src == nil && dst == nil {
				return usageErr(errors.New("SRC and DST are both the internet: nothing to decide"))
			}
			res := g.Path(src, dst, q)
			out := cmd.OutOrStdout()
			switch format {
			case "json":
				err = writeJSON(out, res)
			case "dot", "mermaid":
				d := reach.NewDiagram()
				reach.DrawPath(d, res)
				err = writeDiagram(out, format, d)
			default:
				err = reach.WritePathText(out, res)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "%s -> %s: %s\n", res.From.ID, res.To.ID, res.Verdict)
			return inputErrors(inv)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "text", "output format: text, json, dot or mermaid")
	cmd.Flags().StringVarP(&port, "port", "p", "", "only this protocol and port or range: tcp/22, udp/500-4500, 5432 (tcp), icmp")
	return cmd
}

// reachFromReport is what one compromised host can reach.
type reachFromReport struct {
	From      reach.End           `json:"from"`
	Reachable []*reach.PathResult `json:"reachable"`
	Undecided []*reach.PathResult `json:"undecided,omitempty"`
	Summary   struct {
		Evaluated int `json:"evaluated"`
		Reachable int `json:"reachable"`
		Denied    int `json:"denied"`
		Undecided int `json:"undecided"`
	} `json:"summary"`
}

func newReachFromCmd() *cobra.Command {
	var format, port string
	var undecided bool
	cmd := &cobra.Command{
		Use:     "from HOST PATH...",
		Aliases: []string{"blast"},
		Short:   "Blast radius: what one compromised host can reach, with protocol/port and path",
		Long: `Read cloud inventory exports and list what HOST (a compute instance: ID, name or private address)
can reach if compromised: every other compute instance of the inventory it has a path to (in its
network, through peerings and site-to-site VPNs, across clouds) and the internet, one row per
protocol/port range with the hops of the path. --undecided also lists the instances for which the
inventory lacks something, with the reason.

Exit status: 0 list written (possibly empty); 2 usage error, HOST naming no instance, an inventory
with no other instance, or an input that could not be read.`,
		Example: `  vigil reach from i-0web exports/
  vigil reach blast vm-g exports/ --port tcp/22 --format json`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "table", "json", "dot", "mermaid"); err != nil {
				return err
			}
			q, err := reach.ParseQuery(port)
			if err != nil {
				return usageErr(err)
			}
			inv, err := reachInventory(cmd, args[1:])
			if err != nil {
				return err
			}
			g := reach.New(inv.Resources)
			src, err := g.Resolve(args[0])
			if err == nil && (src == nil || src.Facts.Compute == nil) {
				err = errors.New("HOST must be a compute instance")
			}
			if err != nil {
				return usageErr(fmt.Errorf("HOST: %w", err))
			}
			rep := reachFromReport{Reachable: []*reach.PathResult{}}
			for _, res := range g.From(src, q) {
				rep.From = res.From
				rep.Summary.Evaluated++
				switch res.Verdict {
				case reach.Reachable:
					rep.Summary.Reachable++
					rep.Reachable = append(rep.Reachable, res)
				case reach.Undecided:
					rep.Summary.Undecided++
					if undecided {
						rep.Undecided = append(rep.Undecided, res)
					}
				default:
					rep.Summary.Denied++
				}
			}
			stderr := cmd.ErrOrStderr()
			if rep.Summary.Evaluated <= 1 {
				return &exitError{code: exitUsage, err: errors.New("no other compute instance in the inventory: nothing to decide but the internet")}
			}
			out := cmd.OutOrStdout()
			switch format {
			case "json":
				err = writeJSON(out, rep)
			case "dot", "mermaid":
				d := reach.NewDiagram()
				for _, res := range append(rep.Reachable, rep.Undecided...) {
					reach.DrawPath(d, res)
				}
				err = writeDiagram(out, format, d)
			default:
				err = writeReachFromTable(out, rep)
			}
			if err != nil {
				return err
			}
			s := rep.Summary
			fmt.Fprintf(stderr, "%d destinations evaluated (the other instances and the internet): %d reachable, %d denied, %d undecided%s\n", s.Evaluated, s.Reachable, s.Denied, s.Undecided,
				map[bool]string{true: " (--undecided lists why)", false: ""}[s.Undecided > 0 && !undecided])
			return inputErrors(inv)
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", "table", "output format: table, json, dot or mermaid")
	cmd.Flags().StringVarP(&port, "port", "p", "", "only this protocol and port or range: tcp/22, udp/500-4500, 5432 (tcp), icmp")
	cmd.Flags().BoolVar(&undecided, "undecided", false, "also list the destinations that cannot be decided, with the reason")
	return cmd
}

func writeReachFromTable(w io.Writer, rep reachFromReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DESTINATION\tCLOUD\tADDRESS\tPROTOCOL/PORT\tPATH")
	for _, res := range rep.Reachable {
		for _, p := range res.Paths {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", res.To.ID, res.To.Provider, strings.Join(res.To.Addresses, ","), portText(p), hopsText(p.Hops))
		}
	}
	for _, res := range rep.Undecided {
		fmt.Fprintf(tw, "%s\t%s\t%s\tundecided\t%s\n", res.To.ID, res.To.Provider, strings.Join(res.To.Addresses, ","), strings.Join(res.Undecided, "; "))
	}
	return tw.Flush()
}

func portText(p resource.ExposurePath) string {
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
	return p.Protocol + "/" + ports
}

func hopsText(hs []resource.Hop) string {
	out := make([]string, 0, len(hs))
	for _, h := range hs {
		out = append(out, h.Allows)
	}
	return strings.Join(out, " > ")
}
