package main

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/findings/load"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/resource"
)

func newFindingsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "findings",
		Short: "One view of the clouds' own findings: GuardDuty, Security Hub, Inspector, Defender for Cloud, SCC, Artifact Analysis",
	}
	cmd.AddCommand(newFindingsImportCmd(), newFindingsScanImageCmd())
	return cmd
}

type findingsFlags struct {
	format, output, failOn, severity, inventory, alerts, scan string
	products, providers, accounts, statuses                   []string
}

func newFindingsImportCmd() *cobra.Command {
	var f findingsFlags
	cmd := &cobra.Command{
		Use:   "import PATH...",
		Short: "Read the clouds' findings exports into one model, severity scale and OCSF",
		Long: `Read the security findings the clouds' own services export, from files or directories (.gz read
transparently; each record's format is recognised from its content, not the file name):

  GuardDuty           aws guardduty get-findings; EventBridge "GuardDuty Finding" events
  Security Hub        aws securityhub get-findings (ASFF); EventBridge "Security Hub Findings - Imported";
                      aws securityhub get-findings-v2 (OCSF); EventBridge "Findings Imported V2"
  Inspector           aws inspector2 list-findings; EventBridge "Inspector2 Finding" events; the findings
                      report (create-findings-report) in JSON or CSV
  Defender for Cloud  Resource Graph securityresources rows (alerts, assessments, sub-assessments), REST
                      lists, and continuous-export events
  SCC                 ListFindings results (and gcloud scc findings list); Pub/Sub notifications
  Artifact Analysis   gcloud artifacts docker images list-vulnerabilities; Container Analysis occurrences

A file holds one JSON document or JSON lines (or is Inspector's CSV report). Threats become OCSF Detection
Findings (2004) and vulnerabilities OCSF Vulnerability Findings (2002); every finding keeps the provider's id, its severity on
vigil's scale (critical, high, medium, low, info) with the original, its status (active, suppressed,
resolved), first and last seen, and the raw record. With --inventory, each finding's resource is joined to
the inventory resource of the same id (the exports vigil scan reads); others keep their own id. With
--alerts, a threat finding on an identity (GuardDuty access-key findings, SCC findings with a principal) is
linked to vigil detect's alerts on the same principal in the same hour. With --scan, a Security Hub control
finding and vigil's failed rule for the same control on the same resource (vigil scan --format json) become one
finding with both sources.

A malformed record is reported on stderr with its file and position, and the rest is read.

Exit status: 0 done; 1 an active finding at or above --fail-on; 2 usage error, no finding found in the
input (said on stderr), or an input that could not be read (the rest is still reported).`,
		Example: `  vigil findings import exports/findings/
  vigil findings import gd.json shub.json.gz --severity high --format csv --output findings.csv
  vigil findings import exports/ --inventory examples/org --product guardduty,defender
  vigil findings import exports/ --format ocsf-jsonl --output findings.ocsf.jsonl
  vigil findings import exports/ --alerts alerts.jsonl --format json
  vigil findings import exports/ --scan scan.json --product securityhub --format csv
  vigil findings import exports/ --status active --fail-on critical`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runFindingsImport(cmd, args, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "table", "output format: table, json, csv, ocsf (a JSON array), ocsf-jsonl or html (one self-contained page)")
	fl.StringVarP(&f.output, "output", "o", "", "write to this file instead of stdout")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 when an active finding at or above this severity exists (critical, high, medium, low, info)")
	fl.StringVar(&f.severity, "severity", "", "only findings at or above this severity")
	fl.StringSliceVar(&f.products, "product", nil, "only these products: guardduty, securityhub, inspector, defender, scc, artifact")
	fl.StringSliceVar(&f.providers, "provider", nil, "only findings on these clouds: aws, azure, gcp")
	fl.StringSliceVar(&f.accounts, "account", nil, "only findings in these AWS accounts, Azure subscriptions or GCP projects")
	fl.StringSliceVar(&f.statuses, "status", nil, "only findings with these statuses: active, suppressed, resolved")
	fl.StringVar(&f.inventory, "inventory", "", "an inventory export directory (as vigil scan reads) to join findings' resources to")
	fl.StringVar(&f.scan, "scan", "", "vigil scan's JSON findings: a provider control finding and vigil's failed rule for the same control on the same resource become one finding with both sources")
	fl.StringVar(&f.alerts, "alerts", "", "vigil detect's alerts (JSON lines) to link threat findings to: same principal, same hour")
	return cmd
}

func (f findingsFlags) filter() (findings.Filter, finding.Severity, error) {
	var flt findings.Filter
	var failOn finding.Severity
	var err error
	for _, p := range f.products {
		pr, err := findings.ParseProduct(p)
		if err != nil {
			return flt, "", fmt.Errorf("--product: %w", err)
		}
		flt.Products = append(flt.Products, pr)
	}
	for _, p := range f.providers {
		p = strings.ToLower(strings.TrimSpace(p))
		if p != "aws" && p != "azure" && p != "gcp" {
			return flt, "", fmt.Errorf("--provider %q: want aws, azure or gcp", p)
		}
		flt.Providers = append(flt.Providers, resource.Provider(p))
	}
	for _, s := range f.statuses {
		st, err := findings.ParseStatus(s)
		if err != nil {
			return flt, "", fmt.Errorf("--status: %w", err)
		}
		flt.Statuses = append(flt.Statuses, st)
	}
	flt.Accounts = f.accounts
	if f.severity != "" {
		if flt.MinSeverity, err = finding.ParseSeverity(f.severity); err != nil {
			return flt, "", fmt.Errorf("--severity: %w", err)
		}
	}
	if f.failOn != "" {
		if failOn, err = finding.ParseSeverity(f.failOn); err != nil {
			return flt, "", fmt.Errorf("--fail-on: %w", err)
		}
	}
	return flt, failOn, nil
}

func runFindingsImport(cmd *cobra.Command, args []string, f findingsFlags) error {
	if err := checkFormat(f.format, "table", "json", "csv", "ocsf", "ocsf-jsonl", "html"); err != nil {
		return err
	}
	flt, failOn, err := f.filter()
	if err != nil {
		return usageErr(err)
	}
	for _, p := range args {
		if _, err := os.Stat(p); err != nil {
			return usageErr(err)
		}
	}
	ctx := cmd.Context()
	stderr := cmd.ErrOrStderr()
	var opts []load.Option
	switch f.format {
	case "table", "csv", "html": // they do not carry the raw record
		opts = append(opts, load.WithoutRaw())
	case "json", "ocsf", "ocsf-jsonl": // the records are read back from the files as each finding is written
		opts = append(opts, load.RawInFiles())
	}
	res, err := load.Files(ctx, args, opts...)
	if err != nil {
		return err
	}
	defer res.Close()
	for _, p := range res.Problems {
		fmt.Fprintln(stderr, "vigil: input error:", p.Error())
	}
	for _, u := range res.Unrecognised {
		fmt.Fprintln(stderr, "vigil: no finding of a known format in", u)
	}
	if len(res.Findings) == 0 {
		return nothing("no findings of a known format in %d file(s) (GuardDuty, Security Hub, Inspector, Defender for Cloud, SCC, Artifact Analysis)", res.Files)
	}
	joined, onPaths := 0, 0
	if f.inventory != "" {
		if _, err := os.Stat(f.inventory); err != nil {
			return usageErr(fmt.Errorf("--inventory: %w", err))
		}
		inv, err := importer.Load(ctx, []string{f.inventory})
		if err != nil {
			return err
		}
		for _, ie := range inv.Errors {
			fmt.Fprintln(stderr, "vigil: inventory input error:", ie.Error())
		}
		joined = findings.Join(res.Findings, inv.Resources)
		if onPaths, err = findings.Contextualize(ctx, res.Findings, inv.Resources); err != nil {
			return err
		}
	}
	merged := 0
	if f.scan != "" {
		in, err := os.Open(f.scan)
		if err != nil {
			return usageErr(fmt.Errorf("--scan: %w", err))
		}
		results, err := findings.ReadScan(in, f.scan)
		in.Close()
		if err != nil {
			return usageErr(fmt.Errorf("--scan: %w", err))
		}
		merged = findings.MergeScan(res.Findings, results)
	}
	linked := 0
	if f.alerts != "" {
		in, err := os.Open(f.alerts)
		if err != nil {
			return usageErr(fmt.Errorf("--alerts: %w", err))
		}
		alerts, err := findings.ReadAlerts(in, f.alerts)
		in.Close()
		if err != nil {
			return usageErr(fmt.Errorf("--alerts: %w", err))
		}
		linked = findings.LinkAlerts(res.Findings, alerts)
	}
	read := len(res.Findings)
	fs := flt.Apply(res.Findings)
	load.Sort(fs)

	err = writeTo(cmd, f.output, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := writeFindings(bw, f.format, fs); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("%d finding(s) read from %d file(s), %d shown", read, res.Files, len(fs))
	if f.inventory != "" {
		msg += fmt.Sprintf(", %d joined to the inventory (%d on an attack path, ranked first in their severity)", joined, onPaths)
	}
	if f.scan != "" {
		msg += fmt.Sprintf(", %d merged with vigil's findings", merged)
	}
	if f.alerts != "" {
		msg += fmt.Sprintf(", %d linked to alerts", linked)
	}
	if f.format == "table" && f.output == "" {
		fmt.Fprintln(cmd.OutOrStdout(), msg)
	} else {
		fmt.Fprintln(stderr, "vigil:", msg)
	}
	if n := len(res.Problems); n > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("%d input problem(s); the rest was read", n)}
	}
	if failOn != "" {
		for i := range fs {
			if fs[i].Status == findings.Active && fs[i].Severity.Rank() >= failOn.Rank() {
				return &exitError{code: exitFindings, err: fmt.Errorf("active findings at or above %s", failOn)}
			}
		}
	}
	return nil
}

