// Package storage names what a repository is stored in, for vigil's go-git
// stand-in.
package storage

// Storer is a repository's storage: a local repository's git directory
// (from PlainOpen) or an empty in-memory storage.
type Storer interface{}
