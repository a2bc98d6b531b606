package detect

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/logs"
)

// TestDedupBucketsSweepAsCut checks the bucketed de-duplication keys
// against the rule they implement: a key of event time t is dropped at
// the first sweep boundary b (a multiple of the sweep step the watermark
// crosses) with t < b - window - span, and kept until then. Events arrive
// out of order, some of them copies (same key and time), some late.
func TestDedupBucketsSweepAsCut(t *testing.T) {
	for _, tc := range []struct {
		window, span time.Duration
	}{{15 * time.Minute, 24 * time.Hour}, {15 * time.Minute, 0}, {10 * time.Minute, 90 * time.Minute}} {
		e := &Engine{window: tc.window, corrSpan: tc.span, dedup: map[int64]map[eventKey]int64{}}
		step := max(flushTick, e.dedupSpan()/8)
		ref := map[eventKey]int64{}
		var refSwept time.Time
		rng := rand.New(rand.NewPCG(1, 2))
		base := time.Date(2024, 3, 14, 9, 0, 0, 0, time.UTC)
		var seen []struct {
			k  eventKey
			at time.Time
		}
		dropped := 0
		for i := range 20000 {
			// Time moves forward about 20 s per event, with events up to
			// 40 minutes behind; one in ten is a copy of an earlier event.
			at := base.Add(time.Duration(i)*20*time.Second - time.Duration(rng.IntN(2400))*time.Second + time.Duration(rng.IntN(1000))*time.Millisecond)
			var k eventKey
			if len(seen) > 0 && rng.IntN(10) == 0 {
				s := seen[rng.IntN(len(seen))]
				k, at = s.k, s.at
			} else {
				binary.BigEndian.PutUint64(k[:], rng.Uint64())
				seen = append(seen, struct {
					k  eventKey
					at time.Time
				}{k, at})
			}
			// The watermark advances as Advance does, then the key is checked.
			if at.After(e.wm) {
				e.wm = at
				e.sweepDedup()
				if b := at.Truncate(step); b.After(refSwept) {
					refSwept = b
					cut := b.Add(-tc.window - e.dedupSpan()).UnixNano()
					for rk, rt := range ref {
						if rt < cut {
							delete(ref, rk)
							dropped++
						}
					}
				}
			}
			_, want := ref[k]
			if !want {
				ref[k] = at.UnixNano()
			}
			if got := e.duplicate(k, logs.Record{}, at); got != want {
				t.Fatalf("window %v span %v, event %d at %v: duplicate = %v, want %v", tc.window, tc.span, i, at, got, want)
			}
		}
		if dropped == 0 {
			t.Fatalf("window %v span %v: no key dropped: the test sweeps nothing", tc.window, tc.span)
		}
		// Same keys held, and the checkpoint form restores them.
		var want []byte
		keys := make([]eventKey, 0, len(ref))
		for k := range ref {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return string(keys[i][:]) < string(keys[j][:]) })
		for _, k := range keys {
			want = append(want, k[:]...)
			want = binary.BigEndian.AppendUint64(want, uint64(ref[k]))
		}
		got := e.dedupState()
		if !bytes.Equal(got, want) {
			t.Fatalf("window %v span %v: %d keys held, want %d", tc.window, tc.span, len(got)/24, len(want)/24)
		}
		r := &Engine{window: tc.window, corrSpan: tc.span}
		r.restoreDedup(got)
		if !bytes.Equal(r.dedupState(), want) {
			t.Fatalf("window %v span %v: restored keys differ", tc.window, tc.span)
		}
	}
}
