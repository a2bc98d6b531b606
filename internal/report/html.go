package report

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
)

//go:embed report.html.tmpl
var htmlSource string

// htmlTemplate is parsed on first use, not at every start of the binary.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
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
})

type htmlFinding struct {
	*finding.Finding
	Refs []string
}

// htmlFindings yields the report's findings of one section one at a time,
// so the template streams them (range over a function) instead of the
// writer copying them all. It is nil when the section is empty, so
// {{if}} and {{with}} in the template read it as a slice.
type htmlFindings func(yield func(htmlFinding) bool)

type htmlGroup struct {
	Severity finding.Severity
	Count    int
	Findings htmlFindings
}

type htmlData struct {
	R         *Report
	Generated string
	Groups    []htmlGroup
	Muted     htmlFindings
	// UnknownFindings are the findings a rule could not decide.
	UnknownFindings htmlFindings
	Unknown         []finding.RuleSummary
	Rules           []finding.RuleSummary
	Severities      []htmlSeverity
}

type htmlSeverity struct {
	Severity finding.Severity
	Counts   finding.Counts
}

// htmlSection is the section of the HTML report a finding is listed in.
type htmlSection int

const (
	htmlNone htmlSection = iota
	htmlFailing
	htmlMuted
	htmlUnknown
)

func htmlSectionOf(f *finding.Finding) htmlSection {
	switch {
	case f.Status == finding.Unknown:
		return htmlUnknown
	case f.Status != finding.Fail:
		return htmlNone
	case f.Suppressed != nil:
		return htmlMuted
	}
	return htmlFailing
}

// htmlSelect yields the findings of section (and, for failing findings, of
// severity sev), in report order, with their framework references.
func (r *Report) htmlSelect(section htmlSection, sev finding.Severity) htmlFindings {
	return func(yield func(htmlFinding) bool) {
		for i := range r.Findings {
			f := &r.Findings[i]
			if htmlSectionOf(f) != section || (section == htmlFailing && f.Severity != sev) {
				continue
			}
			hf := htmlFinding{Finding: f}
			if section != htmlUnknown {
				for _, ref := range refsFor(f) {
					hf.Refs = append(hf.Refs, ref.Framework+" "+ref.Control)
				}
			}
			if !yield(hf) {
				return
			}
		}
	}
}

func writeHTML(w io.Writer, r *Report) error {
	d := htmlData{R: r, Generated: r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")}
	bySev := map[finding.Severity]int{}
	muted, unknown := 0, 0
	for i := range r.Findings {
		f := &r.Findings[i]
		switch htmlSectionOf(f) {
		case htmlFailing:
			bySev[f.Severity]++
		case htmlMuted:
			muted++
		case htmlUnknown:
			unknown++
		}
	}
	if muted > 0 {
		d.Muted = r.htmlSelect(htmlMuted, "")
	}
	if unknown > 0 {
		d.UnknownFindings = r.htmlSelect(htmlUnknown, "")
	}
	sevs := append([]finding.Severity(nil), severities...)
	var odd []finding.Severity
	for s := range bySev {
		if s.Rank() == 0 {
			odd = append(odd, s)
		}
	}
	sort.Slice(odd, func(i, j int) bool { return odd[i] < odd[j] })
	sevs = append(sevs, odd...)
	for _, s := range sevs {
		if n := bySev[s]; n > 0 {
			d.Groups = append(d.Groups, htmlGroup{Severity: s, Count: n, Findings: r.htmlSelect(htmlFailing, s)})
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
	bw := bufio.NewWriterSize(w, writeBufferSize)
	if err := htmlTemplate().Execute(bw, d); err != nil {
		return err
	}
	return bw.Flush()
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
