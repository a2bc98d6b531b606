package lake

import (
	"crypto/sha256"
	"encoding/binary"
	"testing"
)

// TestKeySet holds keySet to a Go map over keys that are SHA-256 prefixes
// (as event keys are), keys sharing their first 8 bytes (one home slot),
// the zero key and repeats, through several doublings.
func TestKeySet(t *testing.T) {
	var s keySet
	want := map[eventKey]bool{}
	var keys []eventKey
	for i := range 20000 {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(i%15000)) // 5,000 repeats
		h := sha256.Sum256(b[:])
		k := eventKey(h[:16])
		if i%1000 == 999 {
			// Same first 8 bytes as an earlier key: same home slot.
			k = keys[len(keys)/2]
			k[15] ^= 0xff
		}
		keys = append(keys, k)
	}
	keys = append(keys, eventKey{}, eventKey{})
	for i, k := range keys {
		if got, fresh := s.add(k), !want[k]; got != fresh {
			t.Fatalf("key %d: add says new=%v, want %v", i, got, fresh)
		}
		want[k] = true
		if !s.has(k) {
			t.Fatalf("key %d not held after add", i)
		}
	}
	if s.len() != len(want) {
		t.Fatalf("len %d, want %d", s.len(), len(want))
	}
	for i := range 1000 {
		var b [9]byte
		binary.LittleEndian.PutUint64(b[:], uint64(i))
		h := sha256.Sum256(b[:])
		if k := eventKey(h[:16]); s.has(k) != want[k] {
			t.Fatalf("has(%x) = %v", k, !want[k])
		}
	}
	var empty keySet
	if empty.has(keys[0]) || empty.has(eventKey{}) || empty.len() != 0 {
		t.Fatal("empty set holds keys")
	}
}
