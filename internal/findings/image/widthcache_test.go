package image

import (
	"runtime"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// TestWidthCacheReleased: with tablewriter's default cache (what its
// initializer makes) the live heap is more than 0.4 MB larger than after
// this package's initializer released it.
func TestWidthCacheReleased(t *testing.T) {
	live := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	without := live()
	twwidth.SetCacheCapacity(8192) // tablewriter's default, as its init makes it
	with := live()
	twwidth.SetCacheCapacity(0)
	if with < without+400<<10 {
		t.Errorf("live heap with the cache %d, without %d: the cache should take about 0.64 MB", with, without)
	}
	if got := twwidth.Width("日本"); got != 4 {
		t.Errorf("width without the cache: %d, want 4", got)
	}
}
