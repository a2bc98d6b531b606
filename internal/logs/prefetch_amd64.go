package logs

// prefetch asks the processor to bring every cache line of b into its
// caches, without waiting for them (PREFETCHT0).
//
//go:noescape
func prefetch(b []byte)
