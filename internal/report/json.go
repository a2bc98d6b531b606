package report

import (
	"encoding/json"
	"io"
	"time"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
)

// jsonSummary is the summary object of the JSON format: the finding summary
// with the compliance summary and scan metadata beside it.
type jsonSummary struct {
	GeneratedAt string `json:"generated_at"`
	Version     string `json:"version,omitempty"`
	finding.Summary
	Compliance []compliance.FrameworkSummary `json:"compliance"`
}

// jsonDoc is the JSON format: exactly {"findings":[...],"summary":{...}}.
type jsonDoc struct {
	Findings []finding.Finding `json:"findings"`
	Summary  jsonSummary       `json:"summary"`
}

func writeJSON(w io.Writer, r *Report) error {
	doc := jsonDoc{
		Findings: r.Findings,
		Summary: jsonSummary{GeneratedAt: r.GeneratedAt.UTC().Format(time.RFC3339), Version: r.Version,
			Summary: r.Summary, Compliance: r.Compliance},
	}
	if doc.Findings == nil {
		doc.Findings = []finding.Finding{}
	}
	if doc.Summary.Compliance == nil {
		doc.Summary.Compliance = []compliance.FrameworkSummary{}
	}
	if doc.Summary.Rules == nil {
		doc.Summary.Rules = []finding.RuleSummary{}
	}
	if doc.Summary.Providers == nil {
		doc.Summary.Providers = []finding.ProviderSummary{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
