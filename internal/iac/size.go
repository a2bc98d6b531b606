package iac

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
)

// errSizeReached stops SizeBelow's walk.
var errSizeReached = errors.New("size reached")

// SizeBelow reports whether the regular files under paths (files or
// directories, skipping the directories Walk skips) add up to fewer than
// limit bytes. It stops walking as soon as they reach limit, so a large
// tree costs a walk of its first limit bytes' files; a path that cannot be
// read counts as reaching it.
func SizeBelow(paths []string, limit int64) bool {
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
			return false
		}
	}
	return true
}
