package findings

import (
	"encoding/json"
	"time"

	"github.com/vigil-sec/vigil/internal/ocsf"
)

// OCSF returns the finding as an OCSF event in ocsf.Version: a Detection
// Finding (2004) for a threat, a Vulnerability Finding (2002) for a
// vulnerability. The provider's severity and status are kept in unmapped,
// the record in raw_data (one left in its file, RawAt, is read back; it is
// left out if it cannot be).
func (f *Finding) OCSF() any {
	raw, _ := f.RawRecord(nil)
	hdr := ocsf.FindingHeader{
		ActivityID: ocsf.FindingActivityCreate, ActivityName: "Create",
		CategoryUID: ocsf.FindingsCategoryUID, CategoryName: "Findings",
		Time:       millis(f.LastSeen, f.FirstSeen),
		Message:    f.Title,
		SeverityID: ocsf.SeverityIDOf(string(f.Severity)), Severity: ocsf.SeverityName(ocsf.SeverityIDOf(string(f.Severity))),
		StatusID: statusID(f.Status),
	}
	hdr.Status = ocsf.FindingStatusName(hdr.StatusID)
	md := ocsf.Metadata{
		Version: ocsf.Version, Product: ocsf.Product{Name: string(f.Product), VendorName: f.Product.Vendor()},
		UID: f.ID, Profiles: []string{"cloud"},
	}
	if f.Origin != "" {
		md.Labels = []string{"origin:" + f.Origin}
	}
	info := ocsf.FindingInfo{
		UID: f.ID, Title: f.Title, Desc: f.Description,
		FirstSeenTime: millis(f.FirstSeen), LastSeenTime: millis(f.LastSeen),
	}
	if f.Type != "" {
		info.Types = []string{f.Type}
	}
	cloud := &ocsf.Cloud{Provider: string(f.Resource.Provider), Region: f.Resource.Region}
	if f.Resource.Account != "" {
		cloud.Account = &ocsf.Account{UID: f.Resource.Account}
	}
	var res []ocsf.ResourceDetails
	if f.Resource.ID != "" {
		res = []ocsf.ResourceDetails{{UID: f.Resource.ID, Name: f.Resource.Name, Type: f.Resource.Type, Region: f.Resource.Region}}
	}
	um := map[string]any{"original_severity": f.OriginalSeverity, "original_status": f.OriginalStatus, "status": string(f.Status)}
	if len(f.LinkedAlerts) > 0 {
		um["linked_alerts"] = f.LinkedAlerts
	}
	if len(f.Sources) > 0 {
		um["sources"] = f.Sources
	}
	unmapped, _ := json.Marshal(um)
	if f.Kind != Vulnerability || f.Vuln == nil {
		hdr.ClassUID, hdr.ClassName = ocsf.DetectionFindingClassUID, "Detection Finding"
		hdr.TypeUID, hdr.TypeName = ocsf.DetectionFindingCreate, "Detection Finding: Create"
		return &ocsf.DetectionFinding{
			FindingHeader: hdr, IsAlert: f.Status == Active, Metadata: md, FindingInfo: info,
			Cloud: cloud, Resources: res, RawData: string(raw), Unmapped: unmapped,
		}
	}
	hdr.ClassUID, hdr.ClassName = ocsf.VulnerabilityFindingClassUID, "Vulnerability Finding"
	hdr.TypeUID, hdr.TypeName = ocsf.VulnerabilityFindingCreate, "Vulnerability Finding: Create"
	v := ocsf.Vulnerability{
		Title: f.Title, Desc: f.Description, Severity: f.OriginalSeverity, VendorName: f.Product.Vendor(),
		References: f.Vuln.References, FirstSeenTime: millis(f.FirstSeen), LastSeenTime: millis(f.LastSeen),
	}
	if IsCVE(f.Vuln.ID) {
		v.CVE = &ocsf.CVE{UID: f.Vuln.ID}
		if f.Vuln.CVSS > 0 {
			v.CVE.CVSS = []ocsf.CVSS{{BaseScore: f.Vuln.CVSS, Version: f.Vuln.CVSSVer, VectorString: f.Vuln.Vector}}
		}
	} else {
		v.Advisory = &ocsf.Advisory{UID: First(f.Vuln.ID, f.ID)}
	}
	switch f.Vuln.FixAvailable {
	case "yes", "partial":
		t := true
		v.IsFixAvailable = &t
	case "no":
		t := false
		v.IsFixAvailable = &t
	}
	for _, p := range f.Vuln.Packages {
		v.AffectedPackages = append(v.AffectedPackages, ocsf.AffectedPackage{
			Name: p.Name, Version: p.Version, FixedInVersion: p.FixedVersion, PackageManager: p.Manager, Path: p.Path,
		})
	}
	return &ocsf.VulnerabilityFinding{
		FindingHeader: hdr, Metadata: md, FindingInfo: info, Cloud: cloud, Resources: res,
		Vulnerabilities: []ocsf.Vulnerability{v}, RawData: string(raw), Unmapped: unmapped,
	}
}

// millis is the first non-zero time in milliseconds since the epoch.
func millis(ts ...time.Time) int64 {
	for _, t := range ts {
		if !t.IsZero() {
			return t.UnixMilli()
		}
	}
	return 0
}

func statusID(s Status) int {
	switch s {
	case Suppressed:
		return ocsf.FindingStatusSuppressed
	case Resolved:
		return ocsf.FindingStatusResolved
	}
	return ocsf.FindingStatusNew
}
