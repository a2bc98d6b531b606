package governance

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
)

const good = `version: 1
classification:
  - key: data-classification
    values: [restricted]
    class: restricted
  - key: data-classification
    pattern: "conf*"
    class: confidential
  - key: data-category
    values: [personal-data]
    categories: [personal-data]
residency:
  - categories: [personal-data]
    jurisdictions: [EU]
tagging:
  - data_stores: true
    required:
      - owner
      - key: data-classification
        values: [public, internal, confidential, restricted]
`

func TestParseRefusals(t *testing.T) {
	cases := map[string]string{
		"classification:\n  - key: a\n    class: secret\n":                       "p.yaml:3: unknown class",
		"residency:\n  - classes: [restricted]\n    jurisdictions: [Mars]\n":     "p.yaml:3: unknown jurisdiction",
		"residency:\n  - classes: [restricted]\n    regions: [\"aws:mars-1\"]\n": "p.yaml:3: unknown region",
		"residency:\n  - categories: [gossip]\n    jurisdictions: [EU]\n":        "p.yaml:2: unknown category",
		"colour: red\n":       "p.yaml:1: unknown key",
		"owner_tag: [a, b]\n": "p.yaml:1: owner_tag must be a tag key",
	}
	for in, want := range cases {
		_, err := Parse("p.yaml", []byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want %q", in, err, want)
		}
	}
}

func TestApply(t *testing.T) {
	pol, err := Parse("p.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	aws := &resource.Resource{Provider: "aws", Class: resource.ClassObjectStorage, ID: "b1",
		Tags: map[string]string{"Data_Classification": "Restricted", "DataCategory": "Personal Data"},
		Facts: resource.Facts{Data: &resource.Data{Locations: []resource.DataLocation{
			{Region: "eu-west-1", Path: "primary", Country: "IE", Jurisdiction: "EU"},
			{Region: "us-east-1", Path: "s3-replication", Country: "US", Jurisdiction: "US"},
			{Region: "xx", Path: "s3-replication"},
		}}}}
	gcp := &resource.Resource{Provider: "gcp", Class: resource.ClassObjectStorage, ID: "b2",
		Tags: map[string]string{"data-classification": "confidential", "owner": "team-a"}}
	if err := Apply(context.Background(), pol, []*resource.Resource{aws, gcp}); err != nil {
		t.Fatal(err)
	}
	d := aws.Facts.Data
	if !*d.Classified || d.Sensitivity != "restricted" || len(d.Categories) != 1 {
		t.Fatalf("aws data = %+v", d)
	}
	if a := d.Locations[0].Allowed; a == nil || !*a {
		t.Error("EU primary not allowed")
	}
	if a := d.Locations[1].Allowed; a == nil || *a {
		t.Error("US replica allowed")
	}
	if d.Locations[2].Allowed != nil {
		t.Error("unknown place judged")
	}
	if d.Residency != resource.ResidencyBreach {
		t.Errorf("residency verdict = %q, want breach (one place is not allowed)", d.Residency)
	}
	if g := gcp.Facts.Data; g.Residency != resource.ResidencyUnrestricted {
		t.Errorf("confidential data no residency rule names: verdict %q, want unrestricted", g.Residency)
	}
	if !aws.Facts.Tagging.Selected || !gcp.Facts.Tagging.Selected {
		t.Error("data stores not selected by the data_stores tagging rule")
	}
	if got := aws.Facts.Tagging.Missing; len(got) != 1 || got[0] != "owner" {
		t.Errorf("missing = %v", got)
	}
	if g := gcp.Facts.Data; g == nil || g.Sensitivity != "confidential" || len(gcp.Facts.Tagging.Missing)+len(gcp.Facts.Tagging.Invalid) != 0 {
		t.Errorf("gcp = %+v %+v", g, gcp.Facts.Tagging)
	}
}

func TestResidencyVerdicts(t *testing.T) {
	pol, err := Parse("p.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	store := func(locs ...resource.DataLocation) *resource.Resource {
		return &resource.Resource{Provider: "aws", Class: resource.ClassDatabase, ID: "db",
			Tags:  map[string]string{"data-category": "personal-data"},
			Facts: resource.Facts{Data: &resource.Data{Locations: locs}}}
	}
	eu := resource.DataLocation{Region: "eu-west-1", Path: "primary", Country: "IE", Jurisdiction: "EU"}
	for name, c := range map[string]struct {
		r    *resource.Resource
		want string
	}{
		"all in the EU":         {store(eu, resource.DataLocation{Region: "eu-central-1", Path: "rds-read-replica", Country: "DE", Jurisdiction: "EU"}), resource.ResidencyAllowed},
		"replica place unknown": {store(eu, resource.DataLocation{Path: "rds-read-replica"}), ""},
		"no location at all":    {store(), ""},
		"breach beside unknown": {store(resource.DataLocation{Path: "x"}, resource.DataLocation{Region: "us-east-1", Path: "backup-copy", Country: "US", Jurisdiction: "US"}), resource.ResidencyBreach},
	} {
		if err := Apply(context.Background(), pol, []*resource.Resource{c.r}); err != nil {
			t.Fatal(err)
		}
		if got := c.r.Facts.Data.Residency; got != c.want {
			t.Errorf("%s: residency %q, want %q", name, got, c.want)
		}
	}
}

