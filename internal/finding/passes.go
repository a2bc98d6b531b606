package finding

import (
	"cmp"
	"iter"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Passes are PASS findings held compactly: per rule, its finding with no
// resource (Proto) and the resources it passed, as indexes into one table
// of references. A PASS finding differs from its rule's prototype only in
// its resource, so a million of them cost 4 bytes each (plus one Ref per
// resource) instead of a Finding's 288: at 1,000,000 resources, about 2.5
// million PASS findings, 0.7 GB of a scan's peak live heap.
//
// A scan that only writes its report holds its PASS findings this way
// (report.BuildWith), and the writers materialize each one as they print
// it: the output is the same as with the findings in full.
type Passes struct {
	// Refs are the resources the runs refer to.
	Refs []resource.Ref
	// Runs are one rule's PASS findings each.
	Runs []PassRun
	// Labels, when set, are the data class of each reference's resource
	// (Finding.DataClass, "" for none; a governance policy's labels,
	// governance.Raise), indexed as Refs.
	Labels []string

	// order is Refs' indexes ordered by ID, provider, then index, once
	// Rank ran (nil before).
	order []int32
}

// PassRun is the PASS findings of one rule.
type PassRun struct {
	// Proto is the rule's PASS finding, with no resource.
	Proto Finding
	// Res are the resources passed, as indexes into Passes.Refs.
	Res []int32
}

// Len is the number of PASS findings held.
func (p *Passes) Len() int {
	if p == nil {
		return 0
	}
	n := 0
	for i := range p.Runs {
		n += len(p.Runs[i].Res)
	}
	return n
}

// Fill sets *dst to the k-th finding of run.
func (p *Passes) Fill(dst *Finding, run, k int) {
	r := &p.Runs[run]
	*dst = r.Proto
	i := r.Res[k]
	dst.Resource = p.Refs[i]
	if p.Labels != nil {
		dst.DataClass = p.Labels[i]
	}
}

// Label is the data class of reference i (Labels), "" for none.
func (p *Passes) Label(i int32) string {
	if p.Labels == nil {
		return ""
	}
	return p.Labels[i]
}

// All yields the findings held, run by run; each is valid until the next.
func (p *Passes) All() iter.Seq[*Finding] {
	return func(yield func(*Finding) bool) {
		if p == nil {
			return
		}
		var x Finding
		for run := range p.Runs {
			for k := range p.Runs[run].Res {
				p.Fill(&x, run, k)
				if !yield(&x) {
					return
				}
			}
		}
	}
}

// Filter keeps the findings f selects.
func (p *Passes) Filter(f Filter) {
	if p == nil || f.empty() {
		return
	}
	var x Finding
	runs := p.Runs[:0]
	for ri := range p.Runs {
		r := &p.Runs[ri]
		keep := r.Res[:0]
		for k, idx := range r.Res {
			p.Fill(&x, ri, k)
			if f.Match(&x) {
				keep = append(keep, idx)
			}
		}
		if r.Res = keep; len(keep) > 0 {
			runs = append(runs, *r)
		}
	}
	clear(p.Runs[len(runs):])
	p.Runs = runs
}

// Sort orders the runs and each run's findings as SortWorstFirst orders
// PASS findings: runs by severity (worst first), then rule ID; a run's
// findings by resource ID, then provider, keeping their order otherwise.
//
// The runs of one class pass the same resources over and over: the
// references are ranked once (by ID, provider, then index in Refs), and a
// run whose indexes ascend (as the engine emits them: then keeping their
// order means ordering equal references by index) is sorted on the ranks,
// integers; at 1,000,000 resources, about 300 runs and 2.5 million
// findings, 1.6 CPU-s of string comparisons became about 0.5.
func (p *Passes) Sort() {
	if p == nil {
		return
	}
	slices.SortStableFunc(p.Runs, func(a, b PassRun) int {
		if c := cmp.Compare(b.Proto.Severity.Rank(), a.Proto.Severity.Rank()); c != 0 {
			return c
		}
		return strings.Compare(a.Proto.RuleID, b.Proto.RuleID)
	})
	if p.Len() == 0 {
		return
	}
	workers := runtime.GOMAXPROCS(0)
	p.Rank()
	order := p.order
	rank := make([]int32, len(p.Refs))
	for k, r := range order {
		rank[r] = int32(k)
	}
	// The runs are sorted on GOMAXPROCS workers.
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(p.Runs); i = int(next.Add(1) - 1) {
				res := p.Runs[i].Res
				if !ascending(res) {
					slices.SortStableFunc(res, p.compareRefs)
					continue
				}
				for k, r := range res {
					res[k] = rank[r]
				}
				slices.Sort(res)
				for k, x := range res {
					res[k] = order[x]
				}
			}
		})
	}
	wg.Wait()
}

