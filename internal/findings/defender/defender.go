// Package defender reads Microsoft Defender for Cloud findings: Azure
// Resource Graph `securityresources` rows (and the REST API objects) of
// type microsoft.security/alerts (locations/alerts), microsoft.security/
// assessments and microsoft.security/assessments/subassessments, and the
// alerts of continuous export to Event Hubs and workflow automation
// (PascalCase, SystemAlertId at the top).
package defender

import (
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/resource"
)

// row is an ARM object: a Resource Graph row or a REST API item.
type row struct {
	ID             string `json:"id"`
	Type           string `json:"type"`
	Location       string `json:"location"`
	SubscriptionID string `json:"subscriptionId"`
	// Properties is only whether the row has them: they are decoded with
	// the row again into the alert or the assessment (see Parse).
	Properties *struct{} `json:"properties"`
}

type alert struct {
	SystemAlertID       string `json:"systemAlertId"`
	AlertType           string `json:"alertType"`
	AlertDisplayName    string `json:"alertDisplayName"`
	Description         string `json:"description"`
	Severity            string `json:"severity"`
	Status              string `json:"status"`
	StartTimeUtc        string `json:"startTimeUtc"`
	EndTimeUtc          string `json:"endTimeUtc"`
	TimeGeneratedUtc    string `json:"timeGeneratedUtc"`
	TimeGenerated       string `json:"timeGenerated"`
	CompromisedEntity   string `json:"compromisedEntity"`
	AzureResourceID     string `json:"azureResourceId"`
	ResourceIdentifiers []struct {
		Type            string `json:"type"`
		AzureResourceID string `json:"azureResourceId"`
	} `json:"resourceIdentifiers"`
	// Entities are what the alert involves; its account entities name
	// the identity (for linking to vigil's alerts).
	Entities []struct {
		Type      string `json:"type"`
		Name      string `json:"name"`
		UPNSuffix string `json:"upnSuffix"`
		AADUserID string `json:"aadUserId"`
	} `json:"entities"`
}

type assessment struct {
	ID          string `json:"id"` // a sub-assessment's finding id (a CVE)
	DisplayName string `json:"displayName"`
	Description string `json:"description"`
	Status      struct {
		Code                string `json:"code"`
		Severity            string `json:"severity"`
		Cause               string `json:"cause"`
		FirstEvaluationDate string `json:"firstEvaluationDate"`
		StatusChangeDate    string `json:"statusChangeDate"`
	} `json:"status"`
	TimeGenerated   string `json:"timeGenerated"`
	ResourceDetails struct {
		ID         string `json:"id"`
		ResourceID string `json:"resourceId"`
	} `json:"resourceDetails"`
	Metadata struct {
		DisplayName string `json:"displayName"`
		Description string `json:"description"`
		Severity    string `json:"severity"`
	} `json:"metadata"`
	AdditionalData *struct {
		AssessedResourceType string `json:"assessedResourceType"`
		VulnerabilityDetails *struct {
			CveID    string `json:"cveId"`
			Severity string `json:"severity"`
			Cvss     map[string]struct {
				Base             float64 `json:"base"`
				CvssVectorString string  `json:"cvssVectorString"`
			} `json:"cvss"`
			References []struct {
				Link string `json:"link"`
			} `json:"references"`
		} `json:"vulnerabilityDetails"`
		SoftwareDetails *struct {
			PackageName  string `json:"packageName"`
			Version      string `json:"version"`
			FixedVersion string `json:"fixedVersion"`
			Category     string `json:"category"`
			FixStatus    string `json:"fixStatus"`
		} `json:"softwareDetails"`
		ArtifactDetails *struct {
			RegistryHost   string `json:"registryHost"`
			RepositoryName string `json:"repositoryName"`
			Digest         string `json:"digest"`
		} `json:"artifactDetails"`
		Cve []struct {
			Title string `json:"title"`
			Link  string `json:"link"`
		} `json:"cve"`
	} `json:"additionalData"`
}

