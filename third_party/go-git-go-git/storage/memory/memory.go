// Package memory is the in-memory storage of vigil's go-git stand-in; no
// clone fills it.
package memory

// Storage is an empty in-memory storage.
type Storage struct{}

// NewStorage returns an empty storage.
func NewStorage() *Storage { return &Storage{} }
