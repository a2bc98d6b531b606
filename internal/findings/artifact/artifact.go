// Package artifact reads Google Artifact Analysis (Container Analysis)
// vulnerability occurrences: the elements of `gcloud artifacts docker
// images list-vulnerabilities --format=json` and of the occurrences list
// API ({"occurrences":[...]}), kind VULNERABILITY.
package artifact

import (
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/resource"
)

type version struct {
	Name     string `json:"name"`
	Revision string `json:"revision"`
	Kind     string `json:"kind"`
	FullName string `json:"fullName"`
}

func (v version) String() string {
	if v.FullName != "" {
		return v.FullName
	}
	if v.Revision != "" {
		return v.Name + "-" + v.Revision
	}
	return v.Name
}

type record struct {
	Name          string `json:"name"`
	ResourceURI   string `json:"resourceUri"`
	NoteName      string `json:"noteName"`
	Kind          string `json:"kind"`
	CreateTime    string `json:"createTime"`
	UpdateTime    string `json:"updateTime"`
	Vulnerability *struct {
		Severity          string  `json:"severity"`
		EffectiveSeverity string  `json:"effectiveSeverity"`
		CvssScore         float64 `json:"cvssScore"`
		CvssVersion       string  `json:"cvssVersion"`
		ShortDescription  string  `json:"shortDescription"`
		LongDescription   string  `json:"longDescription"`
		FixAvailable      *bool   `json:"fixAvailable"`
		RelatedUrls       []struct {
			URL string `json:"url"`
		} `json:"relatedUrls"`
		PackageIssue []struct {
			AffectedPackage string  `json:"affectedPackage"`
			AffectedVersion version `json:"affectedVersion"`
			FixedVersion    version `json:"fixedVersion"`
			PackageType     string  `json:"packageType"`
			FileLocation    []struct {
				FilePath string `json:"filePath"`
			} `json:"fileLocation"`
		} `json:"packageIssue"`
		CvssV3 *struct {
			BaseScore float64 `json:"baseScore"`
		} `json:"cvssV3"`
	} `json:"vulnerability"`
}

// Parse reads one vulnerability occurrence.
func Parse(raw []byte, decode findings.Decode) (findings.Finding, error) {
	var r record
	if err := decode.Or()(raw, &r); err != nil {
		return findings.Finding{}, fmt.Errorf("Artifact Analysis occurrence: %w", err)
	}
	v := r.Vulnerability
	if r.Name == "" || v == nil {
		return findings.Finding{}, fmt.Errorf("Artifact Analysis occurrence: no name or vulnerability")
	}
	cve := findings.First(v.ShortDescription, r.NoteName[strings.LastIndexByte(r.NoteName, '/')+1:])
	f := findings.Finding{
		Product: findings.ArtifactAnalysis, Kind: findings.Vulnerability, ID: r.Name, Title: cve, Description: v.LongDescription,
		Type: r.Kind, OriginalSeverity: findings.First(v.EffectiveSeverity, v.Severity), Status: findings.Active,
		FirstSeen: findings.ParseTime(r.CreateTime), LastSeen: findings.ParseTime(findings.First(r.UpdateTime, r.CreateTime)),
		Resource: findings.Resource{Provider: resource.GCP, ID: r.ResourceURI, Type: "container-image",
			Account: findings.Segment(r.Name, "projects"), Region: regionOf(r.ResourceURI)},
	}
	var ok bool
	if f.Severity, ok = findings.SeverityFromName(f.OriginalSeverity); !ok && v.CvssScore > 0 {
		f.Severity = findings.SeverityFromScore(v.CvssScore)
	}
	fv := &findings.Vuln{ID: cve, CVSS: v.CvssScore, CVSSVer: v.CvssVersion}
	if v.CvssV3 != nil && v.CvssV3.BaseScore > 0 {
		fv.CVSS = v.CvssV3.BaseScore
	}
	if v.FixAvailable != nil {
		fv.FixAvailable = map[bool]string{true: "yes", false: "no"}[*v.FixAvailable]
	}
	for _, u := range v.RelatedUrls {
		fv.References = append(fv.References, u.URL)
	}
	for _, pi := range v.PackageIssue {
		p := findings.Package{Name: pi.AffectedPackage, Version: pi.AffectedVersion.String(), Manager: pi.PackageType}
		if pi.FixedVersion.Kind != "MAXIMUM" { // MAXIMUM: no fix yet
			p.FixedVersion = pi.FixedVersion.String()
		}
		if len(pi.FileLocation) > 0 {
			p.Path = pi.FileLocation[0].FilePath
		}
		fv.Packages = append(fv.Packages, p)
	}
	f.Vuln = fv
	return f, nil
}

// regionOf is the location of an Artifact Registry host
// (https://us-central1-docker.pkg.dev/...).
func regionOf(uri string) string {
	host := strings.TrimPrefix(strings.TrimPrefix(uri, "https://"), "http://")
	if i := strings.IndexByte(host, '/'); i >= 0 {
		host = host[:i]
	}
	if loc, ok := strings.CutSuffix(host, "-docker.pkg.dev"); ok {
		return loc
	}
	return ""
}
