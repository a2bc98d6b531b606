package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// SizeHint counts the regular files under the paths, gzip files eight
// times, symbolic links to files once, and nothing else.
func TestSizeHint(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Repeat("x", size)), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("a/snapshot.json", 30*bytesPerResource)
	write("a/b/assets.json.gz", 5*bytesPerResource)
	target := write("c/rows.json", 10*bytesPerResource)
	if err := os.Symlink(target, filepath.Join(dir, "a", "link.json")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := os.Symlink(filepath.Join(dir, "c"), filepath.Join(dir, "a", "dirlink")); err != nil {
		t.Fatal(err)
	}
	if got, want := Files([]string{filepath.Join(dir, "a")}).SizeHint(), 30+5*8+10; got != want {
		t.Errorf("SizeHint of a/ = %d, want %d", got, want)
	}
	if got, want := Files([]string{filepath.Join(dir, "a"), target, filepath.Join(dir, "missing")}).SizeHint(), 30+5*8+10+10; got != want {
		t.Errorf("SizeHint of a/, c/rows.json and a missing path = %d, want %d", got, want)
	}
}
