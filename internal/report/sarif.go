package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/compliance"
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// SARIF 2.1.0 (OASIS), the subset GitHub code scanning reads.
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	// sarifSrcRoot is the uriBaseId of source locations: the directory
	// vigil ran in (the repository root in CI), which relative URIs are
	// resolved against. No absolute path is written.
	sarifSrcRoot = "%SRCROOT%"
	// sarifMaxTags is the number of tags per rule GitHub code scanning
	// keeps; the most useful come first.
	sarifMaxTags = 10
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                  `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactID `json:"originalUriBaseIds,omitempty"`
	Invocations        []sarifInvocation          `json:"invocations,omitempty"`
	Results            streamSlot                 `json:"results"` // streamed: the failing findings
	Properties         map[string]any             `json:"properties,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool   `json:"executionSuccessful"`
	EndTimeUTC          string `json:"endTimeUtc,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	SemanticVer    string      `json:"semanticVersion,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name,omitempty"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	DefaultConfiguration *sarifRuleConfig  `json:"defaultConfiguration,omitempty"`
	Properties           sarifRuleProperty `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProperty struct {
	SecuritySeverity string   `json:"security-severity"`
	Tags             []string `json:"tags"`
	Precision        string   `json:"precision,omitempty"`
	ProblemSeverity  string   `json:"problem.severity,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          map[string]any     `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
	Message          *sarifText     `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// sarifArtifactID describes a uriBaseId (no absolute path: only its meaning).
type sarifArtifactID struct {
	Description sarifText `json:"description"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
	EndLine   int `json:"endLine,omitempty"`
}

