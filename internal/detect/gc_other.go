//go:build !linux

package detect

// physicalMemory is the machine's RAM in bytes (0 when unknown).
func physicalMemory() uint64 { return 0 }
