package policy

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Judging a class's rules resource by resource. A rule judged on the Go
// fields reads a few of its resources' fields: a few loads each, but
// scattered over the heap, so walking a class of thousands of resources
// once per rule costs a cache miss per field read per rule (reading the
// pointer to a resource's facts, then the fact, was most of the direct
// evaluation's time). evaluate instead hands out the rules of a class
// judged wholly on the Go fields (goBatchable) together, in ranges of the
// class's resources: each resource is judged by every such rule of its
// class while its fields are in the cache, then the next. A rule's
// verdicts come out in input order, as judge gives them; its messages are
// computed afterwards, as judge does.

// batchChunk is the number of a class's resources a batch job judges:
// enough to amortize a job, few enough for the two workers to share a
// large class.
const batchChunk = 2048

// goBatchable reports whether rule i is judged wholly on the Go fields
// without derived sets (which are computed per rule, over other classes:
// such a rule is judged alone, by judge).
func (e *Engine) goBatchable(i int) bool {
	d := e.direct[i]
	return d != nil && d.onGo && len(d.derived) == 0
}

// goVerdicts judges rules (indexes into e.rules, all of class c and
// goBatchable, or any rule judged on the Go fields with sets, its derived
// sets, when alone) over resources[lo:hi] of the class: per rule, its
// verdicts and the failing resources, appended to verdicts[k] and
// failed[k].
func (e *Engine) goVerdicts(in *Input, c resource.Class, rules []int, sets []map[setKey]struct{}, lo, hi int, verdicts [][]verdict, failed [][]int32) {
	resources := in.byClass[c]
	env := goEnv{sets: sets, now: in.goNow}
	for j := lo; j < hi; j++ {
		r := resources[j]
		for k, i := range rules {
			rule := e.rules[i]
			if !rule.HasProvider(r.Provider) || !rule.sel.match(r) {
				continue
			}
			d := e.direct[i]
			v := verdict{j: int32(j)}
			switch {
			case anyBodyEnv(d.bodies, r, &env):
				v.status = vFail
				failed[k] = append(failed[k], int32(j))
			case len(d.skips) > 0 && anyBodyEnv(d.skips, r, &env):
				continue
			default:
				if m := rule.missing(&r.Facts); m >= 0 {
					v.status, v.missing = vUnknown, int16(m)
				}
			}
			verdicts[k] = append(verdicts[k], v)
		}
	}
}

// anyBodyEnv is anyBodyOnGo with the caller's environment (its elements
// are set by each some before they are read).
func anyBodyEnv(bodies [][]directCond, r *resource.Resource, env *goEnv) bool {
	for _, body := range bodies {
		if allHoldOnGo(body, r, env) {
			return true
		}
	}
	return false
}

// batchJudged holds a batched rule's verdicts and failing resources, its
// messages still to compute (judgeBatched).
type batchJudged struct {
	verdicts []verdict
	failed   []int32
}

// judgeGoBatches judges the goBatchable rules among those ready, class by
// class and resource by resource, on workers goroutines, and returns, per
// rule, its verdicts (nil for a rule not judged here).
func (e *Engine) judgeGoBatches(ctx context.Context, in *Input, ready []bool, workers int) []*batchJudged {
	out := make([]*batchJudged, len(e.rules))
	byClass := map[resource.Class][]int{}
	var classes []resource.Class
	for i, r := range e.rules {
		if !ready[i] || len(in.byClass[r.Class]) == 0 || !e.goBatchable(i) {
			continue
		}
		if byClass[r.Class] == nil {
			classes = append(classes, r.Class)
		}
		byClass[r.Class] = append(byClass[r.Class], i)
	}
	type job struct {
		class  resource.Class
		chunk  int
		lo, hi int
	}
	// Each rule's verdicts are written in place, a chunk's into the
	// chunk's range of the rule's slice (a rule has at most one verdict
	// per resource), then moved together: parts[class][chunk] holds, per
	// rule of the class, the chunk's verdicts and failing resources.
	type part struct {
		verdicts [][]verdict
		failed   [][]int32
	}
	parts := map[resource.Class][]part{}
	var jobs []job
	for _, c := range classes {
		n := len(in.byClass[c])
		for _, i := range byClass[c] {
			out[i] = &batchJudged{verdicts: make([]verdict, n)}
		}
		chunks := (n + batchChunk - 1) / batchChunk
		parts[c] = make([]part, chunks)
		for k := range chunks {
			jobs = append(jobs, job{class: c, chunk: k, lo: k * batchChunk, hi: min(n, (k+1)*batchChunk)})
		}
	}
	// The largest jobs (resources times the class's rules) first: taken in
	// class order, the last job left was a large class's chunk, judged on
	// one worker while the other had nothing left (a core idle for 4-6 ms
	// at 100,000 resources); the small ones now fill the end.
	slices.SortStableFunc(jobs, func(a, b job) int {
		return cmp.Compare((b.hi-b.lo)*len(byClass[b.class]), (a.hi-a.lo)*len(byClass[a.class]))
	})
	// The workers take the jobs from a counter: a goroutine handing them
	// out on a channel needed a core to be woken on while the workers
	// held them all (the other pools' reason too: docs/scan.md).
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Go(func() {
			for ctx.Err() == nil {
				k := int(next.Add(1) - 1)
				if k >= len(jobs) {
					return
				}
				jb := jobs[k]
				rules := byClass[jb.class]
				p := part{verdicts: make([][]verdict, len(rules)), failed: make([][]int32, len(rules))}
				for k, i := range rules {
					p.verdicts[k] = out[i].verdicts[jb.lo:jb.lo:jb.hi]
				}
				e.goVerdicts(in, jb.class, rules, nil, jb.lo, jb.hi, p.verdicts, p.failed)
				parts[jb.class][jb.chunk] = p
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil
	}
	for _, c := range classes {
		for k, i := range byClass[c] {
			bj := out[i]
			nv := 0
			for _, p := range parts[c] {
				nv += copy(bj.verdicts[nv:], p.verdicts[k])
				bj.failed = append(bj.failed, p.failed[k]...)
			}
			bj.verdicts = bj.verdicts[:nv]
		}
	}
	return out
}
