package iac

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// HeadSize is how much of each file the readers' Detect functions see.
const HeadSize = 8 << 10

// skipDirs are directories never scanned: VCS metadata, Terraform's module
// and provider cache, vendored dependencies. Hidden directories are skipped
// too (except a path given on the command line).
var skipDirs = map[string]bool{".git": true, ".terraform": true, "node_modules": true, "vendor": true}

// Tree is what Walk found under the paths.
type Tree struct {
	// Root is the directory the files are relative to: the one path's
	// directory (a file's parent), or the deepest directory holding all
	// the paths.
	Root string
	// Files are the regular files found, relative to Root, slash-separated,
	// sorted, outside chart directories.
	Files []string
	// Charts maps each chart directory (the outermost directory holding a
	// Chart.yaml, relative to Root; "." for Root itself) to the files under
	// it, which belong to the Helm reader only.
	Charts map[string][]string
	// Skipped lists what was left out and why: symbolic links leading out
	// of the scanned path, unreadable directories.
	Skipped []Skip
}

// Skip is a file or directory left out of the walk.
type Skip struct {
	Path   string // relative to Root
	Reason string
}

// Walk finds the files under paths (files or directories): directories are
// walked recursively, skipping VCS, cache, vendor and hidden directories;
// symbolic links to files inside the path they were found under are
// followed, links out of it and links to directories are not.
func Walk(paths []string) (*Tree, error) {
	if len(paths) == 0 {
		return nil, errors.New("no path to scan")
	}
	abs := make([]string, len(paths))
	dirs := make([]string, len(paths))
	for i, p := range paths {
		a, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		abs[i], dirs[i] = a, a
		if !st.IsDir() {
			dirs[i] = filepath.Dir(a)
		}
	}
	t := &Tree{Root: commonDir(dirs), Charts: map[string][]string{}}
	seen := map[string]bool{}
	add := func(rel string) {
		if !seen[rel] {
			seen[rel] = true
			t.Files = append(t.Files, rel)
		}
	}
	for i, a := range abs {
		if a != dirs[i] { // a file
			rel, err := t.rel(a)
			if err != nil {
				return nil, err
			}
			add(rel)
			continue
		}
		if err := t.walkDir(a, add); err != nil {
			return nil, err
		}
	}
	// Files of chart directories are the charts'.
	var charts []string
	for c := range t.Charts {
		charts = append(charts, c)
	}
	slices.Sort(charts)
	var rest []string
	for _, f := range t.Files {
		if c := chartOf(charts, f); c != "" {
			t.Charts[c] = append(t.Charts[c], f)
			continue
		}
		rest = append(rest, f)
	}
	slices.Sort(rest)
	t.Files = rest
	for _, c := range charts {
		slices.Sort(t.Charts[c])
	}
	return t, nil
}

// chartOf returns the chart directory file f is under, "" when none.
func chartOf(charts []string, f string) string {
	for _, c := range charts {
		if c == "." || strings.HasPrefix(f, c+"/") {
			return c
		}
	}
	return ""
}

func (t *Tree) rel(a string) (string, error) {
	rel, err := filepath.Rel(t.Root, a)
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(rel), nil
}

// walkDir adds the files under directory top.
func (t *Tree) walkDir(top string, add func(string)) error {
	realTop, err := filepath.EvalSymlinks(top)
	if err != nil {
		return err
	}
	return filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
		rel, rerr := t.rel(p)
		if rerr != nil {
			return rerr
		}
		if err != nil {
			if p == top {
				return err
			}
			t.Skipped = append(t.Skipped, Skip{Path: rel, Reason: err.Error()})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != top && (skipDirs[d.Name()] || strings.HasPrefix(d.Name(), ".")) {
				return fs.SkipDir
			}
			if _, in := t.Charts[rel]; !in && chartOf(t.chartList(), rel+"/") == "" {
				if st, err := os.Stat(filepath.Join(p, "Chart.yaml")); err == nil && st.Mode().IsRegular() {
					t.Charts[rel] = nil
				}
			}
			return nil
		}
		switch {
		case d.Type().IsRegular():
			add(rel)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := filepath.EvalSymlinks(p)
			if err != nil {
				t.Skipped = append(t.Skipped, Skip{Path: rel, Reason: "broken symbolic link"})
				return nil
			}
			if !within(realTop, target) {
				t.Skipped = append(t.Skipped, Skip{Path: rel, Reason: "symbolic link to outside the scanned path"})
				return nil
			}
			if st, err := os.Stat(target); err != nil || !st.Mode().IsRegular() {
				t.Skipped = append(t.Skipped, Skip{Path: rel, Reason: "symbolic link to a directory (not followed)"})
				return nil
			}
			add(rel)
		}
		return nil
	})
}

func (t *Tree) chartList() []string {
	out := make([]string, 0, len(t.Charts))
	for c := range t.Charts {
		out = append(out, c)
	}
	return out
}

// within reports whether path p is dir or under it.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// commonDir is the deepest directory holding every one of dirs (absolute).
func commonDir(dirs []string) string {
	c := dirs[0]
	for _, d := range dirs[1:] {
		for !within(c, d) {
			parent := filepath.Dir(c)
			if parent == c {
				break
			}
			c = parent
		}
	}
	return c
}

// readHead reads at most HeadSize bytes of a file into buf.
func readHead(name string, buf []byte) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	n, err := io.ReadFull(f, buf[:HeadSize])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return buf[:n], nil
}
