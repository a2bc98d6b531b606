package main

import (
	"runtime"
	"testing"
)

// TestSamplingOffBeforeInitializers: internal/heapsample, imported by
// main, runs its initializer before the dependencies' initializers
// allocate (it sorts before them and imports only runtime), so the heap
// profile holds almost no sampled allocation of theirs: a few tiny
// packages whose paths sort before it run first. With sampling on from
// the start, their 18 MB or so of allocations leave dozens of samples.
func TestSamplingOffBeforeInitializers(t *testing.T) {
	if runtime.MemProfileRate != 0 {
		t.Skipf("heap-profile sampling is on (rate %d): GODEBUG=memprofilerate or -test.memprofilerate", runtime.MemProfileRate)
	}
	if n := initializerSamples(); n > 4 {
		t.Errorf("%d allocation sites of package initializers sampled: internal/heapsample no longer initializes before the allocating initializers", n)
	}
}

// initializerSamples counts the heap profile's allocation sites in a
// package initializer.
func initializerSamples() int {
	runtime.GC() // a profile shows the samples as of the last collection
	runtime.GC()
	n, _ := runtime.MemProfile(nil, true)
	recs := make([]runtime.MemProfileRecord, n+64)
	n, _ = runtime.MemProfile(recs, true)
	inits := 0
	for _, r := range recs[:n] {
		frames := runtime.CallersFrames(r.Stack())
		for {
			f, more := frames.Next()
			if f.Function == "runtime.doInit1" {
				inits++
				break
			}
			if !more {
				break
			}
		}
	}
	return inits
}

// TestInitializerSamplesCounted: with sampling on from the start (an
// explicit GODEBUG rate, which internal/heapsample leaves alone), the
// initializers' samples are counted, so the test above can fail.
func TestInitializerSamplesCounted(t *testing.T) {
	if runtime.MemProfileRate == 0 {
		t.Skip("sampling off: run with GODEBUG=memprofilerate=524287")
	}
	if n := initializerSamples(); n <= 4 {
		t.Errorf("only %d allocation sites of initializers sampled with sampling on", n)
	}
}
