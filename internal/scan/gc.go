package scan

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// gcFloor is the least memory limit: the heap may grow to it before the
// garbage collector runs at all. It was 2.5 GiB: a scan of 100,000
// resources then never collected, and its 1.5 GiB of garbage was all fresh
// memory (peak RSS 1.8 GiB), which costs more system time on a virtual
// machine (about 1.5 s there) than the two or three collections of a
// smaller floor take (peak RSS 1.1 GiB).
const gcFloor = 768 << 20

// gcTuning makes a scan collect garbage by a memory limit that follows the
// live heap, instead of each time the heap doubles (GOGC=100).
//
// A scan builds an inventory that stays live to the end while it allocates
// a great deal of short-lived garbage (decoded JSON during the import, Rego
// terms and results during the evaluation). Collecting each time the heap
// doubles marks the growing inventory over and over: on 100,000 resources
// the collector took about 40% of the scan's time. With collection by limit
// the runtime collects only when the heap reaches the limit, which is
// max(gcFloor, 2 × the live heap after the last collection), raised after
// every collection (a finalizer runs after each cycle): a small inventory is
// scanned with few collections; a large one never runs the collector
// back to back, since the limit stays twice its live size as it grows (the
// first tuning set a fixed limit before the import and raised it only
// after, and the collector ran continuously while a large import grew past
// it). GOGC or GOMEMLIMIT in the environment switch this off.
type gcTuning struct {
	on bool

	mu      sync.Mutex
	stopped bool
	pct     int
	limit   int64 // the limit before tuning, restored
	cur     int64 // the limit set
}

func tuneGC() *gcTuning {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return &gcTuning{}
	}
	t := &gcTuning{on: true, cur: gcFloor}
	t.limit = debug.SetMemoryLimit(gcFloor)
	t.pct = debug.SetGCPercent(-1)
	t.arm()
	return t
}

// gcLimit is the memory limit for a live heap of live bytes: twice the live
// heap, at least gcFloor, but no more than three quarters of the machine's
// memory while the live heap leaves room (then a quarter above the live
// heap), so that a large scan collects more often rather than swap.
func gcLimit(live uint64) int64 {
	limit := max(gcFloor, 2*int64(live))
	if ram := int64(physicalMemory()); ram > 0 {
		limit = min(limit, max(ram/4*3, int64(live)+int64(live)/4))
	}
	return limit
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
type gcSentinel struct{ t *gcTuning }

func (t *gcTuning) arm() {
	s := &gcSentinel{t: t}
	runtime.SetFinalizer(s, func(s *gcSentinel) {
		if s.t.adjust() {
			s.t.arm()
		}
	})
}

// adjust sets the limit from the live heap; false once restored.
func (t *gcTuning) adjust() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return false
	}
	// The limit only rises: once the raw exports are freed after the
	// import the live heap shrinks, and a falling limit would make the
	// collector run again and again during the evaluation.
	if want := max(t.cur, gcLimit(liveHeap())); want != t.cur {
		t.cur = want
		debug.SetMemoryLimit(want)
	}
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
