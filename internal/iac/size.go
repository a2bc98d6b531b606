package iac

import (
	"errors"
	"io/fs"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
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

// Below tinyTree (terragoat's Terraform is 139 KB) a run also gets a soft
// memory limit (debug.SetMemoryLimit): what the runtime holds when the run
// starts (the initializers' heap and the runtime's own, about 17 MB) and a
// budget, the larger of tinyTreeBudget and 2 MiB plus tinyTreeHeapPerByte
// per byte of the tree. At GOGC 50 the heap may reach 1.5 times the live
// heap, two thirds of which the initializers' tables; the limit makes the
// collector run sooner when the heap nears it, at the end of the run. Since
// the rules' forms are build-time data (no Rego parsed for terragoat), the
// scan's live heap is smaller and a tighter budget costs little: 6 MiB
// rather than 9 took terragoat's peak RSS from 100.4 to 98.4 MB for +0.03
// CPU-s, the `heldout` project (59 KiB) 103.1 -> 100.8 MB for +0.04 and
// `cases` (147 KiB of five formats, many classes, so many rules prepared)
// 103.1 -> 102.2 MB for +0.05; 5 MiB cost `cases` +0.11 CPU-s and
// terragoat +0.07 for 1.3 MB more (docs/iac.md, "Sixth start-up session").
// A tree whose live heap nears the budget pays more collections (the
// runtime caps the collector at half the CPU).
const (
	tinyTree            = 160 << 10
	tinyTreeBudget      = 6 << 20
	tinyTreeHeapPerByte = 32
)

// GCPercent returns the GOGC for a vigil iac run over paths, chosen by the
// size of their files (smallTree, largeTree), and false when the runtime's
// default suits it (a large tree, or a path that cannot be read). The
// walk stops at largeTree. docs/iac.md, "Speed and memory".
func GCPercent(paths []string) (int, bool) {
	p := pacingFor(paths)
	return p.gcPercent, p.ok
}

// pacing is the collector's pacing of a run: GOGC (ok false: the runtime's
// default), and the memory the run may add to what the runtime holds at its
// start (budget; 0: no limit).
type pacing struct {
	gcPercent int
	ok        bool
	budget    int64
}

func pacingFor(paths []string) pacing {
	switch n := treeSize(paths, largeTree); {
	case n < tinyTree:
		return pacing{smallTreeGCPercent, true, max(tinyTreeBudget, 2<<20+tinyTreeHeapPerByte*n)}
	case n < smallTree:
		return pacing{smallTreeGCPercent, true, 0}
	case n < largeTree:
		return pacing{mediumTreeGCPercent, true, 0}
	}
	return pacing{}
}

// Pace sets the collector's pacing for a vigil iac run over paths by the
// size of their files (GCPercent, and below tinyTree a soft memory limit
// above what the runtime holds now) and returns what puts the runtime's
// settings back. An explicit GOGC (gogcSet) leaves both alone, an explicit
// GOMEMLIMIT (limitSet) the limit.
func Pace(paths []string, gogcSet, limitSet bool) (restore func()) {
	p := pacingFor(paths)
	if gogcSet || !p.ok {
		return func() {}
	}
	pct := debug.SetGCPercent(p.gcPercent)
	limit := int64(-1)
	if p.budget > 0 && !limitSet {
		limit = debug.SetMemoryLimit(runtimeHeld() + p.budget)
	}
	return func() {
		debug.SetGCPercent(pct)
		if limit >= 0 {
			debug.SetMemoryLimit(limit)
		}
	}
}

// runtimeHeld is the memory the Go runtime holds from the OS and has not
// returned, which a memory limit bounds.
func runtimeHeld() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64() - s[1].Value.Uint64())
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
