// Package gitcli reads objects of a local repository with the git command
// (git cat-file, git rev-parse), for the stand-in's read-only calls.
package gitcli

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// ErrObjectNotFound is what a lookup of a missing object returns, as
// go-git's plumbing.ErrObjectNotFound says.
var ErrObjectNotFound = errors.New("object not found")

// Run runs git on the repository whose git directory is dir and returns
// its standard output. A revision is passed after --end-of-options (by
// Resolve), so none can be read as an option.
func Run(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"--git-dir", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, msg)
		}
		return nil, fmt.Errorf("git %s: %w", strings.Join(args, " "), err)
	}
	return out, nil
}

// Resolve returns the full object name of rev, which must name an object
// of the given type ("commit", "tree", "blob"; a tag or commit is not
// peeled to the type asked), or ErrObjectNotFound.
func Resolve(dir, rev, typ string) (string, error) {
	out, err := Run(dir, "rev-parse", "--verify", "--quiet", "--end-of-options", rev)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", typ, rev, ErrObjectNotFound)
	}
	name := strings.TrimSpace(string(out))
	if t, err := Run(dir, "cat-file", "-t", name); err != nil || strings.TrimSpace(string(t)) != typ {
		return "", fmt.Errorf("%s %s: %w", typ, rev, ErrObjectNotFound)
	}
	return name, nil
}
