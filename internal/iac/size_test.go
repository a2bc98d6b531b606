package iac

import (
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestSizeBelow(t *testing.T) {
	dir := t.TempDir()
	write := func(rel string, n int) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Repeat("x", n)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("main.tf", 600)
	write("modules/net/main.tf", 300)
	write(".terraform/modules/big/main.tf", 5000) // skipped, as Walk skips it
	write(".git/objects/pack", 5000)
	for _, c := range []struct {
		paths []string
		limit int64
		want  bool
	}{
		{[]string{dir}, 901, true},
		{[]string{dir}, 900, false}, // 600 + 300 reach it
		{[]string{filepath.Join(dir, "main.tf")}, 601, true},
		{[]string{filepath.Join(dir, "main.tf"), filepath.Join(dir, "modules")}, 900, false},
		{[]string{filepath.Join(dir, "absent")}, 1 << 20, false},
	} {
		if got := SizeBelow(c.paths, c.limit); got != c.want {
			t.Errorf("SizeBelow(%v, %d) = %v, want %v", c.paths, c.limit, got, c.want)
		}
	}
}

func TestGCPercent(t *testing.T) {
	dir := t.TempDir()
	write := func(rel string, n int) { writeSized(t, dir, rel, n) }
	write("small/main.tf", 900<<10)
	write("small/.terraform/modules/big/main.tf", 8<<20) // skipped, as Walk skips it
	write("medium/a.tf", 900<<10)
	write("medium/b.tf", 900<<10)
	write("large/a.tf", 3<<20)
	write("large/b.tf", 1<<20)
	for _, c := range []struct {
		paths []string
		pct   int
		ok    bool
	}{
		{[]string{filepath.Join(dir, "small")}, 50, true},
		{[]string{filepath.Join(dir, "medium")}, 200, true},
		{[]string{filepath.Join(dir, "small"), filepath.Join(dir, "medium", "a.tf")}, 200, true},
		{[]string{filepath.Join(dir, "large")}, 0, false},
		{[]string{filepath.Join(dir, "medium"), filepath.Join(dir, "large", "a.tf")}, 0, false},
		{[]string{filepath.Join(dir, "absent")}, 0, false},
	} {
		if pct, ok := GCPercent(c.paths); pct != c.pct || ok != c.ok {
			t.Errorf("GCPercent(%v) = %d, %v, want %d, %v", c.paths, pct, ok, c.pct, c.ok)
		}
	}
}

// TestPace: below tinyTree a run gets GOGC 50 and a soft memory limit of
// what the runtime holds plus the budget (at least tinyTreeBudget, more for
// a larger tree), put back afterwards; an explicit GOMEMLIMIT keeps the
// limit alone, an explicit GOGC both; a small tree gets no limit.
func TestPace(t *testing.T) {
	dir := t.TempDir()
	write := func(rel string, n int) { writeSized(t, dir, rel, n) }
	write("tiny/main.tf", 10<<10)
	write("tinyish/main.tf", 150<<10)
	write("small/main.tf", 200<<10)
	const noLimit = math.MaxInt64
	pct0, lim0 := debug.SetGCPercent(100), debug.SetMemoryLimit(noLimit)
	defer func() { debug.SetGCPercent(pct0); debug.SetMemoryLimit(lim0) }()
	for _, c := range []struct {
		tree               string
		gogcSet, limitSet  bool
		pct                int
		minBudget, maxBudg int64 // the limit less what the runtime held
	}{
		{"tiny", false, false, 50, tinyTreeBudget, tinyTreeBudget},
		{"tinyish", false, false, 50, 2<<20 + tinyTreeHeapPerByte*150<<10, 2<<20 + tinyTreeHeapPerByte*150<<10},
		{"tiny", false, true, 50, -1, -1},
		{"tiny", true, false, 100, -1, -1},
		{"small", false, false, 50, -1, -1},
	} {
		held := runtimeHeld()
		restore := Pace([]string{filepath.Join(dir, c.tree)}, c.gogcSet, c.limitSet)
		pct, lim := debug.SetGCPercent(-1), debug.SetMemoryLimit(-1)
		debug.SetGCPercent(pct)
		restore()
		if pct != c.pct {
			t.Errorf("%s (GOGC set %v, GOMEMLIMIT set %v): GOGC %d, want %d", c.tree, c.gogcSet, c.limitSet, pct, c.pct)
		}
		switch {
		case c.minBudget < 0 && lim != noLimit:
			t.Errorf("%s (GOGC set %v, GOMEMLIMIT set %v): limit %d, want none", c.tree, c.gogcSet, c.limitSet, lim)
		case c.minBudget >= 0 && (lim-held < c.minBudget-1<<20 || lim-held > c.maxBudg+1<<20):
			t.Errorf("%s: limit %d MiB above what the runtime held, want %d", c.tree, (lim-held)>>20, c.minBudget>>20)
		}
		if p, l := debug.SetGCPercent(100), debug.SetMemoryLimit(-1); p != 100 || l != noLimit {
			t.Errorf("%s: not put back: GOGC %d, limit %d", c.tree, p, l)
		}
	}
}

// writeSized writes n zero bytes to dir/rel.
func writeSized(t *testing.T, dir, rel string, n int) {
	t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, make([]byte, n), 0o644); err != nil {
		t.Fatal(err)
	}
}
