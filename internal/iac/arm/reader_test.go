package arm

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/source"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// readAll reads files under root with the options and returns the batches.
func readAll(t testing.TB, root string, files []string, opts Options) []source.Batch {
	t.Helper()
	var out []source.Batch
	err := New(root, files, opts).Read(context.Background(), func(b source.Batch) error {
		out = append(out, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// goldenTemplates lists the templates of testdata/golden (the files Detect
// accepts).
func goldenTemplates(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("testdata", "golden"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".golden.json") {
			continue
		}
		head, err := os.ReadFile(filepath.Join("testdata", "golden", name))
		if err != nil {
			t.Fatal(err)
		}
		if Detect(name, head[:min(len(head), 8192)]) {
			files = append(files, name)
		}
	}
	sort.Strings(files)
	return files
}

// TestGolden reads each template of testdata/golden and compares its
// resources (class, facts, lines, addresses), unsupported types and
// problems with NAME.golden.json (go test -update rewrites them).
func TestGolden(t *testing.T) {
	files := goldenTemplates(t)
	if len(files) < 5 {
		t.Fatalf("only %d golden templates detected: %v", len(files), files)
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			batches := readAll(t, filepath.Join("testdata", "golden"), []string{file}, Options{})
			if len(batches) != 1 {
				t.Fatalf("%d batches", len(batches))
			}
			b := batches[0]
			got, err := json.MarshalIndent(struct {
				Resources   any `json:"resources"`
				Unsupported any `json:"unsupported,omitempty"`
				Problems    any `json:"problems,omitempty"`
			}{b.Resources, b.Unsupported, b.Problems}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(file, ".json")+".golden.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the reader's output (go test -update rewrites it):\n%s", golden, got)
			}
		})
	}
}
