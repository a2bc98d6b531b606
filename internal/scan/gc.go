package scan

import (
	"os"
	"runtime"
	"runtime/debug"
)

// gcFloor is the memory a scan may use before the garbage collector runs.
const gcFloor = 1792 << 20 // 1.75 GiB

// gcTuning makes a scan collect garbage by memory limit instead of by heap
// growth. A scan builds its inventory once and then allocates steadily while
// every live object stays live, so the default (a collection each time the
// heap doubles) spends about a third of the CPU marking an inventory that
// never becomes garbage. With collection by limit the runtime collects only
// as memory approaches gcFloor (1.75 GiB), or twice the inventory's size when that is
// larger (see grow). GOGC or GOMEMLIMIT in the environment switch this off.
type gcTuning struct {
	on       bool
	pct      int
	limit    int64
	curLimit int64
}

func tuneGC() *gcTuning {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return &gcTuning{}
	}
	t := &gcTuning{on: true, curLimit: gcFloor}
	t.limit = debug.SetMemoryLimit(gcFloor)
	t.pct = debug.SetGCPercent(-1)
	return t
}

// grow raises the limit after import so that a large inventory (live heap
// near or above the floor) does not make the collector run continuously.
func (t *gcTuning) grow() {
	if t == nil || !t.on {
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if want := int64(2 * ms.HeapAlloc); want > t.curLimit {
		t.curLimit = want
		debug.SetMemoryLimit(want)
	}
}

// restore puts the collector back as it was.
func (t *gcTuning) restore() {
	if t == nil || !t.on {
		return
	}
	debug.SetGCPercent(t.pct)
	debug.SetMemoryLimit(t.limit)
}
