package inventory

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// finishing is a source with a finishing step, as the export files have.
type finishing struct {
	source.Source
	finished int
}

func (f *finishing) Finish(_ context.Context, all []*resource.Resource) ([]*resource.Resource, []source.Problem) {
	f.finished++
	return []*resource.Resource{{Provider: resource.AWS, ID: "aws-account/1", Account: "1", Class: resource.ClassAccount,
			Facts: resource.Facts{Account: &resource.Account{StoragePublicAccessBlocked: resource.Bool(true)}}}},
		[]source.Problem{{Path: "cli/contacts.json", Err: "cannot tell which account"}}
}

func TestCollect(t *testing.T) {
	batches := []source.Batch{
		{Input: "a.json", Format: "fmt-a", Resources: []*resource.Resource{
			{Provider: resource.Azure, ID: "/subscriptions/S/resourceGroups/RG/providers/X/y/1", Account: "S", Class: resource.ClassOther, Type: "X/y"},
			{Provider: resource.AWS, ID: "arn:aws:s3:::b", Account: "1", Name: "b", Class: resource.ClassObjectStorage,
				Facts: resource.Facts{Storage: &resource.ObjectStorage{PublicAccess: resource.Bool(true)}}},
		}, Unsupported: map[string]string{"/subscriptions/S/resourceGroups/RG/providers/X/y/1": "X/y"},
			Problems: []source.Problem{{Offset: 12, Resource: "arn:aws:s3:::b", Field: "configuration.policy", Err: "want object, got string"}}},
		{Input: "b.json", Format: "fmt-a", Resources: []*resource.Resource{
			// The same Azure resource in another case: merged, and classed.
			{Provider: resource.Azure, ID: "/subscriptions/s/resourcegroups/rg/providers/x/y/1", Class: resource.ClassNetwork,
				Facts: resource.Facts{Network: &resource.Network{}}},
		}},
		{Input: "README.md", Skipped: "not JSON"},
	}
	src := &finishing{Source: source.Func{SourceName: "test", ReadFunc: func(ctx context.Context, emit func(source.Batch) error) error {
		for _, b := range batches {
			if err := emit(b); err != nil {
				return err
			}
		}
		return nil
	}}}
	inv, err := Collect(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if src.finished != 1 {
		t.Errorf("finisher ran %d times", src.finished)
	}
	if inv.Summary.Resources != 3 || len(inv.Resources) != 3 {
		t.Fatalf("%d resources (summary %d), want 3", len(inv.Resources), inv.Summary.Resources)
	}
	if inv.Files["fmt-a"] != 2 || len(inv.Skipped) != 1 || inv.Skipped[0].Path != "README.md" {
		t.Errorf("files %v skipped %v", inv.Files, inv.Skipped)
	}
	if inv.Providers["aws"] != 2 || inv.Providers["azure"] != 1 || inv.Classes["network"] != 1 || inv.Classes["account"] != 1 {
		t.Errorf("providers %v classes %v", inv.Providers, inv.Classes)
	}
	if len(inv.Unsupported) != 0 {
		t.Errorf("a resource another input classed is not unsupported: %v", inv.Unsupported)
	}
	// Problems name the input, the resource and the field.
	if len(inv.Errors) != 2 {
		t.Fatalf("errors %+v", inv.Errors)
	}
	p := inv.Errors[0]
	if p.Path != "a.json" || p.Resource != "arn:aws:s3:::b" || p.Field != "configuration.policy" {
		t.Errorf("problem %+v", p)
	}
	if got := p.Error(); got != "a.json: at byte 12: arn:aws:s3:::b: configuration.policy: want object, got string" {
		t.Errorf("problem text %q", got)
	}
	if inv.Errors[1].Path != "cli/contacts.json" {
		t.Errorf("finisher problem %+v", inv.Errors[1])
	}
	// Derivation ran after the finisher: its account block reached the bucket.
	for _, r := range inv.Resources {
		if r.ID == "arn:aws:s3:::b" && (r.Facts.Storage.PublicAccess == nil || *r.Facts.Storage.PublicAccess) {
			t.Error("the account's Block Public Access did not reach its bucket")
		}
	}
}

func TestCollectSourceError(t *testing.T) {
	boom := errors.New("boom")
	src := source.Func{SourceName: "live", ReadFunc: func(context.Context, func(source.Batch) error) error { return boom }}
	if _, err := Collect(context.Background(), src); !errors.Is(err, boom) || !strings.Contains(err.Error(), "live") {
		t.Errorf("err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Collect(ctx, source.Resources("mem", nil)); err == nil {
		t.Error("cancelled context: no error")
	}
}

func TestProblemText(t *testing.T) {
	for _, c := range []struct {
		p    source.Problem
		want string
	}{
		{source.Problem{Path: "a.ndjson", Line: 5, Err: "bad"}, "a.ndjson:5: bad"},
		{source.Problem{Path: "a.json", Err: "bad"}, "a.json: bad"},
		// A message that already names the resource and field is not repeated.
		{source.Problem{Path: "a.json", Resource: "r1", Field: "f.g", Err: "r1: f.g: want bool"}, "a.json: r1: f.g: want bool"},
		{source.Problem{Path: "a.json", Resource: "r1", Field: "f.g", Err: "f.g: want bool"}, "a.json: r1: f.g: want bool"},
	} {
		if got := c.p.Error(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
	}
}

// TestCountIndexed: the counts taken through the merger's index (a flagged
// resource found by its unsupported entry) are the counts of looking up
// every unclassed resource's ID, with runs of providers and classes
// interleaved, Azure IDs in two cases, an alias equal to an unsupported
// key, and unsupported keys of resources another input classed or that
// are not listed.
func TestCountIndexed(t *testing.T) {
	build := func() *merger {
		m := newMerger(16, 16)
		add := func(p resource.Provider, id string, class resource.Class, typ string, flagged bool, aliases ...string) {
			m.add(&resource.Resource{Provider: p, ID: id, Class: class, Type: typ, Aliases: aliases})
			if flagged {
				m.unsupported[keyIn(&m.low, p, id)] = typ
			}
		}
		add(resource.AWS, "arn:1", resource.ClassOther, "AWS::X::A", true)
		add(resource.AWS, "arn:2", resource.ClassOther, "AWS::X::A", false, "alias-of-2")
		add(resource.AWS, "arn:3", resource.ClassCompute, "AWS::EC2::Instance", false)
		add(resource.Azure, "/Subscriptions/S/X/1", "", "x/y", true)
		add(resource.Azure, "/subscriptions/s/x/2", resource.ClassOther, "x/z", false)
		add(resource.AWS, "arn:4", "", "AWS::X::B", false)
		add(resource.GCP, "//c/1", resource.ClassNetwork, "compute.Network", true) // classed: not unsupported
		add(resource.GCP, "//c/2", resource.ClassOther, "compute.Route", false)
		add(resource.AWS, "arn:5", resource.ClassOther, "AWS::X::A", false)
		m.unsupported[keyIn(&m.low, resource.AWS, "alias-of-2")] = "AWS::X::Alias" // names arn:2 through its alias
		m.unsupported[keyIn(&m.low, resource.AWS, "arn:missing")] = "AWS::X::Gone"
		return m
	}
	var got [2]*Inventory
	for i, indexed := range []bool{true, false} {
		m := build()
		ids := m.idIndex()
		if ids == nil {
			t.Fatal("the merger's index should hold every ID")
		}
		newDeriverIndexed(m.list, ids) // the aliases, as when counted beside the derivation
		inv := &Inventory{Resources: m.list, Summary: Summary{Unsupported: map[string]int{}}}
		inv.count(m, indexed)
		got[i] = inv
	}
	a, b := got[0], got[1]
	if !maps.Equal(a.Providers, b.Providers) || !maps.Equal(a.Classes, b.Classes) || !maps.Equal(a.Unsupported, b.Unsupported) {
		t.Fatalf("indexed: %v %v %v\nlooked up: %v %v %v", a.Providers, a.Classes, a.Unsupported, b.Providers, b.Classes, b.Unsupported)
	}
	want := map[string]int{"AWS::X::A": 3, "x/y": 1, "x/z": 1, "AWS::X::B": 1, "compute.Route": 1, "AWS::X::Alias": 1, "AWS::X::Gone": 1}
	if !maps.Equal(a.Unsupported, want) {
		t.Errorf("unsupported %v, want %v", a.Unsupported, want)
	}
	if a.Providers["aws"] != 5 || a.Classes["other"] != 7 || a.Classes["compute"] != 1 {
		t.Errorf("providers %v classes %v", a.Providers, a.Classes)
	}
}
