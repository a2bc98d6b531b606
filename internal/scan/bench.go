package scan

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"regexp"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing/fstest"
	"time"

	"github.com/vigil-sec/vigil/internal/governance"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/report"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/synth"
)

// BenchTime is the scan time of every benchmark scan.
var BenchTime = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

// BenchOptions say what Bench measures.
type BenchOptions struct {
	// Resources is about how many synthetic resources to generate.
	Resources int
	Mix       synth.Mix
	// Dir receives the synthetic inventory (it should be empty).
	Dir string
	// Format, when set, writes the report in this format (report.Formats)
	// to Output (discarded when nil) as part of the measured scan.
	Format string
	Output io.Writer
	// Runs is how many times the inventory is scanned (at least once); the
	// result is the median run, with every run's rate beside it.
	Runs int
	// Identity includes the identity analysis, as vigil scan does unless
	// --no-identity (the posture figures are measured without it).
	Identity bool
	// Governance applies this governance policy (the engine should have
	// its rules: policy.OptIn(governance.OptIn)).
	Governance *governance.Policy
	// HeapProfile, when set, receives a heap profile of the first run,
	// taken at the collection that found the largest live heap (what
	// bounds the scan's memory: the collector lets the heap grow to a
	// multiple of it), or at the run's end when the run collected no
	// garbage (its alloc_space then covers the whole run). Taking it costs
	// some CPU at each new largest.
	HeapProfile io.Writer
}

// BenchResult is one measured scan of a synthetic inventory.
type BenchResult struct {
	Resources int `json:"resources"`
	Rules     int `json:"rules"`
	Findings  int `json:"findings"`
	// Pairs counts (rule × resource of the rule's class and providers): the
	// work the rules were given.
	Pairs    int64         `json:"rule_resource_pairs"`
	Import   time.Duration `json:"import_ns"`
	Evaluate time.Duration `json:"evaluate_ns"`
	// Report is building the report and writing it (zero without Format).
	Report time.Duration `json:"report_ns"`
	Format string        `json:"report_format,omitempty"`
	Total  time.Duration `json:"total_ns"`
	// CPU is the process's CPU time (user + system) during the scan: on a
	// shared machine a steadier measure than wall time. CPUImport is the
	// import's share, CPUEvaluate the evaluation's and the report's
	// building, CPUWrite the writing.
	CPU             time.Duration `json:"cpu_ns"`
	CPUImport       time.Duration `json:"cpu_import_ns"`
	CPUEvaluate     time.Duration `json:"cpu_evaluate_ns"`
	CPUWrite        time.Duration `json:"cpu_write_ns"`
	ResourcesPerSec float64       `json:"resources_per_second"`
	// MicrosPerPair is the evaluation's wall time per (rule × resource of
	// its class), in microseconds.
	MicrosPerPair float64 `json:"us_per_rule_resource"`
	// CPUUser and CPUSys split CPU into user and system time (system time
	// is mostly the kernel handing out fresh memory).
	CPUUser time.Duration `json:"cpu_user_ns"`
	CPUSys  time.Duration `json:"cpu_sys_ns"`
	// CPUGC is the garbage collector's share of CPU (runtime/metrics,
	// an estimate), GCs the collections run during the scan.
	CPUGC time.Duration `json:"cpu_gc_ns"`
	GCs   uint32        `json:"gcs"`
	// Allocated and Allocs are the bytes and objects the scan allocated.
	Allocated uint64 `json:"allocated_bytes"`
	Allocs    uint64 `json:"allocs"`
	// PeakRSS is the process's maximum resident set size in bytes.
	PeakRSS int64 `json:"peak_rss_bytes"`
	// PeakObjects and PeakGoFree say what made up the largest resident
	// set seen by sampling every 50 ms: the bytes of heap objects (live
	// or not yet collected) and the memory the Go runtime holds beyond
	// them (free heap not yet returned, fragmentation, stacks, runtime
	// metadata); the rest of PeakRSS is outside the Go runtime (the
	// executable's pages).
	PeakObjects uint64 `json:"peak_objects_bytes"`
	// PeakStage is the stage (import, evaluate, write) in which the
	// sampled resident set was largest.
	PeakStage  string `json:"peak_stage,omitempty"`
	PeakGoFree uint64 `json:"peak_go_free_bytes"`
	// PeakLive is the largest live heap a collection found during the
	// scan, in bytes: the memory the scan needs, before the collector's
	// headroom. When no collection ran during the scan, it is what the
	// collections after it found (the engine and the report's remains).
	PeakLive uint64 `json:"peak_live_heap_bytes"`
	CPUs     int    `json:"cpus"`
	// RunRates are the resources/s of every run, in run order, when there
	// were several (the result is the median run).
	RunRates []float64 `json:"run_rates,omitempty"`
}

