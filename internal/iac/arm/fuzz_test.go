package arm

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/source"
)

// addSeeds adds the golden templates and the fuzz seeds of testdata.
func addSeeds(f *testing.F) {
	for _, pattern := range []string{filepath.Join("testdata", "golden", "*.json"), filepath.Join("testdata", "fuzz-seeds", "*.json")} {
		files, _ := filepath.Glob(pattern)
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
}

// FuzzTemplate reads arbitrary templates: no panic, no hang, every
// resource and problem located inside the file.
func FuzzTemplate(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		var batch source.Batch
		start := time.Now()
		Read(context.Background(), "f.json", data, Options{}, nil, &batch)
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("took %s", d)
		}
		for _, r := range batch.Resources {
			l := r.Location
			if l == nil || l.StartLine < 1 || l.EndLine < l.StartLine || l.EndLine > lines {
				t.Fatalf("%s: location %+v outside the %d lines", r.ID, l, lines)
			}
		}
		for _, p := range batch.Problems {
			if p.Line > lines || p.Path != "f.json" {
				t.Fatalf("problem %v outside the file's %d lines", p, lines)
			}
		}
	})
}

// FuzzExpression parses and evaluates arbitrary expressions: no panic; an
// expression either parses or is an error at a position inside it.
func FuzzExpression(f *testing.F) {
	if fh, err := os.Open(filepath.Join("testdata", "fuzz-seeds", "expressions.txt")); err == nil {
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			f.Add(sc.Text())
		}
		fh.Close()
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := parseExpr(s)
		if err != nil {
			if pe, ok := err.(*exprError); ok && (pe.at < 0 || pe.at > len(s)) {
				t.Fatalf("%q: error position %d outside the expression", s, pe.at)
			}
			return
		}
		if e == nil {
			t.Fatalf("%q: no expression and no error", s)
		}
		evalString(t, s)
	})
}
