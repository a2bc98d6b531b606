//go:build !linux

package sysmem

// Physical is the machine's RAM in bytes (0 when unknown).
func Physical() uint64 { return 0 }
