package reach

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// GCP hierarchical firewall policies, evaluated before the VPC's rules:
// expected exposures written before the code.

const crm = "//cloudresourcemanager.googleapis.com/"

func orgUnit(id, kind, alias, parent string) *resource.Resource {
	r := other(resource.GCP, crm+id, rel(resource.RelChildOf, parent))
	if parent == "" {
		r.Relationships = nil
	}
	r.Aliases = []string{alias}
	if kind != "project" {
		r.Facts.OrgUnit = &resource.OrgUnit{Kind: kind}
	}
	return r
}

func policy(id, attached string, nets []string, rules ...resource.FirewallRule) *resource.Resource {
	r := fw(resource.GCP, "//compute.googleapis.com/locations/global/firewallPolicies/"+id, rels(rel("attached_to", attached), rel(resource.RelInNetwork, nets...)), rules...)
	r.Class = resource.ClassOther
	return r
}

// hierBase: VM web (external IP, tag http) in net-1, in project p1 under
// folder f1 under organization o1; the VPC opens 80 (tag http) and 22.
func hierBase(extra ...*resource.Resource) []*resource.Resource {
	web := gvm("web", []string{"http"})
	web.Relationships = append(web.Relationships, rel("contained_in", crm+"projects/111")...)
	return append([]*resource.Resource{web,
		orgUnit("projects/111", "project", "projects/p1", crm+"folders/f1"),
		orgUnit("folders/f1", "folder", "folders/f1", crm+"organizations/o1"),
		orgUnit("organizations/o1", "organization", "organizations/o1", ""),
		routes(resource.GCP, "default-route", false, rel(resource.RelRoutesFor, "net-1"), resource.Route{Destination: "0.0.0.0/0", NextHop: "internet"}),
		gfw("allow-http", []string{"http"}, ingress("allow", "tcp", 80, 80, 1000, "0.0.0.0/0")),
		gfw("allow-ssh", nil, ingress("allow", "tcp", 22, 22, 1000, "0.0.0.0/0")),
	}, extra...)
}

func TestHierarchicalFirewallPolicies(t *testing.T) {
	cases := []struct {
		note string
		rs   []*resource.Resource
		want string // web's exposure
	}{
		{"no policy", hierBase(), "ipv4 tcp 22, ipv4 tcp 80"},
		{"the organization denies 22 before the VPC allows it",
			hierBase(policy("1", "organizations/o1", nil, ingress("deny", "tcp", 22, 22, 100, "0.0.0.0/0"))), "ipv4 tcp 80"},
		{"an organization allow is final: 8080 without a VPC rule",
			hierBase(policy("1", "organizations/o1", nil, ingress("allow", "tcp", 8080, 8080, 100, "0.0.0.0/0"))), "ipv4 tcp 22, ipv4 tcp 80, ipv4 tcp 8080"},
		{"goto_next passes everything on: the lower deny of its level does not apply",
			hierBase(policy("1", "organizations/o1", nil, ingress("goto_next", "all", 0, 65535, 100, "0.0.0.0/0"), ingress("deny", "all", 0, 65535, 200, "0.0.0.0/0"))),
			"ipv4 tcp 22, ipv4 tcp 80"},
		{"goto_next for 80 only, the rest denied by the organization",
			hierBase(policy("1", "organizations/o1", nil, ingress("goto_next", "tcp", 80, 80, 10, "0.0.0.0/0"), ingress("deny", "all", 0, 65535, 1000, "0.0.0.0/0"))),
			"ipv4 tcp 80"},
		{"the organization's allow comes before the folder's deny",
			hierBase(policy("1", "organizations/o1", nil, ingress("allow", "tcp", 22, 22, 100, "0.0.0.0/0")),
				policy("2", "folders/f1", nil, ingress("deny", "tcp", 0, 65535, 1, "0.0.0.0/0"))),
			"ipv4 tcp 22"},
		{"a folder's deny applies below it",
			hierBase(policy("2", "folders/f1", nil, ingress("deny", "tcp", 80, 80, 1, "0.0.0.0/0"))), "ipv4 tcp 22"},
		{"a rule for another network does not apply",
			hierBase(policy("1", "organizations/o1", []string{"net-2"}, ingress("deny", "all", 0, 65535, 1, "0.0.0.0/0"))), "ipv4 tcp 22, ipv4 tcp 80"},
		{"a policy on another folder does not apply",
			hierBase(orgUnit("folders/f2", "folder", "folders/f2", crm+"organizations/o1"),
				policy("3", "folders/f2", nil, ingress("deny", "all", 0, 65535, 1, "0.0.0.0/0"))), "ipv4 tcp 22, ipv4 tcp 80"},
		{"the hierarchy above the project is missing: undecided",
			append(hierBase(policy("1", "organizations/o1", nil, ingress("deny", "tcp", 22, 22, 100, "0.0.0.0/0")))[:1:1],
				orgUnit("projects/111", "project", "projects/p1", crm+"folders/f1"),
				routes(resource.GCP, "default-route", false, rel(resource.RelRoutesFor, "net-1"), resource.Route{Destination: "0.0.0.0/0", NextHop: "internet"}),
				gfw("allow-ssh", nil, ingress("allow", "tcp", 22, 22, 1000, "0.0.0.0/0")),
				policy("1", "organizations/o1", nil, ingress("deny", "tcp", 22, 22, 100, "0.0.0.0/0"))),
			"undecided"},
	}
	for _, tc := range cases {
		t.Run(tc.note, func(t *testing.T) {
			Annotate(tc.rs)
			if got := summary(tc.rs[0].Facts.Exposure); got != tc.want {
				t.Errorf("web: exposure %q, want %q (%+v)", got, tc.want, tc.rs[0].Facts.Exposure)
			}
			// reach path from the internet agrees with the exposure.
			g := New(tc.rs)
			res := g.Path(nil, tc.rs[0], Query{Protocol: "tcp", FromPort: 22, ToPort: 22})
			want22 := map[bool]string{true: Reachable, false: Denied}[len(tc.want) >= 12 && tc.want[:12] == "ipv4 tcp 22,"]
			if tc.want == "ipv4 tcp 22" {
				want22 = Reachable
			}
			if tc.want == "undecided" {
				want22 = Undecided
			}
			if res.Verdict != want22 {
				t.Errorf("reach path internet web tcp/22: %s, want %s (%+v %+v)", res.Verdict, want22, res.Denied, res.Undecided)
			}
		})
	}
}