// Parse reads one Defender for Cloud record: an ARM object of a security
// type, or a continuously exported alert.
func Parse(raw []byte, decode findings.Decode) (findings.Finding, error) {
	decode = decode.Or()
	var r row
	if err := decode(raw, &r); err != nil {
		return findings.Finding{}, fmt.Errorf("Defender for Cloud record: %w", err)
	}
	typ := strings.ToLower(r.Type)
	// The properties are decoded straight from the record rather than
	// from a json.RawMessage of them, which would be a copy (and, with
	// findings.Refer, the finding's strings would keep it alive).
	switch {
	case r.Properties == nil:
		var a alert
		if err := decode(raw, &a); err != nil {
			return findings.Finding{}, fmt.Errorf("Defender for Cloud alert: %w", err)
		}
		return parseAlert(a, r) // continuous export: the alert is the record
	case strings.HasSuffix(typ, "/alerts"):
		var p struct {
			Properties alert `json:"properties"`
		}
		if err := decode(raw, &p); err != nil {
			return findings.Finding{}, fmt.Errorf("Defender for Cloud alert: %w", err)
		}
		return parseAlert(p.Properties, r)
	case typ == "microsoft.security/assessments", typ == "microsoft.security/assessments/subassessments":
		var p struct {
			Properties assessment `json:"properties"`
		}
		if err := decode(raw, &p); err != nil {
			return findings.Finding{}, fmt.Errorf("Defender for Cloud assessment: %w", err)
		}
		return parseAssessment(p.Properties, r, strings.HasSuffix(typ, "/subassessments"))
	}
	return findings.Finding{}, fmt.Errorf("Defender for Cloud record: type %q is not an alert or assessment", r.Type)
}

func parseAlert(a alert, r row) (findings.Finding, error) {
	if a.SystemAlertID == "" && r.ID == "" {
		return findings.Finding{}, fmt.Errorf("Defender for Cloud alert: no systemAlertId")
	}
	f := findings.Finding{
		Product: findings.Defender, Kind: findings.Threat, ID: findings.First(a.SystemAlertID, r.ID),
		Title: a.AlertDisplayName, Description: a.Description, Type: a.AlertType,
		OriginalSeverity: a.Severity, OriginalStatus: a.Status,
		FirstSeen: findings.ParseTime(findings.First(a.StartTimeUtc, a.TimeGeneratedUtc, a.TimeGenerated)),
		LastSeen:  findings.ParseTime(findings.First(a.EndTimeUtc, a.TimeGeneratedUtc, a.TimeGenerated)),
	}
	f.Severity, _ = findings.SeverityFromName(a.Severity)
	switch strings.ToLower(a.Status) {
	case "dismissed":
		f.Status = findings.Suppressed
	case "resolved":
		f.Status = findings.Resolved
	default: // New, Active, InProgress
		f.Status = findings.Active
	}
	id := a.AzureResourceID
	for _, ri := range a.ResourceIdentifiers {
		if strings.EqualFold(ri.Type, "AzureResource") && ri.AzureResourceID != "" {
			id = ri.AzureResourceID
			break
		}
	}
	f.Resource = azureResource(id, r)
	if f.Resource.Name == "" {
		f.Resource.Name = a.CompromisedEntity
	}
	for _, e := range a.Entities {
		if !strings.EqualFold(e.Type, "account") {
			continue
		}
		if e.Name != "" && e.UPNSuffix != "" {
			f.Principals = append(f.Principals, e.Name+"@"+e.UPNSuffix)
		}
		if e.AADUserID != "" {
			f.Principals = append(f.Principals, e.AADUserID)
		}
	}
	if f.Resource.Region == "" {
		f.Resource.Region = locationOf(r.ID)
	}
	return f, nil
}