func (b BenchResult) String() string {
	rep := ""
	if b.Format != "" {
		rep = fmt.Sprintf(" + report (build + %s) %s", b.Format, b.Report.Round(time.Millisecond))
	}
	ms := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	// The live heap is what a collection finds: a scan that collected no
	// garbage has none measured (the collections after it find the
	// report's remains).
	live := fmt.Sprintf("live heap at most %.0f MiB", float64(b.PeakLive)/(1<<20))
	at := ""
	if b.PeakStage != "" {
		at = " during " + b.PeakStage
	}
	if b.GCs == 0 {
		live = "no collection, so no live heap measured"
	}
	return fmt.Sprintf("%d resources, %d rules, %d findings: import %s + evaluate %s%s = %s (CPU %s: import %s, evaluate and build the report %s, write %s) => %.0f resources/s on %d CPUs, peak RSS %.0f MiB%s (%s; at the sampled peak objects %.0f MiB, Go's free and overhead %.0f MiB); %.3f µs per (rule × resource of its class) over %d pairs",
		b.Resources, b.Rules, b.Findings, ms(b.Import), ms(b.Evaluate), rep, ms(b.Total),
		ms(b.CPU), ms(b.CPUImport), ms(b.CPUEvaluate), ms(b.CPUWrite),
		b.ResourcesPerSec, b.CPUs, float64(b.PeakRSS)/(1<<20), at, live, float64(b.PeakObjects)/(1<<20), float64(b.PeakGoFree)/(1<<20), b.MicrosPerPair, b.Pairs) +
		fmt.Sprintf("; CPU user %s + sys %s, GC %s in %d collections; allocated %.0f MiB in %d objects",
			ms(b.CPUUser), ms(b.CPUSys), ms(b.CPUGC), b.GCs, float64(b.Allocated)/(1<<20), b.Allocs) + b.runsText()
}

func (b BenchResult) runsText() string {
	if len(b.RunRates) < 2 {
		return ""
	}
	rates := make([]string, len(b.RunRates))
	for i, r := range b.RunRates {
		rates[i] = fmt.Sprintf("%.0f", r)
	}
	return fmt.Sprintf(" (median of %d runs; resources/s per run: %s)", len(b.RunRates), strings.Join(rates, ", "))
}

// Bench generates about opts.Resources synthetic resources in the clouds'
// native export formats under opts.Dir, then scans them with e as vigil
// scan does (import, evaluation, report with opts.Format), timing each
// stage.
func Bench(ctx context.Context, e *policy.Engine, opts BenchOptions) (BenchResult, error) {
	if _, err := synth.Generate(ctx, opts.Dir, opts.Resources, opts.Mix); err != nil {
		return BenchResult{}, fmt.Errorf("generating synthetic inventory: %w", err)
	}
	var runs []BenchResult
	for k := range max(1, opts.Runs) {
		o := opts
		if k > 0 {
			o.HeapProfile = nil
		}
		b, err := benchOnce(ctx, e, o)
		if err != nil {
			return BenchResult{}, err
		}
		runs = append(runs, b)
	}
	rates := make([]float64, len(runs))
	for i, r := range runs {
		rates[i] = r.ResourcesPerSec
	}
	slices.SortStableFunc(runs, func(a, b BenchResult) int { return cmp.Compare(a.Total, b.Total) })
	med := runs[(len(runs)-1)/2]
	if len(runs) > 1 {
		med.RunRates = rates
	}
	return med, nil
}

// peakHeap follows the live heap after each collection: the largest, and
// a heap profile taken at it when prof is set.
type peakHeap struct {
	mu      sync.Mutex
	stopped bool
	live    uint64
	seen    int // collections sampled before stop
	prof    *bytes.Buffer
	err     error
}

func watchPeakHeap(profile bool) *peakHeap {
	p := &peakHeap{}
	if profile {
		p.prof = &bytes.Buffer{}
	}
	afterGC(p.sample)
	return p
}

func (p *peakHeap) sample() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return false
	}
	p.seen++
	if live := liveHeap(); live > p.live {
		p.live = live
		if p.prof != nil {
			// The heap profile is as of the last collection: this one.
			p.prof.Reset()
			p.err = pprof.Lookup("heap").WriteTo(p.prof, 0)
		}
	}
	return true
}

// stop ends the watch (after one more collection, so that the last stage
// is seen) and writes the profile to w. A run that collected no garbage (a
// 100,000-resource scan) gets the profile taken at its end: its live heap
// is the report's remains, but its alloc_space covers the whole run.
func (p *peakHeap) stop(w io.Writer) (uint64, error) {
	p.mu.Lock()
	during := p.seen
	p.mu.Unlock()
	runtime.GC()
	runtime.GC() // the finalizer of the first collection's sentinel has run
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
	if p.prof == nil || p.err != nil {
		return p.live, p.err
	}
	if during == 0 {
		p.prof.Reset()
		if err := pprof.Lookup("heap").WriteTo(p.prof, 0); err != nil {
			return p.live, err
		}
	}
	_, err := w.Write(p.prof.Bytes())
	return p.live, err
}

