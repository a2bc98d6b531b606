package sigma

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/tidwall/gjson"
)

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

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
	c0 := cpuTime()
	n := 0
	for b.Loop() {
		ev.Reset(evs[n%len(evs)])
		set.Match(ev, func(*Matcher) { hits++ })
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(n)/(cpuTime()-c0).Seconds(), "events/cpu-s")
}

// TestRuleSetEquivalent: the indexed RuleSet reports exactly what
// evaluating every matcher reports, on the invictus events.
func TestRuleSetEquivalent(t *testing.T) {
	evs := invictusEvents(t)
	set := cloudTrailSet(t)
	key, idx, always := set.IndexField()
	if key != "eventName" || idx < 40 {
		t.Errorf("index %q: %d indexed, %d always", key, idx, always)
	}
	total := 0
	for _, raw := range evs {
		var got, want []*Matcher
		set.Match(NewJSONEvent(raw), func(m *Matcher) { got = append(got, m) })
		ev := NewJSONEvent(raw)
		for _, m := range set.Matchers() {
			if m.Match(ev) {
				want = append(want, m)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("event %s: indexed %d hits, full %d", raw[:80], len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("hit order differs")
			}
		}
		total += len(got)
	}
	if total == 0 {
		t.Fatal("no hits at all on the invictus events")
	}
}
