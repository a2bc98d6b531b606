package governance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// mixedResources are n resources of data-store and other classes with
// tags that classify them (or not), meet the tagging standard (or not),
// and locations allowed, not allowed and unknown.
func mixedResources(n int) []*resource.Resource {
	classes := []resource.Class{resource.ClassObjectStorage, resource.ClassDatabase, resource.ClassCompute, resource.ClassFirewall, resource.ClassDisk}
	values := []string{"restricted", "Confidential", "internal", "public", "secret", ""}
	cats := []string{"personal-data", "PII", "health-data", "phi", ""}
	regions := []resource.DataLocation{
		{Region: "eu-west-1", Path: "primary", Country: "IE", Jurisdiction: "EU"},
		{Region: "us-east-1", Path: "s3-replication", Target: "t", Country: "US", Jurisdiction: "US"},
		{Region: "", Path: "rds-read-replica"},
		{Region: "europe-west6", Path: "primary", Country: "CH", Jurisdiction: "CH"},
	}
	rs := make([]*resource.Resource, n)
	for i := range rs {
		tags := map[string]string{"Name": fmt.Sprint("r", i)}
		if v := values[i%len(values)]; v != "" {
			tags[[]string{"data-classification", "DataClassification", "data_classification"}[i%3]] = v
		}
		if c := cats[i/7%len(cats)]; c != "" {
			tags["data-category"] = c
		}
		if i%4 != 0 {
			tags["owner"] = []string{"ops", " ", "data-eng"}[i%3]
		}
		if i%5 == 1 {
			tags["cost-center"] = "cc"
		}
		r := &resource.Resource{Provider: []resource.Provider{resource.AWS, resource.Azure, resource.GCP}[i%3], Account: fmt.Sprint("a", i%11),
			Class: classes[i%len(classes)], ID: fmt.Sprint("id-", i), Tags: tags}
		if i%3 != 2 {
			r.Facts.Data = &resource.Data{Locations: []resource.DataLocation{regions[i%2*3], regions[(i/3)%len(regions)]}}
		}
		rs[i] = r
	}
	return rs
}

// TestApplySameOnWorkers: Apply on several workers gives every resource
// the facts one worker gives (classification, residency, tagging), and
// Raise and Coverage then the same findings and coverage.
func TestApplySameOnWorkers(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "org", "governance.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string][]byte{"good": []byte(good), "sample org": b} {
		pol, err := Parse("p.yaml", src)
		if err != nil {
			t.Fatal(err)
		}
		const n = 3*applyChunk + 123
		one, many := mixedResources(n), mixedResources(n)
		if err := applyOn(context.Background(), pol, one, 1); err != nil {
			t.Fatal(err)
		}
		if err := applyOn(context.Background(), pol, many, 3); err != nil {
			t.Fatal(err)
		}
		breaches, selected := 0, 0
		for i := range one {
			a, b := []any{one[i].Facts.Data, one[i].Facts.Tagging}, []any{many[i].Facts.Data, many[i].Facts.Tagging}
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%s: resource %d: facts differ (-one worker +three):\n%s", name, i, cmp.Diff(a, b))
			}
			if d := one[i].Facts.Data; d != nil && d.Residency == resource.ResidencyBreach {
				breaches++
			}
			if tg := one[i].Facts.Tagging; tg != nil && tg.Selected {
				selected++
			}
		}
		if breaches == 0 || selected == 0 {
			t.Fatalf("%s: %d breaches, %d selected: the inventory does not exercise the policy", name, breaches, selected)
		}
		if diff := cmp.Diff(coverageOn(pol, one, 1), coverageOn(pol, many, 3)); diff != "" {
			t.Errorf("%s: coverage differs:\n%s", name, diff)
		}
		fs := raiseFindings(one)
		want := naiveRaise(fs, one)
		Raise(fs, nil, one)
		if !reflect.DeepEqual(want, fs) {
			t.Errorf("%s: Raise differs from the per-finding reading (-want +got):\n%s", name, cmp.Diff(want, fs))
		}
	}
}

// raiseFindings are findings of every status and severity on the
// resources (and on an id none has).
func raiseFindings(rs []*resource.Resource) []finding.Finding {
	sevs := []finding.Severity{finding.Low, finding.Medium, finding.High, finding.Critical}
	sts := []finding.Status{finding.Fail, finding.Pass, finding.Unknown}
	var fs []finding.Finding
	for i, r := range rs {
		for k := range 3 {
			fs = append(fs, finding.Finding{RuleID: fmt.Sprint("rule", k), Status: sts[(i+k)%3], Severity: sevs[(i/3+k)%4], Resource: r.Ref()})
		}
	}
	return append(fs, finding.Finding{RuleID: "x", Status: finding.Fail, Severity: finding.Low, Resource: resource.Ref{ID: "none"}})
}

// naiveRaise is Raise's documented effect, finding by finding.
func naiveRaise(fs []finding.Finding, rs []*resource.Resource) []finding.Finding {
	byID := map[string]*resource.Data{}
	for _, r := range rs {
		if d := r.Facts.Data; d != nil && d.Classified != nil && *d.Classified {
			byID[r.ID] = d
		}
	}
	out := make([]finding.Finding, len(fs))
	for i, f := range fs {
		if d := byID[f.Resource.ID]; d != nil {
			f.DataClass = DataLabel(d)
			if f.Status == finding.Fail && Sensitive(d.Sensitivity, d.Categories) && f.Severity != finding.Critical {
				f.BaseSeverity = f.Severity
				f.Severity = f.Severity.Step(1)
			}
		}
		out[i] = f
	}
	return out
}
