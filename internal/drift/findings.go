package drift

import (
	"sort"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/report"
)

// Rule IDs of drift as vigil findings: one per kind, a changed attribute
// its own (drift-changed/storage.encrypted), so each finding of a
// resource has its own fingerprint.
const (
	RuleMissing   = "drift-missing"
	RuleUnmanaged = "drift-unmanaged"
	RuleChanged   = "drift-changed"
)

var remediation = map[Kind]string{
	Changed:   "Review the change: apply the IaC to restore its value, or adopt the live value in the IaC.",
	Missing:   "Apply the IaC to recreate the resource, or remove it from the IaC if it was retired on purpose.",
	Unmanaged: "Import the resource into the IaC (terraform import, a CloudFormation import) or delete it.",
}

// AsReport returns the drift (changed, missing and unmanaged; not the
// unmatched resources) as a vigil report, for the writers of vigil scan
// (SARIF, OCSF, CSV, HTML). A changed or missing resource is the IaC
// resource, located in its file; an unmanaged one is the inventory's.
// source maps an IaC file (relative to the IaC root) to the path SARIF
// names it by; nil keeps it.
func AsReport(rep *Report, now time.Time, source func(file string) string) *report.Report {
	var fs []finding.Finding
	rules := map[string]finding.RuleInfo{}
	sources := map[string]string{}
	for _, d := range rep.Findings {
		f := finding.Finding{Severity: d.Severity, Status: finding.Fail, Message: d.Message, Category: "drift", Remediation: remediation[d.Kind]}
		var title string
		switch d.Kind {
		case Changed:
			f.RuleID = RuleChanged + "/" + d.Attribute
			title = "Drift: " + d.Attribute + " differs from the IaC"
		case Missing:
			f.RuleID, title = RuleMissing, "Drift: a resource defined in the IaC is missing"
		case Unmanaged:
			f.RuleID, title = RuleUnmanaged, "Drift: a resource is defined in no IaC"
		default:
			continue
		}
		f.Title = title
		if d.IaC != nil {
			f.Resource = *d.IaC
			if l := d.IaC.Location; l != nil && l.File != "" {
				src := l.File
				if source != nil {
					src = source(src)
				}
				sources[f.Resource.ID] = src
			}
		} else if d.Live != nil {
			f.Resource = *d.Live
		}
		if _, ok := rules[f.RuleID]; !ok {
			rules[f.RuleID] = finding.RuleInfo{ID: f.RuleID, Title: title, Description: title, Severity: d.Severity,
				Category: "drift", Remediation: f.Remediation}
		}
		fs = append(fs, f)
	}
	infos := make([]finding.RuleInfo, 0, len(rules))
	for _, r := range rules {
		infos = append(infos, r)
	}
	sort.Slice(infos, func(i, j int) bool { return infos[i].ID < infos[j].ID })
	out := report.Build(fs, infos, now)
	out.Sources = sources
	return out
}
