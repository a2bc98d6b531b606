package governance

import (
	"context"
	"strings"
	"testing"

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
		"colour: red\n": "p.yaml:1: unknown key",
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
	if got := aws.Facts.Tagging.Missing; len(got) != 1 || got[0] != "owner" {
		t.Errorf("missing = %v", got)
	}
	if g := gcp.Facts.Data; g == nil || g.Sensitivity != "confidential" || len(gcp.Facts.Tagging.Missing)+len(gcp.Facts.Tagging.Invalid) != 0 {
		t.Errorf("gcp = %+v %+v", g, gcp.Facts.Tagging)
	}
}
