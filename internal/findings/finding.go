package findings

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Product names the cloud service that reported a finding.
type Product string

// The products vigil imports findings from.
const (
	GuardDuty        Product = "GuardDuty"
	SecurityHub      Product = "Security Hub"
	Inspector        Product = "Inspector"
	Defender         Product = "Defender for Cloud"
	SCC              Product = "Security Command Center"
	ArtifactAnalysis Product = "Artifact Analysis"
)

// Vendor is the cloud vendor of a product, as OCSF's vendor_name.
func (p Product) Vendor() string {
	switch p {
	case GuardDuty, SecurityHub, Inspector:
		return "AWS"
	case Defender:
		return "Microsoft"
	case SCC, ArtifactAnalysis:
		return "Google"
	}
	return ""
}

// Kind separates threats (and posture problems) from vulnerabilities.
type Kind string

const (
	// Threat is a detection of suspicious activity or a misconfiguration:
	// an OCSF Detection Finding.
	Threat Kind = "threat"
	// Vulnerability is a known weakness in installed software: an OCSF
	// Vulnerability Finding.
	Vulnerability Kind = "vulnerability"
)

// Status is where a finding is in its lifecycle, on one scale for every
// product.
type Status string

const (
	Active     Status = "active"
	Suppressed Status = "suppressed" // archived, dismissed, muted
	Resolved   Status = "resolved"   // closed, inactive, passed
)

// Finding is one provider finding in vigil's model.
type Finding struct {
	Product Product `json:"product"`
	Kind    Kind    `json:"kind"`
	// ID is the provider's own id of the finding (an ARN, a GUID, a
	// resource name).
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	// Origin is the product that produced a finding an aggregator passed
	// on (Security Hub's ProductName: "GuardDuty", "Inspector", "Config").
	Origin string `json:"origin,omitempty"`
	// Type is the provider's finding type or category, e.g.
	// "Recon:EC2/PortProbeUnprotectedPort".
	Type     string           `json:"type,omitempty"`
	Severity finding.Severity `json:"severity"`
	// OriginalSeverity is the severity as the provider wrote it ("8",
	// "HIGH", "High").
	OriginalSeverity string `json:"original_severity"`
	Status           Status `json:"status"`
	// OriginalStatus is the provider's own state, e.g. "ARCHIVED",
	// "Dismissed", "INACTIVE".
	OriginalStatus string   `json:"original_status,omitempty"`
	Resource       Resource `json:"resource"`
	// FirstSeen and LastSeen bound the activity or the observation; zero
	// when the provider does not say.
	FirstSeen time.Time `json:"first_seen,omitzero"`
	LastSeen  time.Time `json:"last_seen,omitzero"`
	// Vuln is set for vulnerabilities.
	Vuln *Vuln `json:"vulnerability,omitempty"`
	// Principals identify the identity a threat is about, as the audit
	// logs name it (a user ARN, a principal id, an access key id, an
	// e-mail), for linking the finding to vigil's detection alerts.
	// Requirements are the framework requirements the provider maps the
	// finding to, as it names them ("NIST.800-53.r5 AC-2", "PCI DSS
	// v4.0.1/1.2.5", SCC's "cis 2.0/3.6"): see ControlRefs.
	Requirements []string `json:"requirements,omitempty"`
	Principals   []string `json:"principals,omitempty"`
	// VigilRule is the vigil rule that checks the same control as a
	// provider's control finding (Security Hub's S3.8 and vigil's
	// storage-public-access-not-blocked).
	VigilRule string `json:"vigil_rule,omitempty"`
	// Sources are the checks that reported this finding when more than
	// the provider's did: "Security Hub S3.8", "vigil
	// storage-public-access-not-blocked" (see MergeScan).
	Sources []string `json:"sources,omitempty"`
	// LinkedAlerts are the ids of vigil detection alerts on the same
	// principal in the same hour (see LinkAlerts).
	LinkedAlerts []string `json:"linked_alerts,omitempty"`
	// Source is where the record was read.
	Source Source `json:"source"`
	// Raw is the provider's record exactly as read.
	Raw json.RawMessage `json:"raw,omitempty"`
	// RawAt locates the raw record in its file when the import left it
	// there (load.RawInFiles) instead of keeping it in Raw: RawRecord
	// reads it, and WriteOCSF writes it as Raw.
	RawAt RawRef `json:"-"`
}

// Resource is the resource a finding is about.
type Resource struct {
	Provider resource.Provider `json:"provider"`
	// Account is the AWS account, Azure subscription or GCP project.
	Account string `json:"account,omitempty"`
	Region  string `json:"region,omitempty"`
	// ID is the inventory's id of the resource when it was joined, else
	// the id the provider gave (an ARN, Azure resource id, full resource
	// name, image URI).
	ID   string `json:"id,omitempty"`
	Type string `json:"type,omitempty"`
	Name string `json:"name,omitempty"`
	// InInventory is set when the resource was found in the inventory.
	InInventory bool `json:"in_inventory,omitempty"`
	// Exposed is whether the inventory resource is reachable from the
	// internet (vigil's reachability, else a public address); nil when the
	// resource was not joined.
	Exposed *bool `json:"exposed,omitempty"`
	// AttackPath is vigil's attack-path chain through the resource: exposed,
	// and its identity is an admin or reads sensitive data.
	AttackPath string `json:"attack_path,omitempty"`
}

