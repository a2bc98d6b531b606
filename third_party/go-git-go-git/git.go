// Package git is vigil's stand-in for github.com/go-git/go-git/v5: the
// names Syft's Go and vcpkg catalogers use, reading a local repository with
// the git command, and no clone (the catalogers clone only with their
// network options on, which vigil never sets). README.md says why.
package git

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/go-git/go-git/v5/internal/gitcli"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"
)

var (
	// ErrRepositoryNotExists is PlainOpen's error for a path holding no
	// repository, as go-git's.
	ErrRepositoryNotExists = errors.New("repository does not exist")
	// ErrNotBuiltIn is the error of every call that would reach a network
	// or write a repository: vigil does neither.
	ErrNotBuiltIn = errors.New("go-git: cloning and checking out are not built into vigil")
)

// Repository is a local repository opened by PlainOpen.
type Repository struct {
	// Storer names the repository, for Open.
	Storer storage.Storer
	dir    string
}

// CloneOptions are go-git's clone options; Clone refuses every clone.
type CloneOptions struct {
	URL           string
	ReferenceName plumbing.ReferenceName
	SingleBranch  bool
	Depth         int
	Progress      io.Writer
}

// CheckoutOptions are go-git's checkout options.
type CheckoutOptions struct {
	Hash plumbing.Hash
}

// Worktree is a repository's working tree; nothing is checked out.
type Worktree struct{}

// Checkout fails: vigil writes no repository.
func (w *Worktree) Checkout(*CheckoutOptions) error { return ErrNotBuiltIn }

// Clone fails: vigil reaches no network for an SBOM.
func Clone(s storage.Storer, worktree any, o *CloneOptions) (*Repository, error) {
	return nil, ErrNotBuiltIn
}

// CloneContext fails as Clone does.
func CloneContext(ctx context.Context, s storage.Storer, worktree any, o *CloneOptions) (*Repository, error) {
	return nil, ErrNotBuiltIn
}

// Open opens the repository s names (a Repository's Storer); any other
// storage holds nothing (no clone ever filled it).
func Open(s storage.Storer, worktree any) (*Repository, error) {
	if d, ok := s.(gitDir); ok {
		return &Repository{Storer: d, dir: string(d)}, nil
	}
	return nil, ErrRepositoryNotExists
}

// gitDir is the Storer of a repository opened by PlainOpen: its git
// directory.
type gitDir string

// PlainOpen opens the repository at path as go-git does without detecting
// a parent's: path/.git (a directory, or a file naming the git directory
// of a linked worktree), or path itself when it is a bare repository.
func PlainOpen(path string) (*Repository, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	var dir string
	switch _, err := os.Stat(filepath.Join(abs, ".git")); {
	case err == nil:
		dir = filepath.Join(abs, ".git") // a directory, or a file git follows
	case isBare(abs):
		dir = abs
	default:
		return nil, ErrRepositoryNotExists
	}
	out, err := gitcli.Run(dir, "rev-parse", "--absolute-git-dir")
	if err != nil {
		return nil, ErrRepositoryNotExists
	}
	dir = string(trimNL(out))
	return &Repository{Storer: gitDir(dir), dir: dir}, nil
}

func isBare(p string) bool {
	for _, name := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(p, name)); err != nil {
			return false
		}
	}
	return true
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// ResolveRevision resolves a revision to a commit.
func (r *Repository) ResolveRevision(rev plumbing.Revision) (*plumbing.Hash, error) {
	name, err := gitcli.Resolve(r.dir, string(rev)+"^{commit}", "commit")
	if err != nil {
		return nil, err
	}
	h := plumbing.NewHash(name)
	return &h, nil
}

// Worktree fails: nothing is checked out.
func (r *Repository) Worktree() (*Worktree, error) { return nil, ErrNotBuiltIn }

// CommitObject returns the commit h.
func (r *Repository) CommitObject(h plumbing.Hash) (*object.Commit, error) {
	return object.GetCommit(r.dir, h)
}

// TreeObject returns the tree h.
func (r *Repository) TreeObject(h plumbing.Hash) (*object.Tree, error) {
	return object.GetTree(r.dir, h)
}
