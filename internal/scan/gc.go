package scan

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
)

// gcFloor is the least memory limit set for the evaluation: the heap may
// grow to it before the garbage collector runs.
const gcFloor = 1792 << 20 // 1.75 GiB

// gcTuning makes the evaluation collect garbage by memory limit instead of
// by heap growth, and leaves the import to the runtime's default pacing.
//
// The import allocates mostly short-lived garbage (decoded JSON) while the
// inventory it keeps grows to its final size, so the default (collect each
// time the heap doubles) suits it; a fixed limit below the growing
// inventory would make the collector run back to back. The evaluation then
// allocates steadily while the inventory stays live: collecting each time
// the heap doubles spends a large share of the CPU marking an inventory that
// never becomes garbage, so once the inventory's size is known (grow)
// the collector is switched to run by memory limit, at twice the imported
// heap (at least gcFloor). GOGC or GOMEMLIMIT in the environment switch this
// off.
type gcTuning struct {
	on    bool
	set   bool
	pct   int
	limit int64
	// Limit is the memory limit set for the evaluation (0 before).
	Limit int64
}

func tuneGC() *gcTuning {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return &gcTuning{}
	}
	return &gcTuning{on: true}
}

// evalLimit is the memory limit for an evaluation after an import that
// left heap bytes allocated: twice that, at least gcFloor.
func evalLimit(heap uint64) int64 {
	return max(gcFloor, 2*int64(heap))
}

// heapSample reads the bytes of heap objects allocated and not yet freed:
// the live inventory plus the garbage made since the last collection (at
// most about as much again, under the default pacing).
var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}

func heapObjects() uint64 {
	metrics.Read(heapSample)
	if heapSample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return heapSample[0].Value.Uint64()
}

// grow is called once the inventory is imported: it switches the collector
// to run by memory limit, sized from the imported inventory.
func (t *gcTuning) grow() {
	if t == nil || !t.on || t.set {
		return
	}
	t.set = true
	t.Limit = evalLimit(heapObjects())
	t.limit = debug.SetMemoryLimit(t.Limit)
	t.pct = debug.SetGCPercent(-1)
}

// restore puts the collector back as it was.
func (t *gcTuning) restore() {
	if t == nil || !t.set {
		return
	}
	t.set = false
	debug.SetGCPercent(t.pct)
	debug.SetMemoryLimit(t.limit)
}
