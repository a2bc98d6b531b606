package scan

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"

	"github.com/vigil-sec/vigil/internal/sysmem"
)

// gcFloor is the least memory limit: the heap may grow to it before the
// garbage collector runs at all. It was 2.5 GiB: a scan of 100,000
// resources then never collected, and its 1.5 GiB of garbage was all fresh
// memory (peak RSS 1.8 GiB), which costs more system time on a virtual
// machine (about 1.5 s there) than the two or three collections of a
// smaller floor take (peak RSS 1.1 GiB). Then 768 MiB; once such a scan
// allocated 0.86-0.94 GiB in all, its one or two collections (marking
// the whole inventory while the rules ran) cost more than the fresh memory
// a floor above its allocations takes: at 1.25 GiB it collects none, 15%
// less CPU, the same peak RSS (1.03-1.12 GiB). At 1,000,000 resources the
// floor only sets the first of the import's collections. On a machine of
// less than twice that memory the floor is half the memory (floorFor).
const gcFloor = 1280 << 20

// floorFor is the floor on a machine of ram bytes (0: unknown).
func floorFor(ram uint64) int64 {
	if ram > 0 {
		return min(gcFloor, int64(ram/2))
	}
	return gcFloor
}

// gcBudget is the heap a scan may grow to freely: while twice the live
// heap fits in it, the collector runs when the heap reaches twice the live
// heap; past that, when the heap reaches gcBudget, or a quarter above the
// live heap once that is more (gcMinPercent). At 1,000,000 resources (a
// live heap of up to 2.7 GiB) twice the live heap took the process to
// 5.5-6.0 GiB. It is at most three quarters of the machine's memory.
const gcBudget = 3 << 30

// gcMinPercent is the least headroom above the live heap, in percent, once
// the budget is reached.
const gcMinPercent = 15

// gcSlack is how far above the heap goal the memory limit of the percent
// mode stays at least: the runtime's own memory (span and mark metadata,
// stacks) and the heap's fragmentation, so that the limit binds the free
// pages the runtime keeps, not the heap (see gcPace).
const gcSlack = 512 << 20

// gcTuning makes a scan collect garbage when the heap reaches a size that
// follows the live heap, instead of each time the heap doubles (GOGC=100).
//
// A scan builds an inventory that stays live to the end while it allocates
// a great deal of short-lived garbage (decoded JSON during the import, Rego
// terms and results during the evaluation). Collecting each time the heap
// doubles marks the growing inventory over and over: on 100,000 resources
// the collector took about 40% of the scan's time. The tuning has two
// modes, chosen after every collection (a finalizer runs after each cycle)
// by gcPace:
//
//   - by limit (GOGC off): the runtime collects when the heap reaches a
//     memory limit of max(the floor, 2 × the live heap), which only rises: a
//     small inventory is scanned with few collections, and a growing one
//     never runs the collector back to back (the first tuning set a fixed
//     limit before the import and raised it only after, and the collector
//     ran continuously while a large import grew past it);
//   - by percent, once twice the live heap passes gcBudget: GOGC is set so
//     that the heap goal is max(gcBudget, 1.15 × the live heap), and the
//     memory limit gcSlack above that goal (3.5 GiB at first). A memory
//     limit close above the live heap does not work: the runtime subtracts
//     from the limit the memory it counts outside the heap, its heap goal
//     fell below the live heap (gctrace: a goal of 2.2 GB for 2.9 GB live)
//     and the collector ran back to back for minutes (tried at 1,000,000
//     resources with a limit of 3.5 GiB, 2.9 GB live). The limit is there
//     for the scavenger: without one, the pages a collection frees stay
//     resident (at 1,000,000 resources, with PASS findings compact, 1.9
//     GB of objects and 2.2 GB of free pages at the peak RSS of 4.1 GiB),
//     and under a limit the runtime returns them to keep within it.
//
// GOGC or GOMEMLIMIT in the environment switch the tuning off.
type gcTuning struct {
	on bool

	mu      sync.Mutex
	stopped bool
	pct     int   // GOGC before tuning, restored
	limit   int64 // the limit before tuning, restored
	cur     gcSettings
}

// gcSettings are the collector's pacing: a memory limit and GOGC (-1: off,
// the limit alone paces).
type gcSettings struct {
	limit int64
	pct   int
}

func tuneGC() *gcTuning {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return &gcTuning{}
	}
	floor := floorFor(sysmem.Physical())
	t := &gcTuning{on: true, cur: gcSettings{limit: floor, pct: -1}}
	t.limit = debug.SetMemoryLimit(floor)
	t.pct = debug.SetGCPercent(-1)
	t.arm()
	return t
}

// gcPace is the pacing for a live heap of live bytes on a machine with ram
// bytes of memory (0: unknown), following cur (see gcTuning).
func gcPace(live, ram uint64, cur gcSettings) gcSettings {
	budget := int64(gcBudget)
	if ram > 0 {
		budget = min(budget, int64(ram/4*3))
	}
	l := int64(live)
	if cur.pct < 0 && 2*l <= budget {
		return gcSettings{limit: max(cur.limit, floorFor(ram), 2*l), pct: -1}
	}
	pct := gcMinPercent
	if l > 0 && budget-l > l*gcMinPercent/100 {
		pct = int((budget - l) * 100 / l)
	}
	return gcSettings{limit: max(budget, l+l*gcMinPercent/100) + gcSlack, pct: pct}
}

var liveSample = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}

// liveHeap is the heap marked live by the last collection.
func liveHeap() uint64 {
	metrics.Read(liveSample)
	if liveSample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return liveSample[0].Value.Uint64()
}

// gcSentinel is garbage whose finalizer runs after each collection (it
// holds a pointer, so it is not batched with other tiny objects).
type gcSentinel struct{ f func() bool }

// afterGC calls f after each garbage collection, on the finalizer
// goroutine, until f returns false.
func afterGC(f func() bool) {
	runtime.SetFinalizer(&gcSentinel{f: f}, func(s *gcSentinel) {
		if s.f() {
			afterGC(s.f)
		}
	})
}

func (t *gcTuning) arm() { afterGC(t.adjust) }

// adjust sets the pacing from the live heap; false once restored.
func (t *gcTuning) adjust() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return false
	}
	want := gcPace(liveHeap(), sysmem.Physical(), t.cur)
	if want.pct != t.cur.pct {
		debug.SetGCPercent(want.pct)
	}
	if want.limit != t.cur.limit {
		debug.SetMemoryLimit(want.limit)
	}
	t.cur = want
	return true
}

// grow is called once the inventory is imported (the limit already follows
// the live heap; this takes the last collection into account at once).
func (t *gcTuning) grow() {
	if t == nil || !t.on {
		return
	}
	t.adjust()
}

// restore puts the collector back as it was.
func (t *gcTuning) restore() {
	if t == nil || !t.on {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return
	}
	t.stopped = true
	debug.SetGCPercent(t.pct)
	debug.SetMemoryLimit(t.limit)
}
