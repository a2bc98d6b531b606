package git_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/memory"
)

// repo makes a repository holding versions/z-/zlib.json at one commit, as
// vcpkg's registry lays its files out, and returns its directory and the
// commit's name.
func repo(t *testing.T, bare bool) (string, string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git command")
	}
	dir := t.TempDir()
	run := func(d string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = d
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v: %s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	wt := filepath.Join(dir, "wt")
	if err := os.MkdirAll(filepath.Join(wt, "versions", "z-"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(wt, "versions", "z-", "zlib.json"), []byte(`{"versions":[]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run(wt, "init", "-q")
	run(wt, "add", ".")
	run(wt, "commit", "-q", "-m", "one")
	head := run(wt, "rev-parse", "HEAD")
	if !bare {
		return wt, head
	}
	run(dir, "clone", "-q", "--bare", wt, "bare.git")
	return filepath.Join(dir, "bare.git"), head
}

func TestReadLocalRepository(t *testing.T) {
	for _, bare := range []bool{false, true} {
		dir, head := repo(t, bare)
		r, err := git.PlainOpen(dir)
		if err != nil {
			t.Fatalf("bare %v: PlainOpen: %v", bare, err)
		}
		// vcpkg's resolver keeps the Storer and opens it again.
		r, err = git.Open(r.Storer, nil)
		if err != nil {
			t.Fatal(err)
		}
		c, err := r.CommitObject(plumbing.NewHash(head))
		if err != nil {
			t.Fatal(err)
		}
		tree, err := c.Tree()
		if err != nil {
			t.Fatal(err)
		}
		f, err := tree.File("versions/z-/zlib.json")
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.Contents()
		if err != nil || got != `{"versions":[]}`+"\n" {
			t.Fatalf("bare %v: contents %q, %v", bare, got, err)
		}
		again, err := r.TreeObject(tree.Hash)
		if err != nil || again.Hash != tree.Hash {
			t.Fatalf("TreeObject(%s): %v, %v", tree.Hash, again, err)
		}
		if _, err := tree.File("versions/z-/absent.json"); err == nil {
			t.Error("a missing file was found")
		}
		if _, err := tree.File("versions"); err == nil {
			t.Error("a directory read as a file")
		}
		if _, err := r.CommitObject(plumbing.NewHash(strings.Repeat("ab", 20))); err == nil {
			t.Error("a missing commit was found")
		}
		if _, err := r.CommitObject(tree.Hash); err == nil {
			t.Error("a tree read as a commit")
		}
		h, err := r.ResolveRevision(plumbing.Revision(head[:12]))
		if err != nil || h.String() != head {
			t.Errorf("ResolveRevision: %v, %v", h, err)
		}
	}
}

func TestNoRepository(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git command")
	}
	dir := t.TempDir()
	if _, err := git.PlainOpen(dir); !errors.Is(err, git.ErrRepositoryNotExists) {
		t.Errorf("PlainOpen of an empty directory: %v", err)
	}
	// A repository above the path is not looked for (go-git's PlainOpen).
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if _, err := git.PlainOpen(sub); !errors.Is(err, git.ErrRepositoryNotExists) {
		t.Errorf("PlainOpen below a repository: %v", err)
	}
	if _, err := git.Open(memory.NewStorage(), nil); !errors.Is(err, git.ErrRepositoryNotExists) {
		t.Errorf("Open of an empty storage: %v", err)
	}
}

func TestNoClone(t *testing.T) {
	if _, err := git.Clone(memory.NewStorage(), nil, &git.CloneOptions{URL: "https://github.com/microsoft/vcpkg"}); !errors.Is(err, git.ErrNotBuiltIn) {
		t.Errorf("Clone: %v", err)
	}
	if _, err := git.CloneContext(t.Context(), memory.NewStorage(), nil, &git.CloneOptions{URL: "https://example.com/r"}); !errors.Is(err, git.ErrNotBuiltIn) {
		t.Errorf("CloneContext: %v", err)
	}
}
