package logs

import (
	"os"
	"syscall"
)

// mapFile maps the first size bytes of f (a regular file) read-only and
// pre-faulted (MAP_POPULATE: the page-cache pages are mapped in one call,
// not faulted in one by one), or returns ok false. The reader never writes
// to its buffers; a write to the mapping would fault.
func mapFile(f *os.File, size int64) (b []byte, unmap func(), ok bool) {
	if size <= 0 || int64(int(size)) != size {
		return nil, nil, false
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE|syscall.MAP_POPULATE)
	if err != nil {
		return nil, nil, false
	}
	return b, func() { _ = syscall.Munmap(b) }, true
}
