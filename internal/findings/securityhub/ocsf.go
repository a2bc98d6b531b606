package securityhub

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/findings"
	"github.com/vigil-sec/vigil/internal/resource"
)

// ocsfRecord is what vigil reads of a finding in the OCSF form of Security
// Hub (the elements of `aws securityhub get-findings-v2`, {"Findings":[...]},
// and of the detail.findings of EventBridge "Findings Imported V2" events):
// a Compliance Finding (2003), Detection Finding (2004) or Vulnerability
// Finding (2002) whose metadata.product names the AWS service that produced
// it (Security Hub CSPM's controls, GuardDuty, Inspector, Macie).
type ocsfRecord struct {
	ClassUID     int    `json:"class_uid"`
	ActivityID   int    `json:"activity_id"`
	ActivityName string `json:"activity_name"`
	SeverityID   int    `json:"severity_id"`
	Severity     string `json:"severity"`
	StatusID     int    `json:"status_id"`
	Status       string `json:"status"`
	Metadata     struct {
		Product struct {
			Name       string `json:"name"`
			VendorName string `json:"vendor_name"`
		} `json:"product"`
	} `json:"metadata"`
	Cloud struct {
		Provider string `json:"provider"`
		Region   string `json:"region"`
		Account  struct {
			UID string `json:"uid"`
		} `json:"account"`
	} `json:"cloud"`
	FindingInfo struct {
		UID             string   `json:"uid"`
		Title           string   `json:"title"`
		Desc            string   `json:"desc"`
		Types           []string `json:"types"`
		CreatedTime     ocsfTime `json:"created_time"`
		CreatedTimeDt   string   `json:"created_time_dt"`
		FirstSeenTime   ocsfTime `json:"first_seen_time"`
		FirstSeenTimeDt string   `json:"first_seen_time_dt"`
		LastSeenTime    ocsfTime `json:"last_seen_time"`
		LastSeenTimeDt  string   `json:"last_seen_time_dt"`
		ModifiedTime    ocsfTime `json:"modified_time"`
		ModifiedTimeDt  string   `json:"modified_time_dt"`
	} `json:"finding_info"`
	Resources []struct {
		UID    string `json:"uid"`
		Name   string `json:"name"`
		Type   string `json:"type"`
		Region string `json:"region"`
		Owner  struct {
			Account struct {
				UID string `json:"uid"`
			} `json:"account"`
		} `json:"owner"`
	} `json:"resources"`
	Compliance *struct {
		Control      string   `json:"control"`
		Status       string   `json:"status"`
		StatusID     int      `json:"status_id"`
		Standards    []string `json:"standards"`
		Requirements []string `json:"requirements"`
	} `json:"compliance"`
	Vulnerabilities []struct {
		CVE *struct {
			UID  string `json:"uid"`
			CVSS []struct {
				BaseScore    float64 `json:"base_score"`
				VectorString string  `json:"vector_string"`
				Version      string  `json:"version"`
			} `json:"cvss"`
		} `json:"cve"`
		Advisory *struct {
			UID string `json:"uid"`
		} `json:"advisory"`
		AffectedPackages []struct {
			Name           string `json:"name"`
			Version        string `json:"version"`
			Release        string `json:"release"`
			FixedInVersion string `json:"fixed_in_version"`
			PackageManager string `json:"package_manager"`
			Path           string `json:"path"`
		} `json:"affected_packages"`
		IsFixAvailable *bool    `json:"is_fix_available"`
		FixAvailable   *bool    `json:"fix_available"`
		References     []string `json:"references"`
	} `json:"vulnerabilities"`
}

// ocsfTime is an OCSF timestamp: milliseconds since the epoch (a number,
// or a string holding one, as some exporters write it).
type ocsfTime int64

func (t *ocsfTime) UnmarshalJSON(b []byte) error {
	b = bytes.Trim(b, `"`)
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("timestamp %q: %w", b, err)
	}
	*t = ocsfTime(v)
	return nil
}

func (t ocsfTime) time() time.Time {
	if t <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(t)).UTC()
}

// seen is the first of the _dt string and the epoch form that is set.
func seen(dt string, ms ocsfTime) time.Time {
	if t := findings.ParseTime(dt); !t.IsZero() {
		return t
	}
	return ms.time()
}

// The OCSF finding classes Security Hub writes.
const (
	classVulnerability = 2002
	classCompliance    = 2003
	classDetection     = 2004
)

