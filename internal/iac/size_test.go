package iac

import (
	"os"
	"path/filepath"
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
	write := func(rel string, n int) {
		t.Helper()
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, make([]byte, n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