func parseAssessment(a assessment, r row, sub bool) (findings.Finding, error) {
	if r.ID == "" {
		return findings.Finding{}, fmt.Errorf("Defender for Cloud assessment: no id")
	}
	f := findings.Finding{
		Product: findings.Defender, Kind: findings.Threat, ID: r.ID,
		Title: findings.First(a.DisplayName, a.Metadata.DisplayName), Description: findings.First(a.Description, a.Metadata.Description),
		Type: "recommendation", OriginalStatus: a.Status.Code,
		FirstSeen: findings.ParseTime(a.Status.FirstEvaluationDate),
		LastSeen:  findings.ParseTime(findings.First(a.TimeGenerated, a.Status.StatusChangeDate)),
	}
	f.OriginalSeverity = findings.First(a.Status.Severity, a.Metadata.Severity)
	f.Severity, _ = findings.SeverityFromName(f.OriginalSeverity)
	switch strings.ToLower(a.Status.Code) {
	case "healthy", "notapplicable":
		f.Status = findings.Resolved
	default:
		f.Status = findings.Active
	}
	// The assessed resource: resourceDetails when it is an ARM id, else the
	// id's prefix before its Microsoft.Security provider.
	resID := findings.First(a.ResourceDetails.ID, a.ResourceDetails.ResourceID)
	if !strings.HasPrefix(strings.ToLower(resID), "/subscriptions/") { // a registry's image path, not an ARM id
		resID = ""
		if i := strings.Index(strings.ToLower(r.ID), "/providers/microsoft.security/"); i > 0 {
			resID = r.ID[:i]
		}
	}
	f.Resource = azureResource(resID, r)
	if !sub {
		f.VigilRule = vigilRule(f.Title)
	}
	if sub && a.AdditionalData != nil {
		f.Type = a.AdditionalData.AssessedResourceType
		v := &findings.Vuln{ID: a.ID}
		if d := a.AdditionalData.VulnerabilityDetails; d != nil {
			v.ID = findings.First(d.CveID, v.ID)
			for ver, c := range d.Cvss {
				if c.Base > v.CVSS {
					v.CVSS, v.Vector, v.CVSSVer = c.Base, c.CvssVectorString, ver
				}
			}
			for _, ref := range d.References {
				v.References = append(v.References, ref.Link)
			}
			if s, ok := findings.SeverityFromName(d.Severity); ok && f.OriginalSeverity == "" {
				f.Severity, f.OriginalSeverity = s, d.Severity
			}
		}
		for _, c := range a.AdditionalData.Cve {
			if v.ID == "" || !findings.IsCVE(v.ID) {
				v.ID = findings.First(c.Title, v.ID)
			}
			v.References = append(v.References, c.Link)
		}
		if s := a.AdditionalData.SoftwareDetails; s != nil {
			v.Packages = []findings.Package{{Name: s.PackageName, Version: s.Version, FixedVersion: s.FixedVersion, Manager: s.Category}}
			switch strings.ToLower(s.FixStatus) {
			case "fixavailable":
				v.FixAvailable = "yes"
			case "nofixavailable":
				v.FixAvailable = "no"
			}
		}
		if ad := a.AdditionalData.ArtifactDetails; ad != nil && ad.RegistryHost != "" {
			f.Resource.Type = "container-image"
			f.Resource.Name = ad.RegistryHost + "/" + ad.RepositoryName + "@" + ad.Digest
		}
		if v.ID != "" || v.Packages != nil {
			f.Kind, f.Vuln = findings.Vulnerability, v
		}
	}
	return f, nil
}

// azureResource is the resource an Azure resource id names.
func azureResource(id string, r row) findings.Resource {
	res := findings.Resource{Provider: resource.Azure, ID: id, Account: r.SubscriptionID, Region: r.Location}
	if res.Region == "global" {
		res.Region = ""
	}
	parts := strings.Split(strings.Trim(id, "/"), "/")
	if len(parts) >= 2 && strings.EqualFold(parts[0], "subscriptions") {
		res.Account = parts[1]
	}
	if i := lastIndexFold(parts, "providers"); i >= 0 && len(parts) >= i+4 {
		res.Type = parts[i+1] + "/" + strings.Join(typeSegments(parts[i+2:]), "/")
		res.Name = parts[len(parts)-1]
	}
	return res
}

func typeSegments(rest []string) []string {
	var out []string
	for i := 0; i < len(rest); i += 2 {
		out = append(out, rest[i])
	}
	return out
}

func lastIndexFold(parts []string, s string) int {
	for i := len(parts) - 1; i >= 0; i-- {
		if strings.EqualFold(parts[i], s) {
			return i
		}
	}
	return -1
}

// locationOf is the region in an alert id's /locations/REGION/ segment.
func locationOf(id string) string {
	parts := strings.Split(id, "/")
	for i := 0; i+1 < len(parts); i++ {
		if strings.EqualFold(parts[i], "locations") {
			return parts[i+1]
		}
	}
	return ""
}
