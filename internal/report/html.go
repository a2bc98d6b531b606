package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
)

//go:embed report.html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"score":    scoreText,
	"lower":    func(s any) string { return strings.ToLower(fmt.Sprint(s)) },
	"pct":      pct,
	"grade":    grade,
	"join":     strings.Join,
	"errText":  inputErrorText,
	"sumMap":   sumMap,
	"sortKeys": sortKeys,
	"fwName":   compliance.FrameworkName,
}).Parse(htmlSource))

type htmlFinding struct {
	finding.Finding
	Refs []string
}

type htmlGroup struct {
	Severity finding.Severity
	Findings []htmlFinding
}

type htmlData struct {
	R         *Report
	Generated string
	Groups    []htmlGroup
	Muted     []htmlFinding
	// UnknownFindings are the findings a rule could not decide.
	UnknownFindings []htmlFinding
	Unknown         []finding.RuleSummary
	Rules           []finding.RuleSummary
	Severities      []htmlSeverity
}

type htmlSeverity struct {
	Severity finding.Severity
	Counts   finding.Counts
}

func writeHTML(w io.Writer, r *Report) error {
	d := htmlData{R: r, Generated: r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")}
	bySev := map[finding.Severity][]htmlFinding{}
	for _, f := range r.Findings {
		if f.Status == finding.Unknown {
			d.UnknownFindings = append(d.UnknownFindings, htmlFinding{Finding: f})
			continue
		}
		if f.Status != finding.Fail {
			continue
		}
		hf := htmlFinding{Finding: f}
		for _, ref := range refsFor(&f) {
			hf.Refs = append(hf.Refs, ref.Framework+" "+ref.Control)
		}
		if f.Suppressed != nil {
			d.Muted = append(d.Muted, hf)
			continue
		}
		bySev[f.Severity] = append(bySev[f.Severity], hf)
	}
	sevs := append([]finding.Severity(nil), severities...)
	for s := range bySev {
		if s.Rank() == 0 {
			sevs = append(sevs, s)
		}
	}
	for _, s := range sevs {
		if len(bySev[s]) > 0 {
			d.Groups = append(d.Groups, htmlGroup{Severity: s, Findings: bySev[s]})
		}
		if c, ok := r.Summary.BySeverity[s]; ok {
			d.Severities = append(d.Severities, htmlSeverity{Severity: s, Counts: c})
		}
	}
	d.Rules = append(d.Rules, r.Summary.Rules...)
	sort.SliceStable(d.Rules, func(i, j int) bool {
		a, b := d.Rules[i], d.Rules[j]
		if a.Fail != b.Fail {
			return a.Fail > b.Fail
		}
		return a.Severity.Rank() > b.Severity.Rank()
	})
	for _, rs := range d.Rules {
		if rs.Unknown > 0 {
			d.Unknown = append(d.Unknown, rs)
		}
	}
	sort.SliceStable(d.Unknown, func(i, j int) bool { return d.Unknown[i].Unknown > d.Unknown[j].Unknown })
	return htmlTemplate.Execute(w, d)
}

// pct is a score as an integer width for a CSS bar (0 when nil).
func pct(s *float64) int {
	if s == nil {
		return 0
	}
	return int(*s + 0.5)
}

// grade names a CSS class for a score.
func grade(s *float64) string {
	switch {
	case s == nil:
		return "na"
	case *s >= 90:
		return "good"
	case *s >= 70:
		return "fair"
	}
	return "poor"
}

func sortKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
