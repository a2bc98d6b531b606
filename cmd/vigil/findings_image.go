package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/findings/image"
	"github.com/vigil-sec/vigil/internal/findings/load"
	"github.com/vigil-sec/vigil/internal/report"
)

type scanImageFlags struct {
	db, from, format, output, severity, failOn, platform string
	sbom                                                 []string
	insecureRegistry                                     bool
}

func newFindingsScanImageCmd() *cobra.Command {
	var f scanImageFlags
	cmd := &cobra.Command{
		Use:   "scan-image REF|TARBALL|OCI-DIR|FUNCTION-ZIP...",
		Short: "Scan container images and function packages for known vulnerabilities against a local Grype database",
		Long: `Build the SBOM of a container image or a serverless function package with Syft and match it against a
Grype vulnerability database (schema v6) read from a local file: nothing is downloaded, and Grype's
database update is never run.

A target is, detected from its content (or named with --from):

  docker-archive  a tarball as docker save writes it (gzip-compressed or not)
  oci-dir         an OCI image layout directory (oci-layout, index.json, blobs/)
  oci-archive     an OCI image layout in a tarball
  function        an AWS Lambda zip, a Cloud Functions source zip or an Azure Functions zip: unpacked
                  (no link followed, no entry outside it, at most 4 GiB) and scanned as a directory
  dir             a directory, scanned as it is
  registry        an image reference (registry.example/app:1.2), pulled from its registry

--db is the vulnerability.db file (any name), its directory, or Grype's cache directory (holding
6/vulnerability.db), as grype db update or grype db import leaves it. A missing, corrupt or
wrong-schema database is an error naming the path.

Each vulnerable package is a vulnerability finding (an OCSF Vulnerability Finding, class 2002) with the
package, its installed and fixed versions, the CVE and the severity from the database; --format sarif
writes them as SARIF 2.1.0 (one rule per vulnerability). --sbom FORMAT=FILE writes the SBOM as
CycloneDX or SPDX JSON (repeatable; one target only).

Exit status: 0 done; 1 a vulnerability at or above --fail-on; 2 usage error, an unreadable target or
database, or a target in which no package was found (said on stderr).`,
		Example: `  vigil findings scan-image app.tar --db ~/.cache/grype/db
  vigil findings scan-image oci/app --db vulnerability.db --format sarif --output app.sarif
  vigil findings scan-image handler.zip --db vulnerability.db --severity high --fail-on critical
  vigil findings scan-image app.tar --db vulnerability.db --sbom cyclonedx=app.cdx.json --sbom spdx=app.spdx.json
  vigil findings scan-image registry.example/app:1.2 --db vulnerability.db --format ocsf`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runScanImage(cmd, args, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.db, "db", "", "the Grype v6 vulnerability database: vulnerability.db, its directory, or Grype's cache directory (required)")
	fl.StringVar(&f.from, "from", "", "what the targets are: docker-archive, oci-dir, oci-archive, function, dir or registry (default: detected)")
	fl.StringVar(&f.format, "format", "table", "output format: table, json, csv, ocsf (a JSON array), ocsf-jsonl, sarif or html")
	fl.StringVarP(&f.output, "output", "o", "", "write to this file instead of stdout")
	fl.StringVar(&f.severity, "severity", "", "only vulnerabilities at or above this severity")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 when a vulnerability at or above this severity is found (critical, high, medium, low, info)")
	fl.StringArrayVar(&f.sbom, "sbom", nil, "write the SBOM: cyclonedx=FILE or spdx=FILE (repeatable)")
	fl.StringVar(&f.platform, "platform", "", "the platform of a multi-platform image, e.g. linux/arm64")
	fl.BoolVar(&f.insecureRegistry, "insecure-registry", false, "pull a registry image over plain HTTP (a registry on loopback)")
	_ = cmd.MarkFlagRequired("db")
	return cmd
}

func runScanImage(cmd *cobra.Command, args []string, f scanImageFlags) error {
	if err := checkFormat(f.format, "table", "json", "csv", "ocsf", "ocsf-jsonl", "sarif", "html"); err != nil {
		return err
	}
	kind, err := image.ParseKind(f.from)
	if err != nil {
		return usageErr(fmt.Errorf("--from: %w", err))
	}
	var minSev, failOn finding.Severity
	if f.severity != "" {
		if minSev, err = finding.ParseSeverity(f.severity); err != nil {
			return usageErr(fmt.Errorf("--severity: %w", err))
		}
	}
	if f.failOn != "" {
		if failOn, err = finding.ParseSeverity(f.failOn); err != nil {
			return usageErr(fmt.Errorf("--fail-on: %w", err))
		}
	}
	type sbomOut struct{ format, file string }
	var sboms []sbomOut
	for _, s := range f.sbom {
		format, file, ok := strings.Cut(s, "=")
		if !ok || file == "" {
			return usageErr(fmt.Errorf("--sbom %q: want cyclonedx=FILE or spdx=FILE", s))
		}
		format = strings.ToLower(format)
		if format != "cyclonedx" && format != "spdx" {
			return usageErr(fmt.Errorf("--sbom %q: unknown format %q (want cyclonedx or spdx)", s, format))
		}
		sboms = append(sboms, sbomOut{format, file})
	}
	if len(sboms) > 0 && len(args) > 1 {
		return usageErr(fmt.Errorf("--sbom takes one target, got %d", len(args)))
	}
	db, err := image.OpenDB(f.db)
	if err != nil {
		return usageErr(fmt.Errorf("--db: %w", err))
	}
	defer db.Close()
	ctx := cmd.Context()
	stderr := cmd.ErrOrStderr()
	now := time.Now().UTC()
	var all []findings.Finding
	var ruleFs []finding.Finding
	var rules []finding.RuleInfo
	seenRule := map[string]bool{}
	var msgs []string
	failed, empty := 0, 0
	for _, target := range args {
		res, err := image.Scan(ctx, db, target, image.Options{Kind: kind, Platform: f.platform, InsecureRegistry: f.insecureRegistry})
		if err != nil {
			fmt.Fprintln(stderr, "vigil: scan-image:", err)
			failed++
			continue
		}
		if res.Packages == 0 {
			fmt.Fprintf(stderr, "vigil: no package found in %s (%s): nothing to match\n", target, res.Kind)
			empty++
			continue
		}
		for _, s := range sboms {
			err := writeTo(cmd, s.file, func(w io.Writer) error { return image.WriteSBOM(w, res.SBOM, s.format) })
			if err != nil {
				return err
			}
		}
		fs := res.Findings(now)
		rf, ri := res.RuleFindings()
		if minSev != "" {
			fs = keepAtLeast(fs, minSev)
			rf = keepRuleAtLeast(rf, minSev)
		}
		all = append(all, fs...)
		ruleFs = append(ruleFs, rf...)
		for _, r := range ri {
			if !seenRule[r.ID] {
				seenRule[r.ID] = true
				rules = append(rules, r)
			}
		}
		what := string(res.Kind)
		if res.Distro != "" {
			what += ", " + res.Distro
		}
		msgs = append(msgs, fmt.Sprintf("%s (%s): %d package(s), %d vulnerability match(es), %d shown", target, what, res.Packages, len(res.Matches), len(fs)))
	}
	if failed+empty == len(args) {
		if failed > 0 {
			return &exitError{code: exitUsage, err: fmt.Errorf("%d target(s) could not be scanned", failed)}
		}
		return nothing("no package found in %d target(s)", empty)
	}
	load.Sort(all)
	err = writeTo(cmd, f.output, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		var err error
		if f.format == "sarif" {
			r := report.Build(ruleFs, rules, now)
			r.Version = buildVersion()
			r.Inputs = args
			err = report.Write(ctx, bw, "sarif", r)
		} else {
			err = writeFindings(bw, f.format, all)
		}
		if err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	summary := fmt.Sprintf("database %s (built %s, schema %s); ", db.Path, db.Built.Format(time.DateOnly), db.Schema) + strings.Join(msgs, "; ")
	if f.format == "table" && f.output == "" {
		fmt.Fprintln(cmd.OutOrStdout(), summary)
	} else {
		fmt.Fprintln(stderr, "vigil:", summary)
	}
	if failed+empty > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("%d target(s) not scanned; the rest was", failed+empty)}
	}
	if failOn != "" {
		for i := range all {
			if all[i].Severity.Rank() >= failOn.Rank() {
				return &exitError{code: exitFindings, err: fmt.Errorf("vulnerabilities at or above %s", failOn)}
			}
		}
	}
	return nil
}

func keepAtLeast(fs []findings.Finding, min finding.Severity) []findings.Finding {
	out := fs[:0]
	for _, f := range fs {
		if f.Severity.Rank() >= min.Rank() {
			out = append(out, f)
		}
	}
	return out
}

func keepRuleAtLeast(fs []finding.Finding, min finding.Severity) []finding.Finding {
	out := fs[:0]
	for _, f := range fs {
		if f.Severity.Rank() >= min.Rank() {
			out = append(out, f)
		}
	}
	return out
}
