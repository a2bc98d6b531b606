//go:build unix

package load

import (
	"os"
	"syscall"
	"unsafe"
)

// mapFile maps size bytes of f into memory, read-only: the records are
// split and decoded straight from the kernel's page cache, without
// copying the file into a buffer (which costs its size in new memory
// and a copy, twice: once a pass). ok is false when the file cannot be
// mapped (read it instead).
func mapFile(f *os.File, size int) (data []byte, ok bool) {
	if size <= 0 {
		return nil, false
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, false
	}
	return data, true
}

// unmap releases a mapping of mapFile; nothing of it may be used after.
func unmap(data []byte) { _ = syscall.Munmap(data) }

// dropPages tells the kernel that the pages of a mapping of mapFile
// wholly inside data are not needed for now: they leave the process's
// resident memory (the file stays in the page cache) and are mapped
// again if read again, so that a file of several GiB decoded a window at
// a time never counts whole in the peak.
func dropPages(data []byte) {
	page := uintptr(os.Getpagesize())
	p := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	start := (p + page - 1) &^ (page - 1)
	end := (p + uintptr(len(data))) &^ (page - 1)
	if end <= start {
		return
	}
	_ = syscall.Madvise(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(data)), start-p)), end-start), syscall.MADV_DONTNEED)
}
