package gcp

import (
	"context"
	"regexp"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// CIS GCP 5.0 2.16: Access Approval, which Cloud Asset Inventory does not
// export. Its settings are read from `gcloud access-approval settings get
// --project P --format json` (the Access Approval API's
// AccessApprovalSettings, which vigil collect writes as
// gcp/<project>/accessapproval.json):
//
//	{"name": "projects/P/accessApprovalSettings", "enrolledAncestor": false,
//	 "enrolledServices": [{"cloudProduct": "all", "enrollmentLevel": "BLOCK_ALL"}],
//	 "notificationEmails": ["secops@example.com"]}
//
// A project is enrolled when its own settings list an enrolled service
// (a project enrolls all services or none) or an ancestor folder or the
// organization enrolls one (enrolledAncestor). Settings without either are
// a project without Access Approval: the API answers so for a project that
// never enabled it. A folder's or organization's settings say nothing of a
// project the input does not show, and are not read.

// FormatAccessApproval is the Access Approval settings document.
const (
	FormatAccessApproval   = "gcp-access-approval-settings"
	TypeAccessApproval     = "accessapproval.googleapis.com/AccessApprovalSettings"
	accessApprovalEnrolled = "Enrolled"
)

var accessApprovalName = regexp.MustCompile(`^(projects|folders|organizations)/([^/]+)/accessApprovalSettings$`)

// DetectAccessApproval returns FormatAccessApproval when doc is an
// AccessApprovalSettings object (its name ends in /accessApprovalSettings).
func DetectAccessApproval(doc any) string {
	if d, ok := doc.(attr.M); ok && accessApprovalName.MatchString(attr.Str(d, "name")) {
		return FormatAccessApproval
	}
	return ""
}

// ParseAccessApproval reads a project's Access Approval settings into one
// resource of class other (TypeAccessApproval), whose Raw says whether the
// project is enrolled; Finalize sets the project's AccessApproval from it.
// A field of the wrong type is a problem and leaves the answer unknown.
func ParseAccessApproval(_ context.Context, path string, doc any) *attr.Result {
	res := &attr.Result{Format: FormatAccessApproval}
	d, _ := doc.(attr.M)
	m := accessApprovalName.FindStringSubmatch(attr.Str(d, "name"))
	if m == nil {
		return res
	}
	r := &resource.Resource{Provider: resource.GCP, Region: "global", Type: TypeAccessApproval, ID: "//accessapproval.googleapis.com/" + m[0],
		Name: "accessApprovalSettings", Source: path, Class: resource.ClassOther}
	res.AddUnsupported(r) // read for the project's CIS facts, judged by no rule
	if m[1] != "projects" {
		r.Account = ""
		r.Raw = attr.M{}
		res.Resources = append(res.Resources, r)
		return res
	}
	r.Account = m[2]
	c := &checker{name: r.ID}
	n := node{m: d, c: c}
	svcs, sst := n.objs("enrolledServices")
	anc, ast := n.boolean("enrolledAncestor")
	raw := attr.M{}
	if sst != bad && ast != bad {
		raw[accessApprovalEnrolled] = len(svcs) > 0 || anc != nil && *anc
	}
	r.Raw = raw
	for _, p := range c.problems {
		p.Path = path
		res.Problems = append(res.Problems, p)
	}
	res.Resources = append(res.Resources, r)
	return res
}

// finishAccessApproval sets each project's AccessApproval from its
// settings: true when enrolled, false when readable settings enroll
// nothing.
func finishAccessApproval(all []*resource.Resource, cis map[string]*resource.AccountCIS) {
	for _, r := range all {
		if r.Provider != resource.GCP || r.Type != TypeAccessApproval || r.Account == "" {
			continue
		}
		v := attr.Bool(r.Raw, accessApprovalEnrolled)
		if v == nil {
			continue
		}
		if cis[r.Account] == nil {
			cis[r.Account] = &resource.AccountCIS{}
		}
		if c := cis[r.Account]; c.AccessApproval == nil || *v {
			c.AccessApproval = resource.Bool(*v)
		}
	}
}
