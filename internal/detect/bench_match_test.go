package detect

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/sigma"
)

// BenchmarkMatchCloudTrailPack evaluates the engine's CloudTrail rule set
// (the built-in pack and every loadable SigmaHQ cloud rule) on the
// invictus events held in memory, each reset with the reader's member
// offsets as matchFile does: the Sigma matching alone, without reading,
// keys, alerts or correlations (BenchmarkDetectCloudTrailLarge measures
// those end to end).
func BenchmarkMatchCloudTrailPack(b *testing.B) {
	ctx := context.Background()
	e, err := New(ctx, Config{RuleDirs: []string{corpus(b, "sigma-cloud")}})
	if err != nil {
		b.Fatal(err)
	}
	set := e.sets[logs.AWSCloudTrail]
	type event struct {
		raw  []byte
		mem  []int32
		dots bool
	}
	var evs []event
	if err := logs.Walk(ctx, []string{corpus(b, "logs", "aws_cloudtrail", "invictus-aws_dataset")}, func(r logs.Record) error {
		if r.Source == logs.AWSCloudTrail {
			evs = append(evs, event{bytes.Clone(r.Raw), slices.Clone(r.Members), r.MemberDots})
		}
		return nil
	}, nil); err != nil {
		b.Fatal(err)
	}
	if len(evs) < 1000 {
		b.Fatalf("only %d CloudTrail events read", len(evs))
	}
	ev := sigma.NewJSONEvent(nil)
	hits := 0
	b.ReportAllocs()
	c0, _ := usage()
	n := 0
	for b.Loop() {
		x := &evs[n%len(evs)]
		ev.ResetMembersDots(x.raw, x.mem, x.dots)
		set.Match(ev, func(*sigma.Matcher) { hits++ })
		n++
	}
	c1, _ := usage()
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(n)/(c1-c0).Seconds(), "events/cpu-s")
	if hits == 0 {
		b.Fatal("no rule matched")
	}
}