// Rank orders the references, most of Sort's work (at 1,000,000
// resources about 0.7 of its 1 CPU-s), for a Sort later; it reads only
// Refs, so it may run while the findings are counted (report.BuildWith).
// Refs must not change after it.
func (p *Passes) Rank() {
	if p == nil || p.order != nil && len(p.order) == len(p.Refs) {
		return
	}
	p.order = p.refOrder(runtime.GOMAXPROCS(0))
}

// RankOrder is the indexes of Refs ordered by ID, provider, then index,
// once Rank ran (nil before): the order in which a sorted run reads its
// references.
func (p *Passes) RankOrder() []int32 {
	if p == nil || len(p.order) != len(p.Refs) {
		return nil
	}
	return p.order
}

// compareRefs orders the references at indexes a and b by ID, then
// provider.
func (p *Passes) compareRefs(a, b int32) int {
	ra, rb := &p.Refs[a], &p.Refs[b]
	if c := strings.Compare(ra.ID, rb.ID); c != 0 {
		return c
	}
	return strings.Compare(string(ra.Provider), string(rb.Provider))
}

// refOrder returns the indexes of p.Refs ordered by ID, provider, then
// index: sorted in parts on workers, then merged.
func (p *Passes) refOrder(workers int) []int32 {
	n := len(p.Refs)
	cmpIdx := func(a, b int32) int {
		if c := p.compareRefs(a, b); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	parts := max(1, min(workers, n/4096))
	bounds := make([]int, parts+1)
	for k := range bounds {
		bounds[k] = k * n / parts
	}
	var wg sync.WaitGroup
	for k := range parts {
		wg.Go(func() { slices.SortFunc(order[bounds[k]:bounds[k+1]], cmpIdx) })
	}
	wg.Wait()
	buf := make([]int32, n)
	for len(bounds) > 2 {
		// Merge neighbouring parts pairwise, at once, into buf.
		var merged []int
		for k := 0; k+1 < len(bounds); k += 2 {
			lo := bounds[k]
			merged = append(merged, lo)
			if k+2 >= len(bounds) {
				copy(buf[lo:], order[lo:bounds[k+1]])
				continue
			}
			mid, hi := bounds[k+1], bounds[k+2]
			wg.Go(func() { mergeInto(buf[lo:hi], order[lo:mid], order[mid:hi], cmpIdx) })
		}
		wg.Wait()
		bounds = append(merged, n)
		order, buf = buf, order
	}
	return order
}

// mergeInto merges the sorted a and b into dst (len(a)+len(b) long).
func mergeInto(dst, a, b []int32, cmp func(x, y int32) int) {
	i, j, k := 0, 0, 0
	for i < len(a) && j < len(b) {
		if cmp(b[j], a[i]) < 0 {
			dst[k] = b[j]
			j++
		} else {
			dst[k] = a[i]
			i++
		}
		k++
	}
	k += copy(dst[k:], a[i:])
	copy(dst[k:], b[j:])
}

// ascending reports whether xs is in strictly increasing order.
func ascending(xs []int32) bool {
	for k := 1; k < len(xs); k++ {
		if xs[k] <= xs[k-1] {
			return false
		}
	}
	return true
}

// Before reports whether f sorts before every finding of run in "worst
// first" order (see Worse): a worse severity or status, or the same and a
// rule ID before the run's.
func (p *Passes) Before(f *Finding, run int) bool {
	proto := &p.Runs[run].Proto
	if a, b := f.Severity.Rank(), proto.Severity.Rank(); a != b {
		return a > b
	}
	if a, b := f.StatusRank(), proto.StatusRank(); a != b {
		return a > b
	}
	return f.RuleID < proto.RuleID
}

// Expand returns fs with the PASS findings merged in, in "worst first"
// order when fs is sorted and p too (Sort).
func (p *Passes) Expand(fs []Finding) []Finding {
	if p.Len() == 0 {
		return fs
	}
	out := make([]Finding, 0, len(fs)+p.Len())
	i := 0
	for run := range p.Runs {
		for i < len(fs) && p.Before(&fs[i], run) {
			out = append(out, fs[i])
			i++
		}
		for k := range p.Runs[run].Res {
			out = append(out, Finding{})
			p.Fill(&out[len(out)-1], run, k)
		}
	}
	return append(out, fs[i:]...)
}

// empty reports whether f selects every finding.
func (f Filter) empty() bool {
	return len(f.Providers) == 0 && f.MinSeverity == "" && len(f.Frameworks) == 0 && len(f.Rules) == 0 &&
		len(f.Statuses) == 0
}
