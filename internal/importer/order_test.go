package importer

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/source"
)

// The workers take the large files first, and the batches still come in
// path order (the first file's values win a merge).
func TestReadLargeFirstEmitsInPathOrder(t *testing.T) {
	dir := t.TempDir()
	rows := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"data":[`)
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"id":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/a%d","type":"Microsoft.Storage/storageAccounts","name":"a%d","properties":{}}`, i, i)
		}
		b.WriteString(`],"count":1}`)
		return b.String()
	}
	sizes := map[string]int{"a.json": 1, "b.json": 40, "c.json": 10, "d.json": 25}
	for name, n := range sizes {
		writeFile(t, filepath.Join(dir, name), rows(n))
	}
	var log bytes.Buffer
	src := Files([]string{dir}, WithWorkers(1), WithLogger(slog.New(slog.NewTextHandler(&log, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	var emitted []string
	err := src.Read(context.Background(), func(b source.Batch) error {
		emitted = append(emitted, filepath.Base(b.Input))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.json", "b.json", "c.json", "d.json"}; !slices.Equal(emitted, want) {
		t.Errorf("batches in the order %v, want the path order %v", emitted, want)
	}
	var parsed []string
	for _, l := range strings.Split(log.String(), "\n") {
		if _, after, ok := strings.Cut(l, "path="); ok && strings.Contains(l, "imported file") {
			parsed = append(parsed, filepath.Base(strings.Fields(after)[0]))
		}
	}
	// b holds more than half the bytes (one worker): first; the others in
	// path order, so that each is merged while the next is parsed.
	if want := []string{"b.json", "a.json", "c.json", "d.json"}; !slices.Equal(parsed, want) {
		t.Errorf("files parsed in the order %v, want the large one first, then the path order %v", parsed, want)
	}
}

func TestParseOrder(t *testing.T) {
	files := func(sizes ...int64) []inputFile {
		fs := make([]inputFile, len(sizes))
		for i, n := range sizes {
			fs[i] = inputFile{path: fmt.Sprint(i), size: n}
		}
		return fs
	}
	for _, c := range []struct {
		name    string
		files   []inputFile
		workers int
		want    []int
	}{
		{"similar sizes: the path order", files(10, 12, 9, 11, 10, 3), 2, []int{0, 1, 2, 3, 4, 5}},
		{"one export of the whole organization among small files: it first", files(1, 2, 1, 40, 2), 2, []int{3, 0, 1, 2, 4}},
		{"large ones largest first, then the path order", files(1, 30, 2, 50, 1), 2, []int{3, 1, 0, 2, 4}},
		{"one worker: a file of more than half the bytes first", files(10, 30, 12), 1, []int{1, 0, 2}},
		{"one worker: none of more than half the bytes", files(10, 20, 12), 1, []int{0, 1, 2}},
		{"one file", files(7), 2, []int{0}},
		{"none", nil, 2, []int{}},
	} {
		if got := parseOrder(c.files, c.workers); !slices.Equal(got, c.want) {
			t.Errorf("%s: parseOrder = %v, want %v", c.name, got, c.want)
		}
	}
}
