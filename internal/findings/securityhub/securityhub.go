// Package securityhub reads AWS Security Hub findings in the AWS Security
// Finding Format (ASFF): the elements of `aws securityhub get-findings`
// ({"Findings":[...]}) and of the detail.findings of EventBridge "Security
// Hub Findings - Imported" events.
package securityhub

import (
	"fmt"
	"strings"
	"sync"

	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/resource"
)

type record struct {
	ID              string   `json:"Id"`
	ProductArn      string   `json:"ProductArn"`
	ProductName     string   `json:"ProductName"`
	GeneratorID     string   `json:"GeneratorId"`
	AwsAccountID    string   `json:"AwsAccountId"`
	Region          string   `json:"Region"`
	Types           []string `json:"Types"`
	FirstObservedAt string   `json:"FirstObservedAt"`
	LastObservedAt  string   `json:"LastObservedAt"`
	CreatedAt       string   `json:"CreatedAt"`
	UpdatedAt       string   `json:"UpdatedAt"`
	Severity        struct {
		Label      string  `json:"Label"`
		Normalized float64 `json:"Normalized"`
		Original   string  `json:"Original"`
	} `json:"Severity"`
	Title       string `json:"Title"`
	Description string `json:"Description"`
	Resources   []struct {
		Type      string `json:"Type"`
		ID        string `json:"Id"`
		Partition string `json:"Partition"`
		Region    string `json:"Region"`
	} `json:"Resources"`
	Compliance *struct {
		Status              string   `json:"Status"`
		SecurityControlID   string   `json:"SecurityControlId"`
		RelatedRequirements []string `json:"RelatedRequirements"`
	} `json:"Compliance"`
	Workflow *struct {
		Status string `json:"Status"`
	} `json:"Workflow"`
	RecordState     string `json:"RecordState"`
	Vulnerabilities []struct {
		ID                 string                `json:"Id"`
		VulnerablePackages []findings.AWSPackage `json:"VulnerablePackages"`
		Cvss               []findings.AWSCvss    `json:"Cvss"`
		ReferenceUrls      []string              `json:"ReferenceUrls"`
		FixAvailable       string                `json:"FixAvailable"`
	} `json:"Vulnerabilities"`
}

// records are the records Parse decodes into: a record is hundreds of
// bytes that the decoder (through an interface) would otherwise allocate
// for every finding. The findings keep none of a record's own memory.
var records = sync.Pool{New: func() any { return new(record) }}

// Parse reads one ASFF finding.
func Parse(raw []byte, decode findings.Decode) (findings.Finding, error) {
	r := records.Get().(*record)
	defer func() {
		*r = record{}
		records.Put(r)
	}()
	if err := decode.Or()(raw, r); err != nil {
		return findings.Finding{}, fmt.Errorf("Security Hub finding: %w", err)
	}
	if r.ID == "" {
		return findings.Finding{}, fmt.Errorf("Security Hub finding: no Id")
	}
	f := findings.Finding{
		Product: findings.SecurityHub, Kind: findings.Threat, ID: r.ID, Title: r.Title, Description: r.Description,
		Origin:    r.ProductName,
		FirstSeen: findings.ParseTime(findings.First(r.FirstObservedAt, r.CreatedAt)),
		LastSeen:  findings.ParseTime(findings.First(r.LastObservedAt, r.UpdatedAt)),
		Resource:  findings.Resource{Provider: resource.AWS, Account: r.AwsAccountID, Region: r.Region},
	}
	if len(r.Types) > 0 {
		f.Type = r.Types[0]
	}
	if r.Compliance != nil {
		f.Requirements = r.Compliance.RelatedRequirements
	}
	if r.Compliance != nil && r.Compliance.SecurityControlID != "" {
		f.Type = r.Compliance.SecurityControlID
		f.VigilRule = vigilRules[f.Type]
	}
	if f.Type == "" {
		f.Type = r.GeneratorID
	}
	var ok bool
	if f.Severity, ok = findings.SeverityFromName(r.Severity.Label); ok {
		f.OriginalSeverity = r.Severity.Label
	} else {
		f.Severity = findings.SeverityFromScore(r.Severity.Normalized / 10)
		f.OriginalSeverity = findings.First(r.Severity.Original, findings.FormatScore(r.Severity.Normalized))
	}
	f.Status, f.OriginalStatus = status(r)
	if len(r.Resources) > 0 {
		res := r.Resources[0]
		f.Resource.ID, f.Resource.Type = res.ID, res.Type
		if acct, ok := strings.CutPrefix(res.ID, "AWS::::Account:"); ok { // an account-level control
			f.Resource.ID = "aws-account/" + acct
		}
		f.Resource.Region = findings.First(res.Region, r.Region)
	}
	if len(r.Vulnerabilities) > 0 {
		v := r.Vulnerabilities[0]
		f.Kind = findings.Vulnerability
		f.Vuln = findings.AWSVuln(v.ID, v.VulnerablePackages, v.Cvss, v.ReferenceUrls, v.FixAvailable)
	}
	return f, nil
}

// status maps the record state, the workflow status and a control's
// compliance status to one status; the original names all three.
func status(r *record) (findings.Status, string) {
	var orig []string
	st := findings.Active
	if r.Compliance != nil && r.Compliance.Status != "" {
		orig = append(orig, "Compliance "+r.Compliance.Status)
		if r.Compliance.Status == "PASSED" || r.Compliance.Status == "NOT_AVAILABLE" {
			st = findings.Resolved
		}
	}
	if r.Workflow != nil && r.Workflow.Status != "" {
		orig = append(orig, "Workflow "+r.Workflow.Status)
		switch r.Workflow.Status {
		case "SUPPRESSED":
			st = findings.Suppressed
		case "RESOLVED":
			st = findings.Resolved
		}
	}
	if r.RecordState != "" {
		orig = append(orig, "RecordState "+r.RecordState)
		if r.RecordState == "ARCHIVED" && st == findings.Active {
			st = findings.Resolved
		}
	}
	return st, strings.Join(orig, ", ")
}