// ParseOCSF reads one finding in Security Hub's OCSF form.
func ParseOCSF(raw []byte, decode findings.Decode) (findings.Finding, error) {
	var r ocsfRecord
	if err := decode.Or()(raw, &r); err != nil {
		return findings.Finding{}, fmt.Errorf("Security Hub OCSF finding: %w", err)
	}
	fi := &r.FindingInfo
	if fi.UID == "" {
		return findings.Finding{}, fmt.Errorf("Security Hub OCSF finding: no finding_info.uid")
	}
	if !isAWS(r.Metadata.Product.VendorName) && !isAWS(r.Cloud.Provider) {
		return findings.Finding{}, fmt.Errorf("OCSF finding %s: %w", fi.UID, ErrNotAWS)
	}
	switch r.ClassUID {
	case classVulnerability, classCompliance, classDetection:
	default:
		return findings.Finding{}, fmt.Errorf("Security Hub OCSF finding %s: class_uid %d is not a finding class vigil reads (2002, 2003, 2004)", fi.UID, r.ClassUID)
	}
	f := findings.Finding{
		Product: findings.SecurityHub, Kind: findings.Threat, ID: fi.UID, Title: fi.Title, Description: fi.Desc,
		Origin:    r.Metadata.Product.Name,
		FirstSeen: firstSet(seen(fi.FirstSeenTimeDt, fi.FirstSeenTime), seen(fi.CreatedTimeDt, fi.CreatedTime)),
		LastSeen:  firstSet(seen(fi.LastSeenTimeDt, fi.LastSeenTime), seen(fi.ModifiedTimeDt, fi.ModifiedTime)),
		Resource:  findings.Resource{Provider: resource.AWS, Account: r.Cloud.Account.UID, Region: r.Cloud.Region},
	}
	if len(fi.Types) > 0 {
		f.Type = fi.Types[0]
	}
	if c := r.Compliance; c != nil {
		f.Requirements = c.Requirements
		if c.Control != "" {
			f.Type = c.Control
			f.VigilRule = vigilRules[c.Control]
		}
	}
	f.Severity, f.OriginalSeverity = ocsfSeverity(r.SeverityID, r.Severity)
	f.Status, f.OriginalStatus = ocsfStatus(&r)
	if len(r.Resources) > 0 {
		res := r.Resources[0]
		f.Resource.ID, f.Resource.Type, f.Resource.Name = res.UID, res.Type, res.Name
		if acct, ok := strings.CutPrefix(res.UID, "AWS::::Account:"); ok {
			f.Resource.ID = "aws-account/" + acct
		}
		f.Resource.Region = findings.First(res.Region, r.Cloud.Region)
		f.Resource.Account = findings.First(f.Resource.Account, res.Owner.Account.UID)
	}
	if len(r.Vulnerabilities) > 0 {
		v := r.Vulnerabilities[0]
		f.Kind = findings.Vulnerability
		// The same facts as ASFF's and Inspector's: read them alike.
		var id string
		var cvss []findings.AWSCvss
		if v.CVE != nil {
			id = v.CVE.UID
			for _, c := range v.CVE.CVSS {
				cvss = append(cvss, findings.AWSCvss{Version: c.Version, BaseScore: c.BaseScore, BaseVector: c.VectorString})
			}
		}
		if id == "" && v.Advisory != nil {
			id = v.Advisory.UID
		}
		pkgs := make([]findings.AWSPackage, len(v.AffectedPackages))
		for i, p := range v.AffectedPackages {
			pkgs[i] = findings.AWSPackage{Name: p.Name, Version: p.Version, Release: p.Release, PackageManager: p.PackageManager,
				FilePath: p.Path, FixedInVersion: p.FixedInVersion}
		}
		fix := v.IsFixAvailable
		if fix == nil {
			fix = v.FixAvailable
		}
		fixAvailable := ""
		if fix != nil {
			fixAvailable = "no"
			if *fix {
				fixAvailable = "yes"
			}
		}
		f.Vuln = findings.AWSVuln(id, pkgs, cvss, v.References, fixAvailable)
	}
	return f, nil
}

// ErrNotAWS is an OCSF finding of another vendor than AWS: not Security
// Hub's form (the import counts it as a record of no known format).
var ErrNotAWS = errors.New("not an AWS finding (metadata.product.vendor_name and cloud.provider name another vendor)")

func isAWS(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "aws", "amazon", "amazon web services":
		return true
	}
	return false
}

func firstSet(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// ocsfSeverity maps OCSF's severity_id (1 informational ... 5 critical, 6
// fatal) to vigil's scale; the caption is kept as the original.
func ocsfSeverity(id int, caption string) (finding.Severity, string) {
	orig := findings.First(caption, strconv.Itoa(id))
	switch id {
	case 5, 6:
		return finding.Critical, orig
	case 4:
		return finding.High, orig
	case 3:
		return finding.Medium, orig
	case 2:
		return finding.Low, orig
	case 1:
		return finding.Info, orig
	}
	if s, ok := findings.SeverityFromName(caption); ok {
		return s, orig
	}
	return finding.Info, orig
}

// ocsfStatus maps the finding's status (1 new, 2 in progress, 3
// suppressed, 4 resolved, 5 archived), a Close activity and a passed
// control to one status; the original names each that is set.
func ocsfStatus(r *ocsfRecord) (findings.Status, string) {
	var orig []string
	st := findings.Active
	if c := r.Compliance; c != nil && (c.Status != "" || c.StatusID != 0) {
		orig = append(orig, "Compliance "+findings.First(c.Status, strconv.Itoa(c.StatusID)))
		if c.StatusID == 1 || strings.EqualFold(c.Status, "Pass") {
			st = findings.Resolved
		}
	}
	if r.Status != "" || r.StatusID != 0 {
		orig = append(orig, "Status "+findings.First(r.Status, strconv.Itoa(r.StatusID)))
		switch r.StatusID {
		case 3:
			st = findings.Suppressed
		case 4, 5:
			st = findings.Resolved
		}
	}
	if strings.EqualFold(r.ActivityName, "Close") || r.ActivityID == 3 {
		orig = append(orig, "Activity Close")
		if st == findings.Active {
			st = findings.Resolved
		}
	}
	return st, strings.Join(orig, ", ")
}