// rssSampler samples the resident set every 50 ms and keeps, at its
// largest, what the Go runtime says it held.
type rssSampler struct {
	stop    chan struct{}
	done    chan struct{}
	rss     int64
	stage   atomic.Pointer[string] // the stage now
	atPeak  string
	objects uint64
	goFree  uint64
}

var memSamples = []metrics.Sample{
	{Name: "/memory/classes/total:bytes"},
	{Name: "/memory/classes/heap/released:bytes"},
	{Name: "/memory/classes/heap/objects:bytes"},
}

func sampleRSS() *rssSampler {
	s := &rssSampler{stop: make(chan struct{}), done: make(chan struct{})}
	page := int64(os.Getpagesize())
	go func() {
		defer close(s.done)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tick.C:
			}
			statm, err := os.ReadFile("/proc/self/statm")
			if err != nil {
				return
			}
			var size, resident int64
			if _, err := fmt.Sscan(string(statm), &size, &resident); err != nil || resident*page <= s.rss {
				continue
			}
			metrics.Read(memSamples)
			total, released, objects := memSamples[0].Value.Uint64(), memSamples[1].Value.Uint64(), memSamples[2].Value.Uint64()
			s.rss, s.objects, s.goFree = resident*page, objects, total-released-objects
			if st := s.stage.Load(); st != nil {
				s.atPeak = *st
			}
		}
	}()
	return s
}

// enter tells the sampler the stage the scan is in.
func (s *rssSampler) enter(stage string) { s.stage.Store(&stage) }

func (s *rssSampler) end() (objects, goFree uint64, stage string) {
	close(s.stop)
	<-s.done
	return s.objects, s.goFree, s.atPeak
}

// benchOnce scans opts.Dir once.
func benchOnce(ctx context.Context, e *policy.Engine, opts BenchOptions) (BenchResult, error) {
	runtime.GC()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	u0, s0 := cpuSplit()
	gc0 := gcCPU()
	cpu0 := cpuTime()
	cpuEval := cpu0
	// Each stage is a "stage" log event in an execution trace (vigil
	// bench --trace): where a core idles, stage by stage.
	rss := sampleRSS()
	progress := func(stage string) {
		trace.Log(ctx, "stage", stage)
		switch {
		case strings.HasPrefix(stage, "importing"):
			rss.enter("import")
		case strings.HasPrefix(stage, "evaluating"):
			rss.enter("evaluate and build the report")
			cpuEval = cpuTime()
		}
	}
	peak := watchPeakHeap(opts.HeapProfile != nil)
	t0 := time.Now()
	res, err := Run(ctx, e, Options{Paths: []string{opts.Dir}, Now: BenchTime, TuneGC: true, Identity: opts.Identity,
		Governance: opts.Governance, Logger: slog.New(slog.DiscardHandler), Progress: progress, CompactPasses: true,
		NoSources: opts.Format != "sarif", PrepareRules: true})
	cpuBuilt := cpuTime()
	if err != nil {
		return BenchResult{}, err
	}
	if len(res.Inventory.Errors) > 0 {
		res.Done()
		return BenchResult{}, fmt.Errorf("synthetic inventory did not import cleanly: %v", res.Inventory.Errors[0])
	}
	// vigil scan keeps only the report while it writes it: so does the
	// bench (the inventory is garbage once the report is built).
	// Counting the pairs is the bench's own work: left out of the times
	// (it is user time; the write's CPU is its end less cpuBuilt less
	// ownCPU).
	tPairs, cpuPairs := time.Now(), cpuTime()
	resources, pairs := len(res.Inventory.Resources), RuleResourcePairs(e.Rules(), res.Inventory.Resources)
	ownWall, ownCPU := time.Since(tPairs), cpuTime()-cpuPairs
	res.Inventory = nil
	if opts.Format != "" {
		trace.Log(ctx, "stage", "writing the report")
		rss.enter("write")
		out := opts.Output
		if out == nil {
			out = io.Discard
		}
		if err := report.Write(ctx, out, opts.Format, res.Report); err != nil {
			res.Done()
			return BenchResult{}, err
		}
	}
	res.Done() // as vigil scan, which exits after writing
	total := time.Since(t0) - ownWall
	trace.Log(ctx, "stage", "done")
	cpu := cpuTime() - cpu0 - ownCPU
	u1, s1 := cpuSplit()
	gc1 := gcCPU()
	runtime.ReadMemStats(&ms1)
	b := BenchResult{
		Resources: resources, Rules: len(e.Rules()), Findings: len(res.Report.Findings) + res.Report.Passes.Len(),
		Pairs:  pairs,
		Import: res.ImportTime, Evaluate: res.EvalTime, Total: total, CPU: cpu, CPUs: runtime.GOMAXPROCS(0),
		CPUImport: cpuEval - cpu0, CPUEvaluate: cpuBuilt - cpuEval, CPUWrite: cpu0 + cpu - cpuBuilt,
		PeakRSS: peakRSS(),
		CPUUser: u1 - u0 - ownCPU, CPUSys: s1 - s0, CPUGC: gc1 - gc0, GCs: ms1.NumGC - ms0.NumGC,
		Allocated: ms1.TotalAlloc - ms0.TotalAlloc, Allocs: ms1.Mallocs - ms0.Mallocs,
	}
	res = nil
	b.PeakObjects, b.PeakGoFree, b.PeakStage = rss.end()
	if b.PeakLive, err = peak.stop(opts.HeapProfile); err != nil {
		return BenchResult{}, fmt.Errorf("writing the heap profile: %w", err)
	}
	if opts.Format != "" {
		b.Format = opts.Format
		b.Report = total - b.Import - b.Evaluate
	}
	b.ResourcesPerSec = float64(b.Resources) / b.Total.Seconds()
	if b.Pairs > 0 {
		b.MicrosPerPair = float64(b.Evaluate.Microseconds()) / float64(b.Pairs)
	}
	return b, nil
}

