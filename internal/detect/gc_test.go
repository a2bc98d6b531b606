package detect

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/vigil-sec/vigil/internal/sysmem"
)

// TestBatchGC: BatchGC raises GOGC and holds the heap below half the
// machine's memory, and puts both back; with GOGC or GOMEMLIMIT set it
// changes nothing.
func TestBatchGC(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	pct0 := debug.SetGCPercent(100)
	defer debug.SetGCPercent(pct0)
	lim0 := debug.SetMemoryLimit(math.MaxInt64)
	defer debug.SetMemoryLimit(lim0)

	restore := BatchGC()
	pct := debug.SetGCPercent(-1)
	debug.SetGCPercent(pct)
	lim := debug.SetMemoryLimit(-1)
	if pct != batchGCPercent {
		t.Errorf("GOGC %d during the run, want %d", pct, batchGCPercent)
	}
	if ram := sysmem.Physical(); ram > 0 && lim != int64(ram/2) {
		t.Errorf("memory limit %d, want half of %d", lim, ram)
	}
	restore()
	if pct := debug.SetGCPercent(100); pct != 100 {
		t.Errorf("GOGC %d after, want 100", pct)
	}
	if lim := debug.SetMemoryLimit(-1); lim != math.MaxInt64 {
		t.Errorf("memory limit %d after, want none", lim)
	}

	t.Setenv("GOGC", "150")
	BatchGC()()
	if pct := debug.SetGCPercent(100); pct != 100 {
		t.Errorf("with GOGC set: GOGC %d, want it left at 100", pct)
	}
}