type sarifLogical struct {
	Name               string `json:"name,omitempty"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.Critical, finding.High:
		return "error"
	case finding.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity is GitHub's security-severity score: >= 9.0 critical,
// 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low.
func securitySeverity(s finding.Severity) string {
	switch s {
	case finding.Critical:
		return "9.5"
	case finding.High:
		return "8.0"
	case finding.Medium:
		return "5.5"
	case finding.Low:
		return "3.0"
	}
	return "1.0"
}

// writeSARIF writes a SARIF 2.1.0 log. Results are the failing findings
// (muted ones carry an accepted external suppression); PASS and UNKNOWN
// findings are not results — their counts are in run.properties.
func writeSARIF(w io.Writer, r *Report) error {
	infos := r.ruleInfos()
	index := map[string]int{}
	rules := make([]sarifRule, 0, len(infos))
	for i, ri := range infos {
		index[ri.ID] = i
		rules = append(rules, sarifRuleFrom(ri))
	}
	results := func(a *jsonArray) error {
		for i := range r.Findings {
			f := &r.Findings[i]
			if f.Status != finding.Fail {
				continue
			}
			if err := a.emit(sarifResultFrom(f, index[f.RuleID], r.Sources[f.Resource.ID])); err != nil {
				return err
			}
		}
		return nil
	}
	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name: "vigil", Version: r.Version, InformationURI: "https://github.com/vigil-sec/vigil", Rules: rules,
			}},
			OriginalURIBaseIDs: map[string]sarifArtifactID{sarifSrcRoot: {Description: sarifText{
				Text: "The directory vigil ran in; source files are relative to it, or to the scanned path when that is outside it."}}},
			Invocations: []sarifInvocation{{ExecutionSuccessful: true, EndTimeUTC: r.GeneratedAt.UTC().Format("2006-01-02T15:04:05Z")}},
			Properties: map[string]any{
				"fail": r.Summary.Fail, "pass": r.Summary.Pass, "unknown": r.Summary.Unknown,
				"suppressed": r.Summary.Suppressed,
			},
		}},
	}
	bw := bufio.NewWriterSize(w, writeBufferSize)
	err := writeJSONStream(bw, log, "  ", results)
	return errors.Join(err, bw.Flush())
}

// inRepository is where a code scanning alert on the resource at l is
// shown: its block, or for a resource of a Terraform module that
// `terraform init` downloaded (under .terraform/, not in the repository)
// the innermost module call in the repository's own files, the code that
// chooses the module and its inputs.
func inRepository(l *resource.Location) resource.Location {
	if !underDotTerraform(l.File) {
		return *l
	}
	for i := len(l.Calls) - 1; i >= 0; i-- {
		if c := l.Calls[i]; c.File != "" && !underDotTerraform(c.File) {
			return c
		}
	}
	return *l
}

func underDotTerraform(file string) bool {
	return strings.HasPrefix(file, ".terraform/") || strings.Contains(file, "/.terraform/")
}

// sarifResultFrom is the SARIF result of a failing finding; src is the input
// file the resource came from, if known.
func sarifResultFrom(f *finding.Finding, ruleIndex int, src string) *sarifResult {
	msg := f.Title
	if f.Message != "" {
		msg = f.Title + ": " + f.Message
	}
	msg = fmt.Sprintf("%s (%s %s", msg, f.Resource.Provider, f.Resource.ID)
	if f.Resource.Account != "" {
		msg += ", account " + f.Resource.Account
	}
	if f.Resource.Region != "" {
		msg += ", " + f.Resource.Region
	}
	msg += ")"
	loc := sarifLocation{LogicalLocations: []sarifLogical{{
		Name: f.Resource.Name, FullyQualifiedName: f.Resource.ID, Kind: "resource",
	}}}
	if l := f.Resource.Location; l != nil && l.File != "" {
		// A source (IaC) location: the file relative to the source root
		// (src when the caller made it relative to the working directory),
		// the block's lines, the address as the logical location.
		uri := l.File
		if src != "" && !filepath.IsAbs(src) {
			uri = src
		}
		at := inRepository(l)
		if at.File != l.File {
			uri = strings.TrimSuffix(uri, l.File) + at.File
		}
		loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(uri), URIBaseID: sarifSrcRoot}}
		// GitHub requires a start line: a resource its reader could not
		// place within the file (a Helm object built by template logic)
		// is reported on the file's first line.
		start := max(at.StartLine, 1)
		loc.PhysicalLocation.Region = &sarifRegion{StartLine: start, EndLine: max(at.EndLine, start)}
		if l.Line > 0 && at.File == l.File {
			// The line of the field the finding is about (a container's
			// privileged in a manifest or Helm template).
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: l.Line, EndLine: l.Line}
		}
		if l.Address != "" {
			loc.LogicalLocations[0].Name = l.Address
		}
	} else if src != "" && !filepath.IsAbs(src) {
		// An export file: relative paths only (an absolute one would name
		// the scanning machine's directories); the resource is the
		// logical location.
		loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(src), URIBaseID: sarifSrcRoot}}
	}
	res := &sarifResult{
		RuleID:              f.RuleID,
		RuleIndex:           ruleIndex,
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{Text: msg},
		Locations:           []sarifLocation{loc},
		PartialFingerprints: map[string]string{"vigilFindingId/v1": FindingUID(f)},
		Properties: map[string]any{
			"provider": f.Resource.Provider, "account": f.Resource.Account, "region": f.Resource.Region,
			"resourceType": f.Resource.Type, "severity": f.Severity,
		},
	}
	if f.Suppressed != nil {
		just := f.Suppressed.Reason
		if f.Suppressed.Expires != "" {
			just += " (until " + f.Suppressed.Expires + ")"
		}
		res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: just}}
	}
	return res
}

func sarifRuleFrom(ri finding.RuleInfo) sarifRule {
	title := ri.Title
	if title == "" {
		title = ri.ID
	}
	full := ri.Description
	if full == "" {
		full = title
	}
	tags := []string{"security"}
	if ri.Category != "" {
		tags = append(tags, ri.Category)
	}
	for _, p := range ri.Providers {
		tags = append(tags, string(p))
	}
	var fws []string
	for k := range ri.Frameworks {
		fws = append(fws, k)
	}
	sort.Strings(fws)
	var refLines []string
	for _, k := range fws {
		ctrls := append([]string(nil), ri.Frameworks[k]...)
		sort.Slice(ctrls, func(i, j int) bool { return compliance.ControlLess(ctrls[i], ctrls[j]) })
		for _, c := range ctrls {
			tags = append(tags, k+"/"+c)
		}
		refLines = append(refLines, fmt.Sprintf("- %s: %s", compliance.FrameworkName(k), strings.Join(ctrls, ", ")))
	}
	helpText := full
	md := "**" + title + "**\n\n" + full
	if ri.Remediation != "" {
		helpText += "\n\nRemediation: " + ri.Remediation
		md += "\n\n**Remediation:** " + ri.Remediation
	}
	if len(refLines) > 0 {
		helpText += "\n\nFramework references:\n" + strings.Join(refLines, "\n")
		md += "\n\n**Framework references:**\n\n" + strings.Join(refLines, "\n")
	}
	if len(tags) > sarifMaxTags {
		tags = tags[:sarifMaxTags]
	}
	return sarifRule{
		ID:                   ri.ID,
		Name:                 ruleName(ri.ID),
		ShortDescription:     sarifText{Text: title},
		FullDescription:      sarifText{Text: full},
		Help:                 sarifText{Text: helpText, Markdown: md},
		DefaultConfiguration: &sarifRuleConfig{Level: sarifLevel(ri.Severity)},
		Properties: sarifRuleProperty{
			SecuritySeverity: securitySeverity(ri.Severity),
			Tags:             tags,
			Precision:        "high",
			ProblemSeverity:  sarifProblemSeverity(ri.Severity),
		},
	}
}

func sarifProblemSeverity(s finding.Severity) string {
	switch sarifLevel(s) {
	case "error":
		return "error"
	case "warning":
		return "warning"
	}
	return "recommendation"
}

// ruleName turns a rule ID into a PascalCase name (storage-public-access ->
// StoragePublicAccess), as SARIF's reportingDescriptor.name suggests.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' || r == '.' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// artifactURI turns a relative, slash-separated path into a relative SARIF
// artifact URI (percent-encoded where URIs need it).
func artifactURI(path string) string {
	return (&url.URL{Path: filepath.ToSlash(path)}).String()
}