// RuleResourcePairs counts (rule × resource of the rule's class and of one
// of its providers): what the rules are asked to judge. A rule that names
// no provider covers all.
func RuleResourcePairs(rs []*policy.Rule, resources []*resource.Resource) int64 {
	type key struct {
		c resource.Class
		p resource.Provider
	}
	byClass := map[resource.Class]int64{}
	byKey := map[key]int64{}
	for _, r := range resources {
		byClass[r.Class]++
		byKey[key{r.Class, r.Provider}]++
	}
	var n int64
	for _, rule := range rs {
		if len(rule.Providers) == 0 {
			n += byClass[rule.Class]
			continue
		}
		for _, p := range rule.Providers {
			n += byKey[key{rule.Class, p}]
		}
	}
	return n
}

var (
	packageLine = regexp.MustCompile(`(?m)^package[ \t]+([A-Za-z0-9_.]+)[ \t]*$`)
	idLine      = regexp.MustCompile(`(?m)^(#[ \t]+id:[ \t]*)"?([A-Za-z0-9_.\-]+)"?[ \t]*$`)
)

// CopyPack returns a rule pack with the rules of pack copies times: the
// pack itself, then copies-1 renamed copies of every rule (a copy of the
// rule in package P with custom.id I is package P_copyN with id I-copyN, in
// copyN/<its path>), so that all compile and run side by side. Libraries
// (modules with no custom.id) are not copied and tests are left out of the
// copies. It measures how evaluation scales with the number of rules.
func CopyPack(pack fs.FS, copies int) (fs.FS, error) {
	out := fstest.MapFS{}
	err := fs.WalkDir(pack, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") {
			return err
		}
		data, err := fs.ReadFile(pack, p)
		if err != nil {
			return err
		}
		out[p] = &fstest.MapFile{Data: data, Mode: 0o644}
		if strings.HasSuffix(p, "_test.rego") {
			return nil
		}
		text := string(data)
		id := idLine.FindStringSubmatchIndex(text)
		pkg := packageLine.FindStringSubmatchIndex(text)
		if id == nil || pkg == nil {
			return nil // a library
		}
		for n := 2; n <= copies; n++ {
			suffix := fmt.Sprintf("copy%d", n)
			c := text[:id[5]] + "-" + suffix + text[id[5]:]
			// The package line follows the METADATA block that holds the id.
			shift := len(c) - len(text)
			if pkg[0] < id[0] {
				shift = 0
			}
			c = c[:pkg[3]+shift] + "_" + suffix + c[pkg[3]+shift:]
			out[path.Join(suffix, p)] = &fstest.MapFile{Data: []byte(c), Mode: 0o644}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// cpuTime is the process's CPU time so far (user + system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuSplit is the process's user and system CPU time so far.
func cpuSplit() (user, sys time.Duration) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}

var gcCPUSample = []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}

// gcCPU is the runtime's estimate of the CPU time spent collecting garbage.
func gcCPU() time.Duration {
	metrics.Read(gcCPUSample)
	if gcCPUSample[0].Value.Kind() != metrics.KindFloat64 {
		return 0
	}
	return time.Duration(gcCPUSample[0].Value.Float64() * float64(time.Second))
}

func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss * 1024 // Linux reports KiB
}
