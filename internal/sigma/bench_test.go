package sigma

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/tidwall/gjson"
)

// invictusEvents returns the raw CloudTrail records of the invictus dataset.
func invictusEvents(t testing.TB) [][]byte {
	dir := filepath.Join(corpusDir, "logs", "aws_cloudtrail", "invictus-aws_dataset")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skipf("invictus CloudTrail dataset not present at %s", dir)
	}
	var out [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		gjson.GetBytes(data, "Records").ForEach(func(_, r gjson.Result) bool {
			out = append(out, []byte(r.Raw))
			return true
		})
	}
	return out
}

// cloudTrailSet compiles every loadable SigmaHQ CloudTrail rule.
func cloudTrailSet(t testing.TB) *RuleSet {
	rules, _, _, _ := LoadDir(context.Background(), cloudRulesDir(t))
	var ms []*Matcher
	for _, r := range rules {
		if src, _ := r.Source(); src != SourceAWSCloudTrail {
			continue
		}
		m, err := Compile(r, FieldMapFor(SourceAWSCloudTrail))
		if err != nil {
			t.Fatal(err)
		}
		ms = append(ms, m)
	}
	return NewRuleSet(ms)
}

// BenchmarkMatchCloudTrail: all loadable SigmaHQ CloudTrail rules against
// the invictus events (Stratus Red Team simulation), reported in events/s.
func BenchmarkMatchCloudTrail(b *testing.B) {
	evs := invictusEvents(b)
	set := cloudTrailSet(b)
	key, idx, always := set.IndexField()
	b.Logf("%d rules, index %q: %d indexed, %d always evaluated; %d events", len(set.Matchers()), key, idx, always, len(evs))
	hits := 0
	ev := NewJSONEvent(nil)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		ev.Reset(evs[n%len(evs)])
		set.Match(ev, func(*Matcher) { hits++ })
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}
