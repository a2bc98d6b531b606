package image

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/anchore/grype/grype/match"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Product is the product name of the findings of a scan: vigil's own
// scanner, with Grype matching.
const Product findings.Product = "vigil image scan"

// Match is one vulnerability of one package.
type Match struct {
	// ID is the CVE when the record names one, else the record's own id
	// (a GHSA, an ALAS).
	ID string `json:"id"`
	// Advisory is the record's own id when it is not ID.
	Advisory         string           `json:"advisory,omitempty"`
	Severity         finding.Severity `json:"severity"`
	OriginalSeverity string           `json:"original_severity"`
	CVSS             float64          `json:"cvss,omitempty"`
	Vector           string           `json:"cvss_vector,omitempty"`
	CVSSVersion      string           `json:"cvss_version,omitempty"`
	Description      string           `json:"description,omitempty"`
	URLs             []string         `json:"urls,omitempty"`
	// Namespace is the feed the record came from ("alpine:distro:alpine:3.19").
	Namespace string `json:"namespace,omitempty"`
	Package   string `json:"package"`
	Version   string `json:"version"`
	// Type is Syft's package type: apk, deb, rpm, npm, go-module, ...
	Type string `json:"type"`
	PURL string `json:"purl,omitempty"`
	// Path is where the package was found in the image or archive.
	Path string `json:"path,omitempty"`
	// Fixed are the versions that fix it; FixState is fixed, not-fixed,
	// wont-fix or unknown.
	Fixed    []string `json:"fixed_versions,omitempty"`
	FixState string   `json:"fix_state"`
	// Matchers name the Grype matchers and match types that found it.
	Matchers []string `json:"matchers,omitempty"`
}

// FixedVersion is the fixed versions as one string, "" when none.
func (m *Match) FixedVersion() string { return strings.Join(m.Fixed, ", ") }

func convert(ms []match.Match) []Match {
	out := make([]Match, 0, len(ms))
	for _, gm := range ms {
		v := gm.Vulnerability
		m := Match{
			ID: v.ID, Namespace: v.Namespace,
			Package: gm.Package.Name, Version: gm.Package.Version, Type: string(gm.Package.Type), PURL: gm.Package.PURL,
			Fixed: slices.Clone(v.Fix.Versions), FixState: string(v.Fix.State),
		}
		if !findings.IsCVE(m.ID) {
			for _, r := range v.RelatedVulnerabilities {
				if findings.IsCVE(r.ID) {
					m.Advisory, m.ID = m.ID, r.ID
					break
				}
			}
		}
		if locs := gm.Package.Locations.ToSlice(); len(locs) > 0 {
			m.Path = locs[0].RealPath
		}
		for _, d := range gm.Details {
			m.Matchers = append(m.Matchers, string(d.Matcher)+":"+string(d.Type))
		}
		slices.Sort(m.Matchers)
		m.Matchers = slices.Compact(m.Matchers)
		m.OriginalSeverity = "Unknown"
		if md := v.Metadata; md != nil {
			m.Description, m.URLs = md.Description, md.URLs
			if md.DataSource != "" && !slices.Contains(m.URLs, md.DataSource) {
				m.URLs = append([]string{md.DataSource}, m.URLs...)
			}
			if md.Severity != "" {
				m.OriginalSeverity = md.Severity
			}
			for _, c := range md.Cvss {
				if c.Metrics.BaseScore > m.CVSS {
					m.CVSS, m.Vector, m.CVSSVersion = c.Metrics.BaseScore, c.Vector, c.Version
				}
			}
		}
		var ok bool
		if m.Severity, ok = findings.SeverityFromName(m.OriginalSeverity); !ok {
			m.Severity = findings.SeverityFromScore(m.CVSS)
		}
		out = append(out, m)
	}
	return out
}

// sortMatches orders matches worst first, then by id and package.
func sortMatches(ms []Match) {
	slices.SortStableFunc(ms, func(a, b Match) int {
		return cmp.Or(
			cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
			cmp.Compare(b.CVSS, a.CVSS),
			strings.Compare(a.ID, b.ID),
			strings.Compare(a.Package, b.Package),
			strings.Compare(a.Version, b.Version),
			strings.Compare(a.Path, b.Path),
		)
	})
}

// resourceType is the findings' resource type for the scanned kind.
func (r *Result) resourceType() string {
	switch r.Kind {
	case Function:
		return "function-package"
	case Directory:
		return "directory"
	}
	return "container-image"
}