func writeFindings(w io.Writer, format string, fs []findings.Finding) error {
	switch format {
	case "html":
		return findings.WriteHTML(w, fs, time.Now())
	case "json":
		return findings.WriteJSON(w, fs)
	case "ocsf", "ocsf-jsonl":
		return findings.WriteOCSF(w, fs, format == "ocsf-jsonl")
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"severity", "original_severity", "status", "original_status", "product", "origin", "kind", "id", "type", "title",
			"provider", "account", "region", "resource_id", "resource_type", "in_inventory", "exposed", "attack_path", "first_seen", "last_seen",
			"vulnerability", "cvss", "package", "version", "fixed_version", "sources", "linked_alerts", "file", "record"})
		for i := range fs {
			f := &fs[i]
			vid, cvss, pkg, ver, fixed := vulnColumns(f)
			_ = cw.Write([]string{string(f.Severity), f.OriginalSeverity, string(f.Status), f.OriginalStatus, string(f.Product), f.Origin, string(f.Kind), f.ID, f.Type, f.Title,
				string(f.Resource.Provider), f.Resource.Account, f.Resource.Region, f.Resource.ID, f.Resource.Type, strconv.FormatBool(f.Resource.InInventory),
				boolCol(f.Resource.Exposed), f.Resource.AttackPath, timeCol(f.FirstSeen), timeCol(f.LastSeen), vid, cvss, pkg, ver, fixed, strings.Join(f.Sources, "; "), strings.Join(f.LinkedAlerts, " "), f.Source.File, strconv.Itoa(f.Source.Index)})
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEVERITY\tPRODUCT\tSTATUS\tACCOUNT\tRESOURCE\tCONTEXT\tFINDING")
	for i := range fs {
		f := &fs[i]
		title := f.Title
		if vid, _, pkg, ver, fixed := vulnColumns(f); f.Vuln != nil {
			title = strings.TrimSpace(fmt.Sprintf("%s %s %s", vid, pkg, ver))
			if fixed != "" {
				title += " (fixed in " + fixed + ")"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Severity, f.Product, f.Status, f.Resource.Account, shortID(f.Resource.ID), contextCol(&f.Resource), title)
	}
	return tw.Flush()
}

// contextCol names what the inventory says of a finding's resource.
func contextCol(r *findings.Resource) string {
	switch r.Priority() {
	case 2:
		return "attack-path"
	case 1:
		return "exposed"
	}
	if r.Exposed != nil {
		return "isolated"
	}
	return "-"
}

// boolCol is "true", "false", or "" when unknown.
func boolCol(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

// vulnColumns are a vulnerability's id, CVSS score and first package.
func vulnColumns(f *findings.Finding) (id, cvss, pkg, ver, fixed string) {
	if f.Vuln == nil {
		return
	}
	id = f.Vuln.ID
	if f.Vuln.CVSS > 0 {
		cvss = strconv.FormatFloat(f.Vuln.CVSS, 'f', -1, 64)
	}
	if len(f.Vuln.Packages) > 0 {
		p := f.Vuln.Packages[0]
		pkg, ver, fixed = p.Name, p.Version, p.FixedVersion
	}
	return
}

func timeCol(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// shortID keeps a table readable: the last 60 characters of a long id.
func shortID(id string) string {
	if len(id) > 60 {
		return "…" + id[len(id)-59:]
	}
	return id
}