// TestRaiseAndCoverage: failing findings on sensitive data rank one
// severity higher (the rule's own kept), findings on other classified data
// are labelled only; tag coverage counts selected resources per account and
// owner (the owner tag's key normalized), least covered first.
func TestRaiseAndCoverage(t *testing.T) {
	pol, err := Parse("p.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	mk := func(id, account string, tags map[string]string) *resource.Resource {
		return &resource.Resource{Provider: "aws", Account: account, Class: resource.ClassObjectStorage, ID: id, Tags: tags}
	}
	rs := []*resource.Resource{
		mk("secret", "a1", map[string]string{"data-classification": "restricted", "owner": "team-a"}),
		mk("open", "a1", map[string]string{"data-classification": "internal", "Owner": "team-b"}),
		mk("bare", "a2", nil),
		{Provider: "aws", Account: "a2", Class: resource.ClassFirewall, ID: "sg"},
	}
	if err := Apply(context.Background(), pol, rs); err != nil {
		t.Fatal(err)
	}
	fs := []finding.Finding{
		{RuleID: "x", Status: finding.Fail, Severity: finding.High, Resource: resource.Ref{ID: "secret"}},
		{RuleID: "y", Status: finding.Pass, Severity: finding.High, Resource: resource.Ref{ID: "secret"}},
		{RuleID: "x", Status: finding.Fail, Severity: finding.High, Resource: resource.Ref{ID: "open"}},
		{RuleID: "x", Status: finding.Fail, Severity: finding.Critical, Resource: resource.Ref{ID: "secret"}},
		{RuleID: "x", Status: finding.Fail, Severity: finding.Low, Resource: resource.Ref{ID: "bare"}},
	}
	Raise(fs, nil, rs)
	want := []struct {
		sev, base finding.Severity
		class     string
	}{{finding.Critical, finding.High, "restricted"}, {finding.High, "", "restricted"}, {finding.High, "", ""},
		{finding.Critical, "", "restricted"}, {finding.Low, "", ""}}
	for i, w := range want {
		if f := fs[i]; f.Severity != w.sev || f.BaseSeverity != w.base || f.DataClass != w.class {
			t.Errorf("finding %d: severity %s base %q class %q, want %s %q %q", i, f.Severity, f.BaseSeverity, f.DataClass, w.sev, w.base, w.class)
		}
	}
	c := Coverage(pol, rs)
	if c.Total.Resources != 3 || c.Total.Compliant != 2 || c.Total.Percent != 66.7 {
		t.Errorf("total = %+v, want 2 of 3 data stores compliant (the firewall is not selected)", c.Total)
	}
	if len(c.ByAccount) != 2 || c.ByAccount[0].Account != "a2" || c.ByAccount[0].Percent != 0 || c.ByAccount[1].Compliant != 2 {
		t.Errorf("by account = %+v", c.ByAccount)
	}
	owners := map[string]int{}
	for _, o := range c.ByOwner {
		owners[o.Owner] = o.Compliant*10 + o.Resources
	}
	if owners["team-a"] != 11 || owners["team-b"] != 11 || owners["(no owner)"] != 1 {
		t.Errorf("by owner = %+v", c.ByOwner)
	}
}

func TestLeavesOut(t *testing.T) {
	pol, err := Parse("p.yaml", []byte("classification:\n  - key: c\n    class: internal\n"))
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{
		"governance-residency-breach-disk": true, "governance-required-tags-disk": true,
		"governance-unclassified-data-store-disk": false,
	} {
		if got := pol.LeavesOut(&policy.Rule{RuleInfo: finding.RuleInfo{ID: id}, OptIn: OptIn}); got != want {
			t.Errorf("LeavesOut(%s) = %v, want %v", id, got, want)
		}
	}
	if pol.LeavesOut(&policy.Rule{RuleInfo: finding.RuleInfo{ID: "governance-residency-breach-disk"}}) {
		t.Error("a rule outside the governance set left out")
	}
}