// resourceID names the scanned thing: the image digest beside what was
// given for an image, the path for an archive or directory.
func (r *Result) resourceID() string {
	if r.ImageID != "" && r.ImageID != r.Target {
		return r.Target + "@" + r.ImageID
	}
	return r.Target
}

// Findings are the matches in vigil's findings model: vulnerabilities
// (OCSF Vulnerability Findings), active, seen at now, on the scanned
// image or package, each with its package, installed and fixed versions
// and CVE. Raw is the match as JSON.
func (r *Result) Findings(now time.Time) []findings.Finding {
	now = now.UTC()
	out := make([]findings.Finding, 0, len(r.Matches))
	for i := range r.Matches {
		m := &r.Matches[i]
		fix := "no"
		if len(m.Fixed) > 0 {
			fix = "yes"
		} else if m.FixState == "unknown" || m.FixState == "" {
			fix = ""
		}
		refs := m.URLs
		if m.Advisory != "" {
			refs = append([]string{m.Advisory}, refs...)
		}
		raw, _ := json.Marshal(m)
		out = append(out, findings.Finding{
			Product: Product, Kind: findings.Vulnerability,
			ID:          r.resourceID() + "/" + pkgID(m) + "/" + m.ID,
			Title:       title(m),
			Description: m.Description,
			Type:        m.Type,
			Severity:    m.Severity, OriginalSeverity: m.OriginalSeverity,
			Status: findings.Active, OriginalStatus: m.FixState,
			Resource:  findings.Resource{ID: r.resourceID(), Type: r.resourceType(), Name: r.Target},
			FirstSeen: now, LastSeen: now,
			Vuln: &findings.Vuln{
				ID: m.ID, CVSS: m.CVSS, Vector: m.Vector, CVSSVer: m.CVSSVersion, FixAvailable: fix, References: refs,
				Packages: []findings.Package{{Name: m.Package, Version: m.Version, FixedVersion: m.FixedVersion(), Manager: m.Type, Path: m.Path}},
			},
			Source: findings.Source{File: r.Target, Index: i},
			Raw:    raw,
		})
	}
	return out
}

func title(m *Match) string {
	t := fmt.Sprintf("%s in %s %s", m.ID, m.Package, m.Version)
	if f := m.FixedVersion(); f != "" {
		t += " (fixed in " + f + ")"
	}
	return t
}

// pkgID names a package within the scan: its purl, else type/name@version.
func pkgID(m *Match) string {
	if m.PURL != "" {
		return m.PURL
	}
	return m.Type + "/" + m.Package + "@" + m.Version
}

// RuleFindings are the matches as failed rule findings, one rule per
// vulnerability id, for the report writers (SARIF): the resource is the
// package in the scanned image, its location the file it was found in.
func (r *Result) RuleFindings() ([]finding.Finding, []finding.RuleInfo) {
	fs := make([]finding.Finding, 0, len(r.Matches))
	rules := map[string]*finding.RuleInfo{}
	var order []string
	for i := range r.Matches {
		m := &r.Matches[i]
		ri := rules[m.ID]
		if ri == nil {
			desc := m.Description
			if desc == "" {
				desc = m.ID + " (no description in the database)"
			}
			ri = &finding.RuleInfo{ID: m.ID, Title: m.ID, Description: desc, Severity: m.Severity, Category: "vulnerability",
				Remediation: "Upgrade the affected package to a fixed version, or rebuild the image on a base that has one."}
			rules[m.ID] = ri
			order = append(order, m.ID)
		}
		if m.Severity.Rank() > ri.Severity.Rank() {
			ri.Severity = m.Severity
		}
		msg := fmt.Sprintf("%s %s (%s)", m.Package, m.Version, m.Type)
		if f := m.FixedVersion(); f != "" {
			msg += ", fixed in " + f
		} else {
			msg += ", no fixed version (" + m.FixState + ")"
		}
		ref := resource.Ref{
			ID: r.resourceID() + "!" + pkgID(m), Type: r.resourceType(), Provider: "image", Name: m.Package + "@" + m.Version,
		}
		if p := strings.TrimPrefix(m.Path, "/"); p != "" {
			ref.Location = &resource.Location{File: p, Address: r.resourceID() + "!" + pkgID(m)}
		}
		fs = append(fs, finding.Finding{
			RuleID: m.ID, Title: title(m), Category: "vulnerability", Severity: m.Severity, Status: finding.Fail,
			Message: msg, Resource: ref,
		})
	}
	infos := make([]finding.RuleInfo, 0, len(order))
	for _, id := range order {
		infos = append(infos, *rules[id])
	}
	return fs, infos
}
