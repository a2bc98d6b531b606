package attr

import "unsafe"

// A decoded string is held in the tree as an interface, which Go boxes in
// a second allocation (a 16-byte string header pointing to the bytes), so
// every string the caches do not answer would cost two allocations, one of
// them holding a pointer for the collector to follow. boxString makes it
// one: a single block holding the header followed by the bytes, allocated
// without pointers (its only pointer is into itself, which the collector
// need not follow: whatever reaches the interface or the string reaches
// the block). The interface is built from Go's layout of an empty
// interface (a type word and a data word pointing to the value), the same
// layout a conversion of a string to any produces.

// eface is the layout of an empty interface.
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// stringType is the type word of an interface holding a string.
var stringType = func() unsafe.Pointer {
	var v any = "string"
	return (*eface)(unsafe.Pointer(&v)).typ
}()

const headerSize = unsafe.Sizeof("")

// emptyString is every empty string decoded.
var emptyString any = ""

// boxString returns a copy of b as a string in an interface, in one
// allocation.
func boxString(b []byte) any {
	if len(b) == 0 {
		return emptyString
	}
	mem := make([]byte, int(headerSize)+len(b))
	copy(mem[headerSize:], b)
	hdr := (*string)(unsafe.Pointer(unsafe.SliceData(mem)))
	*hdr = unsafe.String(&mem[headerSize], len(b))
	e := eface{typ: stringType, data: unsafe.Pointer(hdr)}
	return *(*any)(unsafe.Pointer(&e))
}
