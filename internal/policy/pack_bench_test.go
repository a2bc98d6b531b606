//go:build packbench

package policy

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/rules"
	"github.com/vigil-sec/vigil/internal/synth"
)

var synthInv struct {
	sync.Mutex
	byMix map[synth.Mix][]*resource.Resource
}

// synthInventory imports a synthetic inventory of about n resources (the
// one vigil bench scans), once per mix and test binary.
func synthInventory(tb testing.TB, n int, mix synth.Mix) []*resource.Resource {
	tb.Helper()
	synthInv.Lock()
	defer synthInv.Unlock()
	if rs, ok := synthInv.byMix[mix]; ok {
		return rs
	}
	rs := importSynth(tb, n, mix)
	if synthInv.byMix == nil {
		synthInv.byMix = map[synth.Mix][]*resource.Resource{}
	}
	synthInv.byMix[mix] = rs
	return rs
}

// importSynth imports a synthetic inventory of about n resources, not
// shared with other tests.
func importSynth(tb testing.TB, n int, mix synth.Mix) []*resource.Resource {
	tb.Helper()
	dir, err := os.MkdirTemp("", "vigil-policy-bench-")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	if _, err := synth.Generate(ctx, dir, n, mix); err != nil {
		tb.Fatal(err)
	}
	inv, err := importer.Load(ctx, []string{dir})
	if err != nil {
		tb.Fatal(err)
	}
	return inv.Resources
}

