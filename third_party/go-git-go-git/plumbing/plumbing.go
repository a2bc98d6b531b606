// Package plumbing holds the object names and references of vigil's go-git
// stand-in, as go-git's.
package plumbing

import "encoding/hex"

// Hash is a SHA-1 object name.
type Hash [20]byte

// ZeroHash is the zero Hash.
var ZeroHash Hash

// NewHash reads a hexadecimal object name (as go-git: what is not
// hexadecimal reads as zeros).
func NewHash(s string) Hash {
	b, _ := hex.DecodeString(s)
	var h Hash
	copy(h[:], b)
	return h
}

// IsZero reports the zero Hash.
func (h Hash) IsZero() bool { return h == ZeroHash }

func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// ReferenceName is a reference's full name ("refs/tags/v1.0.0").
type ReferenceName string

// NewTagReferenceName names the tag.
func NewTagReferenceName(name string) ReferenceName { return ReferenceName("refs/tags/" + name) }

func (r ReferenceName) String() string { return string(r) }

// Revision is a revision as git reads it.
type Revision string

func (r Revision) String() string { return string(r) }
