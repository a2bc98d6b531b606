package iac

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
)

// errSizeReached stops SizeBelow's walk.
var errSizeReached = errors.New("size reached")

// Collector pacing of a vigil iac run by the size of its input (GCPercent).
// What an IaC run keeps live grows with the tree (the resources, their
// findings and the report: about 80 MB of heap per MiB of Terraform), on
// top of the binary's initializers' 10 MB.
const (
	// Below smallTree the initializers' tables are most of the live heap:
	// collecting at half of it again takes about 5 MB off the peak RSS of
	// terragoat (139 KB) for about 0.05 CPU-s.
	smallTree          = 1 << 20
	smallTreeGCPercent = 50
	// Below largeTree the collector runs when the heap is three times the
	// live heap rather than twice: a fifth less CPU on the generated
	// 1,000-file Terraform tree (1.4 MB) for about 30 MB more peak memory;
	// the extra memory grows with the tree (7 MB: +250-300 MB), so larger
	// trees keep the runtime's default.
	largeTree           = 4 << 20
	mediumTreeGCPercent = 200
)

// GCPercent returns the GOGC for a vigil iac run over paths, chosen by the
// size of their files (smallTree, largeTree), and false when the runtime's
// default suits it (a large tree, or a path that cannot be read). The
// walk stops at largeTree. docs/iac.md, "Speed and memory".
func GCPercent(paths []string) (int, bool) {
	switch n := treeSize(paths, largeTree); {
	case n < smallTree:
		return smallTreeGCPercent, true
	case n < largeTree:
		return mediumTreeGCPercent, true
	}
	return 0, false
}

// SizeBelow reports whether the regular files under paths (files or
// directories, skipping the directories Walk skips) add up to fewer than
// limit bytes. It stops walking as soon as they reach limit, so a large
// tree costs a walk of its first limit bytes' files; a path that cannot be
// read counts as reaching it.
func SizeBelow(paths []string, limit int64) bool { return treeSize(paths, limit) < limit }

// treeSize is the size of the regular files under paths (as SizeBelow
// counts them), or limit once they reach it or a path cannot be read.
func treeSize(paths []string, limit int64) int64 {
	var total int64
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if name := d.Name(); path != p && (skipDirs[name] || strings.HasPrefix(name, ".")) {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			if total += info.Size(); total >= limit {
				return errSizeReached
			}
			return nil
		})
		if err != nil {
			return limit
		}
	}
	return total
}
