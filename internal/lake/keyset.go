package lake

import (
	"encoding/binary"
	"math/rand/v2"
)

// keySet is a set of event keys (a partition's deduplication set): open
// addressing with linear probing in one flat array of keys. A key is the
// start of a SHA-256, so its own bits index the table, mixed with a seed
// drawn per set: events crafted to share the bits of one probe run would
// have to know it. It replaces a Go map, whose look-ups (hashing 16 bytes,
// control words, then the slot) were 3-4% of ingest's CPU time on
// 1,000,000 events. The zero value is an empty set.
type keySet struct {
	slots []eventKey // the zero key marks an empty slot
	n     int        // keys held, the zero key included
	zero  bool       // whether the zero key is held
	seed  uint64
}

// add adds k and reports whether it was not held before.
func (s *keySet) add(k eventKey) bool {
	if k == (eventKey{}) {
		if s.zero {
			return false
		}
		s.zero = true
		s.n++
		return true
	}
	// At most 5/8 full: probe runs stay short.
	if (s.n+1)*8 > len(s.slots)*5 {
		s.grow()
	}
	mask := uint64(len(s.slots) - 1)
	for i := s.index(k) & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case eventKey{}:
			s.slots[i] = k
			s.n++
			return true
		case k:
			return false
		}
	}
}

// has reports whether k is held.
func (s *keySet) has(k eventKey) bool {
	if k == (eventKey{}) {
		return s.zero
	}
	if len(s.slots) == 0 {
		return false
	}
	mask := uint64(len(s.slots) - 1)
	for i := s.index(k) & mask; ; i = (i + 1) & mask {
		switch s.slots[i] {
		case eventKey{}:
			return false
		case k:
			return true
		}
	}
}

// len returns the number of keys held.
func (s *keySet) len() int { return s.n }

// index is k's home slot before masking: its first 8 bytes and the seed
// through a 64-bit finalizer (MurmurHash3's fmix64).
func (s *keySet) index(k eventKey) uint64 {
	x := binary.LittleEndian.Uint64(k[:8]) ^ s.seed
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// grow doubles the table (1,024 slots at first) and puts the keys back.
func (s *keySet) grow() {
	old := s.slots
	if s.slots == nil {
		s.seed = rand.Uint64()
	}
	s.slots = make([]eventKey, max(1024, 2*len(old)))
	mask := uint64(len(s.slots) - 1)
	for _, k := range old {
		if k == (eventKey{}) {
			continue
		}
		i := s.index(k) & mask
		for s.slots[i] != (eventKey{}) {
			i = (i + 1) & mask
		}
		s.slots[i] = k
	}
}
