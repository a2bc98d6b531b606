package detect

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/sigma"
)

// TestCloudTrailRulesEvaluatedPerEvent bounds how many CloudTrail rules
// (built-in and SigmaHQ) are evaluated per event of the invictus set: the
// cost of the rule set per event, which decides detection throughput. Once
// the built-in pack grew, filing rules under the field most of them require
// (eventSource) made an EC2 event evaluate every EC2 rule: 20.7 rules per
// event instead of 5.2.
func TestCloudTrailRulesEvaluatedPerEvent(t *testing.T) {
	ctx := context.Background()
	data := corpus(t, "logs", "aws_cloudtrail", "invictus-aws_dataset")
	e, err := New(ctx, Config{RuleDirs: []string{corpus(t, "sigma-cloud")}})
	if err != nil {
		t.Fatal(err)
	}
	set := e.sets[logs.AWSCloudTrail]
	if set == nil {
		t.Fatal("no CloudTrail rule set")
	}
	ev := sigma.NewJSONEvent(nil)
	events, evaluated := 0, 0
	if err := logs.Walk(ctx, []string{data}, func(r logs.Record) error {
		if r.Source == logs.AWSCloudTrail {
			ev.Reset(r.Raw)
			evaluated += set.Evaluated(ev)
			events++
		}
		return nil
	}, nil); err != nil {
		t.Fatal(err)
	}
	if events < 1000 {
		t.Fatalf("only %d CloudTrail events read", events)
	}
	per := float64(evaluated) / float64(events)
	key, indexed, always := set.IndexField()
	t.Logf("%d rules (index %s: %d indexed, %d always evaluated): %.1f evaluated per event over %d events", len(set.Matchers()), key, indexed, always, per, events)
	if per > 8 {
		t.Errorf("%.1f CloudTrail rules evaluated per event, want at most 8 (index %s)", per, key)
	}
}
