// Package scc reads Google Security Command Center findings: the elements
// of a ListFindings result ({"listFindingsResults":[{"finding":...,
// "resource":...}]}, also what `gcloud scc findings list --format=json`
// prints) and Pub/Sub notifications ({"notificationConfigName":...,
// "finding":...,"resource":...}); both pair a finding with its resource.
package scc

import (
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/resource"
)

type record struct {
	Finding *struct {
		Name          string `json:"name"`
		CanonicalName string `json:"canonicalName"`
		ResourceName  string `json:"resourceName"`
		State         string `json:"state"`
		Mute          string `json:"mute"`
		Category      string `json:"category"`
		Description   string `json:"description"`
		Severity      string `json:"severity"`
		FindingClass  string `json:"findingClass"`
		Compliances   []struct {
			Standard string   `json:"standard"`
			Version  string   `json:"version"`
			IDs      []string `json:"ids"`
		} `json:"compliances"`
		Access *struct {
			PrincipalEmail   string `json:"principalEmail"`
			PrincipalSubject string `json:"principalSubject"`
		} `json:"access"`
		EventTime     string `json:"eventTime"`
		CreateTime    string `json:"createTime"`
		Vulnerability *struct {
			Cve *struct {
				ID         string `json:"id"`
				References []struct {
					URI string `json:"uri"`
				} `json:"references"`
				Cvssv3 *struct {
					BaseScore float64 `json:"baseScore"`
				} `json:"cvssv3"`
				UpstreamFixAvailable *bool `json:"upstreamFixAvailable"`
			} `json:"cve"`
			OffendingPackage *pkg `json:"offendingPackage"`
			FixedPackage     *pkg `json:"fixedPackage"`
		} `json:"vulnerability"`
	} `json:"finding"`
	Resource struct {
		Name               string `json:"name"`
		Type               string `json:"type"`
		DisplayName        string `json:"displayName"`
		ProjectDisplayName string `json:"projectDisplayName"`
		Location           string `json:"location"`
		GcpMetadata        *struct {
			ProjectDisplayName string `json:"projectDisplayName"`
		} `json:"gcpMetadata"`
	} `json:"resource"`
}

type pkg struct {
	PackageName    string `json:"packageName"`
	PackageVersion string `json:"packageVersion"`
	PackageType    string `json:"packageType"`
}

// Parse reads one finding with its resource (a ListFindings result
// element or a notification).
func Parse(raw []byte, decode findings.Decode) (findings.Finding, error) {
	var r record
	if err := decode.Or()(raw, &r); err != nil {
		return findings.Finding{}, fmt.Errorf("Security Command Center finding: %w", err)
	}
	sf := r.Finding
	if sf == nil || sf.Name == "" {
		return findings.Finding{}, fmt.Errorf("Security Command Center finding: no finding.name")
	}
	f := findings.Finding{
		Product: findings.SCC, Kind: findings.Threat, ID: sf.Name, Title: sf.Category, Description: sf.Description,
		Type: strings.Trim(sf.FindingClass+"/"+sf.Category, "/"), OriginalSeverity: sf.Severity,
		FirstSeen: findings.ParseTime(findings.First(sf.CreateTime, sf.EventTime)), LastSeen: findings.ParseTime(sf.EventTime),
		Status: findings.Active, OriginalStatus: strings.Trim(sf.State+" "+sf.Mute, " "),
	}
	for _, c := range sf.Compliances {
		for _, id := range c.IDs {
			// "cis 1.3/3.6", "pci 4.0/1.2.1": standard, version and the
			// control id as SCC gives them.
			f.Requirements = append(f.Requirements, strings.TrimSpace(c.Standard+" "+c.Version)+"/"+id)
		}
	}
	f.VigilRule = vigilRule(sf.Category)
	f.Severity, _ = findings.SeverityFromName(sf.Severity)
	switch {
	case sf.Mute == "MUTED":
		f.Status = findings.Suppressed
	case sf.State == "INACTIVE":
		f.Status = findings.Resolved
	}
	if a := sf.Access; a != nil {
		for _, p := range []string{a.PrincipalEmail, a.PrincipalSubject} {
			if p != "" {
				f.Principals = append(f.Principals, p)
			}
		}
	}
	id := findings.First(sf.ResourceName, r.Resource.Name)
	f.Resource = findings.Resource{Provider: resource.GCP, ID: id, Type: r.Resource.Type, Name: r.Resource.DisplayName, Region: r.Resource.Location}
	f.Resource.Account = r.Resource.ProjectDisplayName
	if m := r.Resource.GcpMetadata; m != nil && f.Resource.Account == "" {
		f.Resource.Account = m.ProjectDisplayName
	}
	if f.Resource.Account == "" {
		f.Resource.Account = findings.Segment(id, "projects")
	}
	if f.Resource.Region == "" {
		f.Resource.Region = regionOf(id)
	}
	if v := sf.Vulnerability; v != nil && (v.Cve != nil || v.OffendingPackage != nil) {
		f.Kind = findings.Vulnerability
		fv := &findings.Vuln{}
		if c := v.Cve; c != nil {
			fv.ID = c.ID
			if c.Cvssv3 != nil {
				fv.CVSS, fv.CVSSVer = c.Cvssv3.BaseScore, "3.0"
			}
			for _, ref := range c.References {
				fv.References = append(fv.References, ref.URI)
			}
			if c.UpstreamFixAvailable != nil {
				fv.FixAvailable = map[bool]string{true: "yes", false: "no"}[*c.UpstreamFixAvailable]
			}
		}
		if p := v.OffendingPackage; p != nil {
			fp := findings.Package{Name: p.PackageName, Version: p.PackageVersion, Manager: p.PackageType}
			if v.FixedPackage != nil {
				fp.FixedVersion = v.FixedPackage.PackageVersion
			}
			fv.Packages = []findings.Package{fp}
		}
		f.Vuln = fv
	}
	return f, nil
}

// regionOf is the region a resource name places the resource in: its
// regions/ or locations/ segment, or the region of its zones/ segment.
func regionOf(name string) string {
	if r := findings.First(findings.Segment(name, "regions"), findings.Segment(name, "locations")); r != "" {
		return r
	}
	if z := findings.Segment(name, "zones"); z != "" {
		if i := strings.LastIndexByte(z, '-'); i > 0 {
			return z[:i]
		}
	}
	return ""
}
