package logs

import "testing"

// TestPrefetchAnyRange calls prefetch on empty, short, unaligned and long
// ranges, the last one ending at the end of its allocation: it must
// return and leave the bytes as they were (a prefetch never faults nor
// writes; a wrong loop bound would hang or crash here).
func TestPrefetchAnyRange(t *testing.T) {
	b := make([]byte, 1<<20+13)
	for i := range b {
		b[i] = byte(i)
	}
	prefetch(nil)
	prefetch(b[:0])
	prefetch(b[5:6])
	prefetch(b[7:200])
	prefetch(b[63:65])
	prefetch(b[len(b)-1:])
	prefetch(b)
	for i := range b {
		if b[i] != byte(i) {
			t.Fatalf("byte %d changed", i)
		}
	}
}
