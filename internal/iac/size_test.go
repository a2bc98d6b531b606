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