func builtinEngine(tb testing.TB) *Engine {
	tb.Helper()
	e, err := New(context.Background(), []Source{{FS: rules.FS(), Name: "builtin", Builtin: true}})
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// BenchmarkPackRules evaluates each built-in rule alone over the rule-heavy
// synthetic inventory of vigil bench (100,000 resources; VIGIL_BENCH_N
// overrides), and logs the rules by cost: wall time per resource of the
// rule's class (and providers), one core. Run with -v to see the table:
//
//	go test ./internal/policy -run '^$' -bench PackRules -benchtime 1x -v
func BenchmarkPackRules(b *testing.B) {
	n := 100_000
	if s := os.Getenv("VIGIL_BENCH_N"); s != "" {
		fmt.Sscan(s, &n)
	}
	mix := synth.RuleHeavy
	if os.Getenv("VIGIL_BENCH_MIX") == "realistic" {
		mix = synth.Realistic
	}
	rs := synthInventory(b, n, mix)
	e := builtinEngine(b)
	ctx := context.Background()
	t0 := time.Now()
	in, err := NewInput(rs, testNow, e.Classes()...)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("NewInput: %s for %d resources (%.2f µs each)", time.Since(t0).Round(time.Millisecond), len(rs), float64(time.Since(t0).Microseconds())/float64(len(rs)))
	type cost struct {
		id    string
		n     int
		total time.Duration
	}
	costs := make([]cost, len(e.rules))
	// Warm up: build every view once, so no rule pays for one.
	for i := range e.rules {
		if _, err := e.evalRule(ctx, i, in); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	b.ResetTimer()
	for range b.N {
		for i, r := range e.rules {
			if only := os.Getenv("VIGIL_BENCH_RULE"); only != "" && r.ID != only {
				continue
			}
			judged := 0
			for _, x := range in.byClass[r.Class] {
				if r.HasProvider(x.Provider) && r.sel.match(x) {
					judged++
				}
			}
			t := time.Now()
			if _, err := e.evalRule(ctx, i, in); err != nil {
				b.Fatal(err)
			}
			costs[i].id, costs[i].n = r.ID, judged
			costs[i].total += time.Since(t)
		}
	}
	b.StopTimer()
	sort.Slice(costs, func(i, j int) bool { return costs[i].total > costs[j].total })
	var sb strings.Builder
	var sum time.Duration
	pairs := 0
	for _, c := range costs {
		if c.id == "" {
			continue
		}
		sum += c.total
		pairs += c.n
		per := 0.0
		if c.n > 0 {
			per = float64(c.total.Nanoseconds()) / 1e3 / float64(c.n*b.N)
		}
		kind := "OPA"
		if e.direct[slices.IndexFunc(e.rules, func(r *Rule) bool { return r.ID == c.id })] != nil {
			kind = "direct"
		}
		fmt.Fprintf(&sb, "%-45s %-6s %7d resources %8s %6.2f µs/resource\n", c.id, kind, c.n, (c.total / time.Duration(b.N)).Round(time.Millisecond), per)
	}
	b.Logf("per rule, one core:\n%sall rules: %s for %d pairs (%.2f µs/pair)", sb.String(), (sum / time.Duration(b.N)).Round(time.Millisecond), pairs,
		float64(sum.Nanoseconds())/1e3/float64(pairs*b.N))
}

// BenchmarkPackEvaluate evaluates the whole built-in pack (NewInput
// included) over the synthetic inventory of vigil bench, as a scan does,
// with the direct evaluation of comparison rules and without (OPA only).
func BenchmarkPackEvaluate(b *testing.B) {
	for _, tc := range []struct {
		name string
		mix  synth.Mix
	}{{"realistic", synth.Realistic}, {"rule-heavy", synth.RuleHeavy}} {
		for _, eng := range []struct {
			name string
			opts []Option
		}{{"direct", nil}, {"opa", []Option{withoutDirect()}}} {
			b.Run(tc.name+"/"+eng.name, func(b *testing.B) {
				rs := synthInventory(b, 100_000, tc.mix)
				e, err := New(context.Background(), []Source{{FS: rules.FS(), Name: "builtin", Builtin: true}}, eng.opts...)
				if err != nil {
					b.Fatal(err)
				}
				ctx := context.Background()
				runtime.GC()
				b.ResetTimer()
				for range b.N {
					if _, err := e.Evaluate(ctx, rs, testNow); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(rs)*b.N)/b.Elapsed().Seconds(), "resources/s")
			})
		}
	}
}

// TestDirectMatchesOPAOnSampleOrg compares direct and OPA-only evaluation
// of the built-in pack over the sample organization and the synthetic
// inventories.
func TestDirectMatchesOPAOnSampleOrg(t *testing.T) {
	ctx := context.Background()
	org, err := importer.Load(ctx, []string{"../../examples/org"})
	if err != nil {
		t.Fatal(err)
	}
	src := Source{FS: rules.FS(), Name: "builtin", Builtin: true}
	d, err := New(ctx, []Source{src})
	if err != nil {
		t.Fatal(err)
	}
	o, err := New(ctx, []Source{src}, withoutDirect())
	if err != nil {
		t.Fatal(err)
	}
	compareEngines(t, d, o, org.Resources)
	compareEngines(t, d, o, synthInventory(t, 20_000, synth.Realistic))
}

// BenchmarkFirewallForms compares two writings of the SSH firewall rule
// over the synthetic inventory's firewalls: with the lib/net helper
// (exposes_port(r.facts.firewall, 22)), and with the helper's tests inline.
func BenchmarkFirewallForms(b *testing.B) {
	rs := synthInventory(b, 100_000, synth.Realistic)
	head := "# METADATA\n# title: T\n# scope: package\n# custom:\n#   id: %s\n#   severity: low\n#   category: network\n#   class: firewall\n#   providers: [aws, azure, gcp]\n#   requires: [facts.firewall.rules]\npackage vigil.rules.%s\n\nimport data.vigil.lib.net\n\n"
	forms := map[string]string{
		"helper": "fail contains r.id if {\n\tsome r in input.resources.firewall\n\tnet.exposes_port(r.facts.firewall, 22)\n}\n",
		"inline": "fail contains r.id if {\n\tsome r in input.resources.firewall\n\tsome x in r.facts.firewall.rules\n\tx.direction == \"ingress\"\n\tx.action == \"allow\"\n\tsome s in x.sources\n\ts in net.internet_sources\n\tnot x.disabled == true\n\tnet.covers_port(x, 22)\n\tnot net.shadowed(r.facts.firewall.rules, x, 22)\n}\n",
	}
	lib, err := fs.Sub(rules.FS(), "lib")
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"helper", "inline"} {
		b.Run(name, func(b *testing.B) {
			pack := fstest.MapFS{"r.rego": {Data: []byte(fmt.Sprintf(head, "fw-"+name, "fw_"+name) + forms[name])}}
			e, err := New(context.Background(), []Source{{FS: lib, Name: "lib"}, {FS: pack, Name: "p"}})
			if err != nil {
				b.Fatal(err)
			}
			in, err := NewInput(rs, testNow, resource.ClassFirewall)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := e.evalRule(context.Background(), 0, in); err != nil {
				b.Fatal(err)
			}
			n := len(in.byClass[resource.ClassFirewall])
			b.ResetTimer()
			for range b.N {
				if _, err := e.evalRule(context.Background(), 0, in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()*1e6/float64(n*b.N), "µs/firewall")
		})
	}
}

// BenchmarkPackJudge judges every built-in rule, one after the other on
// one goroutine, over the synthetic inventory of vigil bench (the mix of
// VIGIL_BENCH_MIX, realistic by default; VIGIL_BENCH_N resources), the
// findings not built: the rule evaluation alone (the direct conditions on
// the Go fields, OPA's queries, the messages), as ns per (rule × resource
// of its class and providers), with its allocations.
//
//	go test ./internal/policy -tags packbench -run '^$' -bench PackJudge -benchtime 5x
func BenchmarkPackJudge(b *testing.B) {
	n := 100_000
	if s := os.Getenv("VIGIL_BENCH_N"); s != "" {
		fmt.Sscan(s, &n)
	}
	mix := synth.Realistic
	if os.Getenv("VIGIL_BENCH_MIX") == "rule-heavy" {
		mix = synth.RuleHeavy
	}
	rs := synthInventory(b, n, mix)
	e := builtinEngine(b)
	ctx := context.Background()
	in, err := NewInput(rs, testNow, e.Classes()...)
	if err != nil {
		b.Fatal(err)
	}
	if err := e.Prepare(ctx, in); err != nil {
		b.Fatal(err)
	}
	pairs := 0
	for _, r := range e.rules {
		for _, x := range in.byClass[r.Class] {
			if r.HasProvider(x.Provider) && r.sel.match(x) {
				pairs++
			}
		}
	}
	ready := make([]bool, len(e.rules))
	for i, r := range e.rules {
		ready[i] = len(in.byClass[r.Class]) > 0
	}
	judgeAll := func() {
		// As evaluate judges: the rules on the Go fields class by class
		// (one worker here), then the others and the messages.
		batched := e.judgeGoBatches(ctx, in, ready, 1)
		for i := range e.rules {
			if !ready[i] {
				continue
			}
			var err error
			if batched[i] != nil {
				_, err = e.judgeBatched(ctx, i, in, batched[i])
			} else {
				_, err = e.judge(ctx, i, in)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	judgeAll() // the Rego terms and views OPA reads, built once
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	for range b.N {
		judgeAll()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(pairs*b.N), "ns/pair")
	b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(pairs*b.N), "cpu-ns/pair")
	b.ReportMetric(float64(pairs), "pairs")
}

// processCPU is the process's CPU time (user + system).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
