package load

import (
	"syscall"
	"unsafe"
)

// hugePages asks the kernel to back the whole 2 MiB pages of the memory
// of s with huge pages (transparent huge pages in "madvise" mode): the
// findings of a large import fill hundreds of MiB at once, and a fault a
// 4 KiB page costs more CPU than the import's decoding on a virtual
// machine. It is only advice: an error changes nothing.
func hugePages[E any](s []E) {
	const huge = 2 << 20
	size := uintptr(cap(s)) * unsafe.Sizeof(*new(E))
	if size < 2*huge {
		return
	}
	base := unsafe.Pointer(unsafe.SliceData(s))
	p := uintptr(base)
	start := (p + huge - 1) &^ (huge - 1)
	end := (p + size) &^ (huge - 1)
	if end <= start {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Add(base, start-p)), end-start)
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
}