// Priority ranks findings of one severity: 2 on a resource with an attack
// path (exposed and over-privileged or reaching sensitive data), 1 on an
// exposed one, 0 otherwise (isolated, or not in the inventory).
func (r *Resource) Priority() int {
	switch {
	case r.AttackPath != "":
		return 2
	case r.Exposed != nil && *r.Exposed:
		return 1
	}
	return 0
}

// Vuln is what a vulnerability finding says about the weakness.
type Vuln struct {
	// ID is the CVE (or the advisory id when there is no CVE).
	ID       string    `json:"id"`
	CVSS     float64   `json:"cvss,omitempty"`
	Vector   string    `json:"cvss_vector,omitempty"`
	CVSSVer  string    `json:"cvss_version,omitempty"`
	Packages []Package `json:"packages,omitempty"`
	// FixAvailable is "yes", "no", "partial" or "" (unknown).
	FixAvailable string   `json:"fix_available,omitempty"`
	References   []string `json:"references,omitempty"`
}

// Package is a vulnerable package: its installed and its fixed version.
type Package struct {
	Name         string `json:"name"`
	Version      string `json:"version,omitempty"`
	FixedVersion string `json:"fixed_version,omitempty"`
	Manager      string `json:"manager,omitempty"`
	Path         string `json:"path,omitempty"`
}

// Source names the file and the position of the record in it.
type Source struct {
	File string `json:"file"`
	// Index is the record's 0-based position in the file (its array
	// element, or its line in a JSON-lines file).
	Index int `json:"index"`
}

// IsCVE reports whether id is a CVE id.
func IsCVE(id string) bool { return strings.HasPrefix(strings.ToUpper(id), "CVE-") }

// SeverityFromName maps a provider's severity word to vigil's scale; ok
// is false for words no provider uses (UNTRIAGED, SEVERITY_UNSPECIFIED).
func SeverityFromName(s string) (finding.Severity, bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "CRITICAL":
		return finding.Critical, true
	case "HIGH", "IMPORTANT":
		return finding.High, true
	case "MEDIUM", "MODERATE":
		return finding.Medium, true
	case "LOW":
		return finding.Low, true
	case "INFORMATIONAL", "INFORMATION", "INFO", "MINIMAL", "NEGLIGIBLE":
		return finding.Info, true
	}
	return finding.Info, false
}

// SeverityFromScore maps a 0-10 score (CVSS, GuardDuty severity) to
// vigil's scale on the CVSS v3 bands: 9+ critical, 7+ high, 4+ medium,
// above 0 low.
func SeverityFromScore(v float64) finding.Severity {
	switch {
	case v >= 9:
		return finding.Critical
	case v >= 7:
		return finding.High
	case v >= 4:
		return finding.Medium
	case v > 0:
		return finding.Low
	}
	return finding.Info
}

// FormatScore writes a score the way providers show it ("8", "5.5").
func FormatScore(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// timeLayouts are the layouts the exports write times in: RFC 3339 (the
// APIs and CLIs) and the date(1)-like form of Inspector's EventBridge
// events ("Mon Nov 23 22:46:15.155 UTC 2026").
var timeLayouts = []string{time.RFC3339Nano, "Mon Jan _2 15:04:05.000 MST 2006", "Mon Jan _2 15:04:05 MST 2006"}

// ParseTime reads a time in one of the exports' layouts; the zero time
// when s is empty or not a time.
func ParseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// First returns the first non-empty string.
func First(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// AWSPackage is a vulnerable package as Inspector and Security Hub (ASFF,
// which carries Inspector's findings) both write it: the same fields, in
// camelCase and PascalCase (the decoders match either).
type AWSPackage struct {
	Name           string `json:"name"`
	Version        string `json:"version"`
	Release        string `json:"release"`
	PackageManager string `json:"packageManager"`
	FilePath       string `json:"filePath"`
	FixedInVersion string `json:"fixedInVersion"`
}

// AWSCvss is a CVSS score as Inspector (scoringVector) and ASFF
// (BaseVector) write it.
type AWSCvss struct {
	Version       string  `json:"version"`
	BaseScore     float64 `json:"baseScore"`
	BaseVector    string  `json:"BaseVector"`
	ScoringVector string  `json:"scoringVector"`
}

// AWSVuln is the vulnerability of an Inspector or ASFF finding: the
// highest CVSS score, each package with its release joined to its version
// and "NotAvailable" read as no fixed version.
func AWSVuln(id string, pkgs []AWSPackage, cvss []AWSCvss, refs []string, fixAvailable string) *Vuln {
	v := &Vuln{ID: id, References: refs, FixAvailable: strings.ToLower(fixAvailable)}
	for _, c := range cvss {
		if c.BaseScore > v.CVSS {
			v.CVSS, v.Vector, v.CVSSVer = c.BaseScore, First(c.BaseVector, c.ScoringVector), c.Version
		}
	}
	for _, p := range pkgs {
		version, fixed := p.Version, p.FixedInVersion
		if p.Release != "" {
			version += "-" + p.Release
		}
		if strings.EqualFold(fixed, "NotAvailable") {
			fixed = ""
		}
		v.Packages = append(v.Packages, Package{Name: p.Name, Version: version, FixedVersion: fixed, Manager: p.PackageManager, Path: p.FilePath})
	}
	return v
}

// Segment returns the path segment after key in a slash-separated
// resource name ("projects" in "projects/p/occurrences/o" gives "p").
func Segment(name, key string) string {
	for rest := name; ; {
		part, after, found := strings.Cut(rest, "/")
		if !found {
			return ""
		}
		if part == key {
			next, _, _ := strings.Cut(after, "/")
			return next
		}
		rest = after
	}
}
