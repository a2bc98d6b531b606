// Package tools holds the Python scripts that write the sample organization
// (examples/org); its test checks that they still write exactly the
// committed files.
package tools

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratorWritesTheSample runs gen_org.py on a copy of the repository's
// inputs and compares every file under examples/org with the committed one,
// both ways: a hand edit of a generated file, or a scenario change whose
// output was not committed, fails it.
func TestGeneratorWritesTheSample(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the sample organization's generator cannot run")
	}
	repo := filepath.Join("..", "..")
	tmp := t.TempDir()
	for _, dir := range []string{"examples/tools", "examples/org", "internal/rules/builtin"} {
		if err := os.CopyFS(filepath.Join(tmp, dir), os.DirFS(filepath.Join(repo, dir))); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(py, filepath.Join("examples", "tools", "gen_org.py"))
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gen_org.py: %v\n%s", err, out)
	}
	committed := filepath.Join(repo, "examples", "org")
	generated := filepath.Join(tmp, "examples", "org")
	compare := func(from, other string, what string, contents bool) {
		err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(from, path)
			a, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			b, err := os.ReadFile(filepath.Join(other, rel))
			switch {
			case os.IsNotExist(err):
				t.Errorf("examples/org/%s: %s", rel, what)
			case err != nil:
				return err
			case contents && !bytes.Equal(a, b):
				t.Errorf("examples/org/%s differs from what gen_org.py writes (edit the scenario in examples/tools, then run python3 examples/tools/gen_org.py)", rel)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	compare(committed, generated, "committed but not written by gen_org.py (add it to examples/tools/org_overlay.json or a scenario script)", true)
	compare(generated, committed, "written by gen_org.py but not committed", false)
}
