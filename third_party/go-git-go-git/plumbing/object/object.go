// Package object reads commits, trees and files of a local repository for
// vigil's go-git stand-in.
package object

import (
	"fmt"

	"github.com/go-git/go-git/v5/internal/gitcli"
	"github.com/go-git/go-git/v5/plumbing"
)

// ErrFileNotFound is Tree.File's error for a path the tree lacks, as
// go-git's.
var ErrFileNotFound = fmt.Errorf("file not found")

// Commit is a commit.
type Commit struct {
	Hash plumbing.Hash
	dir  string
}

// Tree is a tree.
type Tree struct {
	Hash plumbing.Hash
	dir  string
}

// File is a blob found in a tree.
type File struct {
	Name string
	Hash plumbing.Hash
	dir  string
}

// GetCommit returns the commit h of the repository whose git directory is dir.
func GetCommit(dir string, h plumbing.Hash) (*Commit, error) {
	if _, err := gitcli.Resolve(dir, h.String(), "commit"); err != nil {
		return nil, err
	}
	return &Commit{Hash: h, dir: dir}, nil
}

// GetTree returns the tree h of the repository whose git directory is dir.
func GetTree(dir string, h plumbing.Hash) (*Tree, error) {
	if _, err := gitcli.Resolve(dir, h.String(), "tree"); err != nil {
		return nil, err
	}
	return &Tree{Hash: h, dir: dir}, nil
}

// Tree returns the commit's tree.
func (c *Commit) Tree() (*Tree, error) {
	name, err := gitcli.Resolve(c.dir, c.Hash.String()+"^{tree}", "tree")
	if err != nil {
		return nil, err
	}
	return &Tree{Hash: plumbing.NewHash(name), dir: c.dir}, nil
}

// File returns the file at path (slash-separated) in the tree or its
// subtrees, or ErrFileNotFound.
func (t *Tree) File(path string) (*File, error) {
	name, err := gitcli.Resolve(t.dir, t.Hash.String()+":"+path, "blob")
	if err != nil {
		return nil, ErrFileNotFound
	}
	return &File{Name: path, Hash: plumbing.NewHash(name), dir: t.dir}, nil
}

// Contents returns the file's content.
func (f *File) Contents() (string, error) {
	out, err := gitcli.Run(f.dir, "cat-file", "blob", f.Hash.String())
	if err != nil {
		return "", err
	}
	return string(out), nil
}
