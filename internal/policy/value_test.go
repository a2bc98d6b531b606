package policy

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestToTermMatchesJSON checks the direct conversion gives the same Rego value
// as the JSON encoding of the resource would.
func TestToTermMatchesJSON(t *testing.T) {
	views := []ruleView{
		{Provider: resource.AWS, ID: "sg-1", Class: resource.ClassFirewall, Tags: map[string]string{"a": "b"},
			Relationships: []resource.Relationship{{Type: "attached_to", TargetID: "i-1"}},
			Facts: resource.Facts{Firewall: &resource.Firewall{Default: resource.Bool(false), Rules: []resource.FirewallRule{
				{Direction: "ingress", Action: "allow", Protocol: "tcp", FromPort: 22, ToPort: 22, Sources: []string{"0.0.0.0/0"}},
				{Direction: "egress", Action: "allow", Protocol: "all", ToPort: 65535},
			}}}},
		{Provider: resource.AWS, ID: "u", Class: resource.ClassIdentity, Facts: resource.Facts{Identity: &resource.Identity{
			Kind: "user", MFAEnabled: resource.Bool(false), AccessKeys: []resource.AccessKey{{ID: "k", Active: true, Created: "2020-01-01T00:00:00Z"}}}}},
		{Provider: resource.GCP, ID: "db", Class: resource.ClassDatabase, Facts: resource.Facts{Database: &resource.Database{
			BackupRetentionDays: resource.Int(0), AuthorizedNetworks: []string{}}}},
	}
	// One converter for every view too, as buildTerms converts a class:
	// its scratch pairs must not leak from one object into the next.
	var shared converter
	for k, v := range append(views, views...) {
		var got *ast.Term
		var err error
		if k < len(views) {
			got, err = toTerm(reflect.ValueOf(v))
		} else {
			got, err = shared.term(reflect.ValueOf(v))
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(v)
		want, err := ast.ParseTerm(string(data))
		if err != nil {
			t.Fatal(err)
		}
		if got.Value.Compare(want.Value) != 0 {
			t.Errorf("%s:\n got %v\nwant %v", v.ID, got, want)
		}
	}
}

// TestViewMatchesReflection: the rule input's object of a resource (the
// converter's view, with repeated values interned) is the reflective
// conversion of its ruleView, on every resource of the sample
// organization and on resources without tags, relationships or facts.
func TestViewMatchesReflection(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{"../../examples/org"})
	if err != nil {
		t.Fatal(err)
	}
	rs := append(inv.Resources,
		&resource.Resource{},
		&resource.Resource{ID: "x", Tags: map[string]string{}, Relationships: []resource.Relationship{}},
		&resource.Resource{ID: "y", Tags: map[string]string{"": ""}, Relationships: []resource.Relationship{{}}},
	)
	if len(rs) < 100 {
		t.Fatalf("only %d resources in the sample organization", len(rs))
	}
	var c converter
	for _, r := range rs {
		got, err := c.view(r)
		if err != nil {
			t.Fatal(err)
		}
		want, err := toTerm(reflect.ValueOf(ruleView{
			Provider: r.Provider, Account: r.Account, Region: r.Region, Type: r.Type, ID: r.ID, Name: r.Name,
			Tags: r.Tags, Relationships: r.Relationships, Class: r.Class, Facts: r.Facts,
		}))
		if err != nil {
			t.Fatal(err)
		}
		if got.Value.Compare(want.Value) != 0 || got.Hash() != want.Hash() {
			t.Fatalf("%s:\n got %v\nwant %v", r.ID, got, want)
		}
	}
}
