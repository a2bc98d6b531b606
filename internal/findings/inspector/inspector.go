// Package inspector reads Amazon Inspector (v2) findings: the elements of
// `aws inspector2 list-findings` ({"findings":[...]}) and the detail of
// EventBridge "Inspector2 Finding" events.
package inspector

import (
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/resource"
)

type record struct {
	AwsAccountID    string  `json:"awsAccountId"`
	FindingArn      string  `json:"findingArn"`
	Title           string  `json:"title"`
	Description     string  `json:"description"`
	Type            string  `json:"type"`
	Severity        string  `json:"severity"`
	InspectorScore  float64 `json:"inspectorScore"`
	Status          string  `json:"status"`
	FirstObservedAt string  `json:"firstObservedAt"`
	LastObservedAt  string  `json:"lastObservedAt"`
	UpdatedAt       string  `json:"updatedAt"`
	FixAvailable    string  `json:"fixAvailable"`
	Resources       []struct {
		ID        string `json:"id"`
		Type      string `json:"type"`
		Region    string `json:"region"`
		Partition string `json:"partition"`
	} `json:"resources"`
	PackageVulnerabilityDetails *struct {
		VulnerabilityID    string                `json:"vulnerabilityId"`
		VulnerablePackages []findings.AWSPackage `json:"vulnerablePackages"`
		Cvss               []findings.AWSCvss    `json:"cvss"`
		ReferenceUrls      []string              `json:"referenceUrls"`
	} `json:"packageVulnerabilityDetails"`
}

// resourceTypes maps Inspector's resource types to the inventory's.
var resourceTypes = map[string]string{
	"AWS_EC2_INSTANCE":        "AWS::EC2::Instance",
	"AWS_ECR_CONTAINER_IMAGE": "AWS::ECR::Image",
	"AWS_ECR_REPOSITORY":      "AWS::ECR::Repository",
	"AWS_LAMBDA_FUNCTION":     "AWS::Lambda::Function",
}

// Parse reads one Inspector finding.
func Parse(raw []byte, decode findings.Decode) (findings.Finding, error) {
	var r record
	if err := decode.Or()(raw, &r); err != nil {
		return findings.Finding{}, fmt.Errorf("Inspector finding: %w", err)
	}
	if r.FindingArn == "" {
		return findings.Finding{}, fmt.Errorf("Inspector finding: no findingArn")
	}
	f := findings.Finding{
		Product: findings.Inspector, Kind: findings.Threat, ID: r.FindingArn, Title: r.Title, Description: r.Description,
		Type: r.Type, OriginalSeverity: r.Severity, OriginalStatus: r.Status,
		FirstSeen: findings.ParseTime(r.FirstObservedAt), LastSeen: findings.ParseTime(findings.First(r.LastObservedAt, r.UpdatedAt)),
		Resource: findings.Resource{Provider: resource.AWS, Account: r.AwsAccountID},
	}
	var ok bool
	if f.Severity, ok = findings.SeverityFromName(r.Severity); !ok { // UNTRIAGED: the score decides
		f.Severity = findings.SeverityFromScore(r.InspectorScore)
	}
	switch r.Status {
	case "SUPPRESSED":
		f.Status = findings.Suppressed
	case "CLOSED":
		f.Status = findings.Resolved
	default:
		f.Status = findings.Active
	}
	if len(r.Resources) > 0 {
		res := r.Resources[0]
		f.Resource.Region, f.Resource.ID, f.Resource.Type = res.Region, res.ID, findings.First(resourceTypes[res.Type], res.Type)
		if res.Type == "AWS_LAMBDA_FUNCTION" && strings.Count(res.ID, ":") == 7 { // arn:aws:lambda:R:A:function:NAME:QUALIFIER
			f.Resource.ID = res.ID[:strings.LastIndexByte(res.ID, ':')]
		}
		if res.Type == "AWS_EC2_INSTANCE" && !strings.HasPrefix(res.ID, "arn:") {
			f.Resource.Name = res.ID
			f.Resource.ID = fmt.Sprintf("arn:%s:ec2:%s:%s:instance/%s", findings.First(res.Partition, "aws"), res.Region, r.AwsAccountID, res.ID)
		}
	}
	if d := r.PackageVulnerabilityDetails; d != nil {
		f.Kind = findings.Vulnerability
		f.Vuln = findings.AWSVuln(d.VulnerabilityID, d.VulnerablePackages, d.Cvss, d.ReferenceUrls, r.FixAvailable)
	}
	return f, nil
}
