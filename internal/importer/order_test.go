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

// The workers take the largest files first, and the batches still come in
// path order (the first file's values win a merge).
func TestReadLargestFirstEmitsInPathOrder(t *testing.T) {
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
	if want := []string{"b.json", "d.json", "c.json", "a.json"}; !slices.Equal(parsed, want) {
		t.Errorf("files parsed in the order %v, want the largest first %v", parsed, want)
	}
}
