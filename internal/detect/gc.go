package detect

import (
	"math"
	"os"
	"runtime/debug"

	"github.com/vigil-sec/vigil/internal/sysmem"
)

// batchGCPercent is the collector's GOGC during a batch run of vigil
// detect (see BatchGC).
const batchGCPercent = 200

// BatchGC paces the garbage collector for a batch run (vigil detect
// without --follow) and returns what puts the previous pacing back. A batch
// run's live heap is small (reorder buffer, correlation windows, the read
// buffers of two files) while it allocates a great deal of short-lived
// garbage (hits, alerts, normalized events): with GOGC=100 the collector
// ran each time the heap doubled over that small live heap. At
// GOGC=200 it runs half as often, for a heap up to three times the live
// one. Memory-limit aware: unless a limit is already set, a soft limit of
// half the machine's memory makes the runtime collect more often as the
// heap nears it, so a run whose correlation state grows large does not
// take three times its live heap when memory is short. GOGC or GOMEMLIMIT
// in the environment leave the collector as they set it. Process-wide: for a command's own process
// (vigil detect), not for a server running other work beside the engine.
func BatchGC() (restore func()) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	pct := debug.SetGCPercent(batchGCPercent)
	limit := debug.SetMemoryLimit(-1) // reads it
	if ram := sysmem.Physical(); ram > 0 && limit == math.MaxInt64 {
		debug.SetMemoryLimit(int64(ram / 2))
	}
	return func() {
		debug.SetGCPercent(pct)
		debug.SetMemoryLimit(limit)
	}
}
