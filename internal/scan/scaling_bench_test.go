package scan

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/synth"
)

// BenchmarkRuleScaling evaluates the same synthetic inventory (realistic
// mix; VIGIL_SCALING_RESOURCES overrides the default 20,000 resources) with
// the built-in pack copied 1, 2, 4 and 8 times (CopyPack: renamed copies),
// and reports the cost per (rule × resource of the rule's class and
// providers) in microseconds, two ways:
//
//   - compact: what a scan does (Engine.EvaluatePasses, as vigil scan and
//     vigil bench call it, under the garbage-collector pacing a scan sets,
//     tuneGC): the rule input built, the rules judged, the FAIL and UNKNOWN
//     findings built and the PASS findings held compactly (finding.Passes:
//     a rule's prototype and the indexes of its resources);
//   - full: the same with every PASS finding built in full (Engine.Evaluate,
//     288 bytes a finding), with the runtime's default pacing: what callers
//     wanting a []finding.Finding of everything, such as vigil iac and the
//     rule tests, pay.
//
// us/pair is the wall time on all CPUs, cpu-us/pair the process's CPU time
// (user + system), gcs/op the garbage collections per evaluation. A rule
// contract that scales keeps them flat from
// 1x to 8x. Preparing the pack (reading each rule's direct form, compiling
// and preparing OPA's queries of the rules that need them), done once per
// engine, is timed apart before both: prepare-ms.
//
//	go test ./internal/scan -run '^$' -bench RuleScaling -benchtime 3x
func BenchmarkRuleScaling(b *testing.B) {
	ctx := context.Background()
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("VIGIL_SCALING_RESOURCES")); err == nil && v > 0 {
		n = v
	}
	dir := b.TempDir()
	if _, err := synth.Generate(ctx, dir, n, synth.Realistic); err != nil {
		b.Fatal(err)
	}
	inv, err := importer.Load(ctx, []string{dir})
	if err != nil {
		b.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		b.Fatal(inv.Errors[0])
	}
	for _, copies := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("copies=%d", copies), func(b *testing.B) {
			e := copiedEngine(b, copies)
			pairs := RuleResourcePairs(e.Rules(), inv.Resources)
			if pairs == 0 {
				b.Fatal("no rule has a resource of its class in the inventory")
			}
			in, err := policy.NewInput(inv.Resources, BenchTime, e.Classes()...)
			if err != nil {
				b.Fatal(err)
			}
			t0 := time.Now()
			if err := e.Prepare(ctx, in); err != nil {
				b.Fatal(err)
			}
			prepare := time.Since(t0)
			for _, compact := range []bool{true, false} {
				name := "full"
				if compact {
					name = "compact"
				}
				b.Run(name, func(b *testing.B) {
					b.ReportAllocs()
					findings, passes := 0, 0
					var ms0, ms1 runtime.MemStats
					if compact {
						gc := tuneGC()
						defer gc.restore()
					}
					runtime.ReadMemStats(&ms0)
					cpu0 := cpuTime()
					for range b.N {
						// The whole evaluation of a scan: the rule input
						// (built once per scan whatever the number of
						// rules), the rules, the findings.
						if compact {
							fs, ps, err := e.EvaluatePasses(ctx, inv.Resources, BenchTime)
							if err != nil {
								b.Fatal(err)
							}
							findings, passes = len(fs), ps.Len()
						} else {
							fs, err := e.Evaluate(ctx, inv.Resources, BenchTime)
							if err != nil {
								b.Fatal(err)
							}
							findings = len(fs)
						}
					}
					cpu := cpuTime() - cpu0
					runtime.ReadMemStats(&ms1)
					per := float64(b.N) * float64(pairs)
					b.ReportMetric(float64(b.Elapsed().Microseconds())/per, "us/pair")
					b.ReportMetric(float64(cpu.Microseconds())/per, "cpu-us/pair")
					b.ReportMetric(float64(ms1.NumGC-ms0.NumGC)/float64(b.N), "gcs/op")
					b.ReportMetric(float64(prepare.Milliseconds()), "prepare-ms")
					b.ReportMetric(float64(len(e.Rules())), "rules")
					b.ReportMetric(float64(pairs), "pairs")
					b.ReportMetric(float64(findings), "findings")
					b.ReportMetric(float64(passes), "compact-passes")
				})
			}
		})
	}
}

func copiedEngine(tb testing.TB, copies int) *policy.Engine {
	tb.Helper()
	pack, err := CopyPack(rules.FS(), copies)
	if err != nil {
		tb.Fatal(err)
	}
	e, err := policy.New(context.Background(), []policy.Source{{FS: pack, Name: "builtin", Builtin: true}})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// TestCopyPack: a copied pack holds every rule copies times, each copy
// renamed, with the same class and providers, and judges a resource the
// way the original does.
func TestCopyPack(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the pack twice")
	}
	one := copiedEngine(t, 1)
	two := copiedEngine(t, 2)
	if got, want := len(two.Rules()), 2*len(one.Rules()); got != want {
		t.Fatalf("2 copies: %d rules, want %d", got, want)
	}
	byID := map[string]*policy.Rule{}
	for _, r := range two.Rules() {
		byID[r.ID] = r
	}
	for _, r := range one.Rules() {
		c := byID[r.ID+"-copy2"]
		if c == nil {
			t.Fatalf("no copy of %s", r.ID)
		}
		if c.Class != r.Class || fmt.Sprint(c.Providers) != fmt.Sprint(r.Providers) || c.Package != r.Package+"_copy2" {
			t.Errorf("copy of %s: class %s providers %v package %s; original %s %v %s", r.ID, c.Class, c.Providers, c.Package, r.Class, r.Providers, r.Package)
		}
	}
	res := []*resource.Resource{}
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), dir, 600, synth.RuleHeavy); err != nil {
		t.Fatal(err)
	}
	inv, err := importer.Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	res = inv.Resources
	f1, err := one.Evaluate(context.Background(), res, BenchTime)
	if err != nil {
		t.Fatal(err)
	}
	f2, err := two.Evaluate(context.Background(), res, BenchTime)
	if err != nil {
		t.Fatal(err)
	}
	if len(f2) != 2*len(f1) {
		t.Errorf("2 copies: %d findings, want %d", len(f2), 2*len(f1))
	}
	status := map[string]string{}
	for _, f := range f1 {
		status[f.RuleID+"\x00"+f.Resource.ID] = string(f.Status)
	}
	for _, f := range f2 {
		id := f.RuleID
		if len(id) > 6 && id[len(id)-6:] == "-copy2" {
			id = id[:len(id)-6]
		}
		if status[id+"\x00"+f.Resource.ID] != string(f.Status) {
			t.Errorf("%s on %s: %s, original %q", f.RuleID, f.Resource.ID, f.Status, status[id+"\x00"+f.Resource.ID])
		}
	}
}
