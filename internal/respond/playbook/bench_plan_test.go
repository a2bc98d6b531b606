package playbook

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/engine"
)

// planAction plans without reading anything (as notify, ticket and
// enrich.owner do): what planning costs in vigil itself.
type planAction struct{ specAction }

func (a planAction) Plan(_ context.Context, _ *respond.Env, req *respond.Request) (*respond.Change, error) {
	return &respond.Change{Action: a.spec.Name, Resource: req.Subject.Resource.ID, Inputs: req.Inputs,
		Calls:   []respond.Call{{Service: "test", Operation: "POST", Target: req.Subject.Resource.ID}},
		Diff:    []respond.AttrChange{{Attribute: "message", After: req.Inputs["text"]}},
		Outputs: map[string]string{"owner": req.Subject.Resource.Tags["owner"]}}, nil
}

// BenchmarkPlan10kx100 is the planning target: 10,000 findings
// against 100 playbooks (matching, conditions, templates, each matching
// step planned, the plan sealed) in under 2 s.
func BenchmarkPlan10kx100(b *testing.B) {
	reg, err := respond.NewRegistry(
		planAction{specAction{respond.Spec{Name: "test.fix", Class: respond.Remediate, Inputs: []respond.Input{{Name: "resource", Required: true}}}}},
		planAction{specAction{respond.Spec{Name: "test.notify", Class: respond.Notify, Inputs: []respond.Input{{Name: "url", Required: true, Secret: true}, {Name: "text", Required: true}}}}},
		planAction{specAction{respond.Spec{Name: "test.enrich", Class: respond.Enrich, Inputs: []respond.Input{{Name: "tags"}}}}},
	)
	if err != nil {
		b.Fatal(err)
	}
	src, _ := os.ReadFile("testdata/good/lock.yml")
	var pbs []*Playbook
	for i := range 100 {
		text := strings.Replace(string(src), "lock-public-buckets", fmt.Sprint("lock-", i), 1)
		text = strings.Replace(text, "admin-granted", fmt.Sprint("admin-", i), 1)
		text = strings.Replace(text, "storage-public-*", fmt.Sprintf("storage-public-%d*", i%10), 1)
		got, errs := Parse("bench.yml", []byte(text), reg)
		if len(errs) > 0 {
			b.Fatal(errs)
		}
		pbs = append(pbs, got[0])
	}
	pol := engine.DefaultPolicy()
	r := &engine.Runner{Registry: reg, Policy: pol, Actor: "bench"}
	books := Engine(pbs)
	for b.Loop() {
		b.StopTimer()
		var subs []*respond.Subject // new ones: no view built yet
		for i := range 10000 {
			s := bucket(map[string]string{"env": []string{"prod", "dev"}[i%2], "owner": "o"})
			s.Rule = fmt.Sprintf("storage-public-%d", i%20)
			s.ID = fmt.Sprint("f", i)
			s.Resource.ID = fmt.Sprint("arn:aws:s3:::b", i)
			subs = append(subs, s)
		}
		b.StartTimer()
		p, err := r.Build(context.Background(), subs, books, engine.BuildOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := engine.Seal(p); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(p.Items)), "steps")
	}
}
