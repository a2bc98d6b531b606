// Package heapsample turns the Go runtime's heap-profile sampling off
// before the initializers of vigil's dependencies run, and back on for the
// one command that writes a heap profile (vigil bench --memprofile).
//
// With sampling on (the runtime's default: one sample per 512 KiB
// allocated), each sampled allocation walks its goroutine's stack and
// records it: the initializers' samples, deep in the stacks of hundreds of
// packages' initializers, touch about 2 MB of the executable's function
// tables (.gopclntab, mapped in 64 KB blocks) and the runtime's profile
// hash table, resident in every command although only a heap profile
// reads them: vigil --version 90.5 -> 86.4 MB (docs/iac.md, "Fourth
// start-up session").
//
// The package imports only runtime, so it is ready to initialize at once,
// and its import path sorts before every package that allocates in an
// initializer and is ready that early: Go initializes, at each step, the
// first package by import path whose imports are all initialized
// (TestSamplingOffBeforeInitializers checks that no sample was taken).
// An explicit GODEBUG=memprofilerate=N has set another rate before any
// initializer runs and is left alone.
package heapsample

import "runtime"

// defaultRate is the runtime's default runtime.MemProfileRate.
const defaultRate = 512 * 1024

func init() {
	if runtime.MemProfileRate == defaultRate {
		runtime.MemProfileRate = 0
	}
}

// On turns sampling on at the runtime's default rate, unless a rate is
// set: allocations from then on are in heap profiles (those made by the
// initializers are not).
func On() {
	if runtime.MemProfileRate == 0 {
		runtime.MemProfileRate = defaultRate
	}
}
