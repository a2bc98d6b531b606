package cost

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

func money(v float64, cur string) string { return fmt.Sprintf("%.2f %s", v, cur) }
func pct(v float64) string               { return fmt.Sprintf("%.1f%%", v*100) }

// WriteReport writes the report as text tables.
func WriteReport(w io.Writer, r *Report) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if r.Rows == 0 {
		fmt.Fprintln(tw, "no billing rows in the lake")
		return tw.Flush()
	}
	fmt.Fprintf(tw, "spend %s to %s (%d billing rows)\n", r.From, r.To, r.Rows)
	section := func(title string, head []string, ls []Line, cols func(Line) []string) {
		if len(ls) == 0 {
			return
		}
		fmt.Fprintf(tw, "\n%s\n", title)
		fmt.Fprintln(tw, strings.Join(append(head, "cost", "share"), "\t"))
		for _, l := range ls {
			fmt.Fprintln(tw, strings.Join(append(cols(l), money(l.Cost, l.Currency), pct(l.Share)), "\t"))
		}
	}
	section("TOTAL", []string{"currency"}, r.Total, func(l Line) []string { return []string{l.Currency} })
	section("BY CLOUD", []string{"provider"}, r.ByProvider, func(l Line) []string { return []string{l.Provider} })
	section("BY ACCOUNT", []string{"provider", "account"}, r.ByAccount, func(l Line) []string { return []string{l.Provider, l.Account} })
	section("BY SERVICE", []string{"provider", "service"}, r.ByService, func(l Line) []string { return []string{l.Provider, l.Service} })
	section("BY TAG KEY (spend of the charges carrying the key)", []string{"tag"}, r.ByTagKey, func(l Line) []string { return []string{l.Tag} })
	section("UNTAGGED (charges without any tag)", []string{"currency"}, r.Untagged, func(l Line) []string { return []string{l.Currency} })
	section("MISSING A REQUIRED TAG", []string{"tag"}, r.MissingTag, func(l Line) []string { return []string{l.Tag} })
	section("BY SENSITIVITY CLASS", []string{"class"}, r.BySensitivity, func(l Line) []string { return []string{l.Class} })
	section("SECURITY SERVICES", []string{"provider", "service"}, r.Security, func(l Line) []string { return []string{l.Provider, l.Service} })
	section("SECURITY SERVICES TOTAL", []string{"currency"}, r.SecurityTotal, func(l Line) []string { return []string{l.Currency} })
	for _, n := range r.Notes {
		fmt.Fprintf(tw, "\nnote: %s\n", n)
	}
	return tw.Flush()
}

// WriteFindings writes the anomaly findings as a table.
func WriteFindings(w io.Writer, fs []CostFinding) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "severity\tday\tprovider\taccount\tservice\tcost\tbaseline\talerts\tfindings\trule")
	for _, f := range fs {
		a := f.Anomaly
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%.2f\t%d\t%d\t%s\n", f.Severity, a.Day, a.Provider, a.Account, a.Service,
			money(a.Cost, a.Currency), a.Baseline, len(f.Alerts), len(f.PostureFinding)+f.PostureMore, f.RuleID)
	}
	for _, f := range fs {
		fmt.Fprintf(tw, "\n%s %s\n  %s\n", f.Severity, f.RuleID, f.Message)
		for _, al := range f.Alerts {
			fmt.Fprintf(tw, "  alert: %s %s %q (%s) %s\n", al.Time.Format("2006-01-02T15:04:05Z"), al.Severity, al.Title, al.Rule, al.Actor)
		}
		for _, p := range f.PostureFinding {
			fmt.Fprintf(tw, "  posture: %s %s on %s (%s)\n", p.Severity, p.RuleID, p.Resource, p.Why)
		}
		if f.PostureMore > 0 {
			fmt.Fprintf(tw, "  posture: %d more\n", f.PostureMore)
		}
	}
	return tw.Flush()
}

// WriteIdle writes the idle but exposed resources as a table.
func WriteIdle(w io.Writer, ls []IdleExposed) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "rank\tcost\tdays\tprovider\taccount\ttype\tresource\texposure")
	for i, x := range ls {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", i+1, money(x.Cost, x.Currency), x.Days, x.Resource.Provider,
			x.Resource.Account, x.Resource.Type, x.Resource.ID, strings.Join(x.Rules, ","))
	}
	return tw.Flush()
}
