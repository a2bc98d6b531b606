//go:build unix

package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMappedFileCutShort reads a mapping whose file was cut short after
// it was mapped: a fault the guard turns into an error, not a crash.
func TestMappedFileCutShort(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.json")
	size := 4 * os.Getpagesize()
	if err := os.WriteFile(path, []byte(strings.Repeat(" ", size)), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	data, ok := mapFile(f, size)
	if !ok {
		t.Skip("no mapping on this system")
	}
	defer unmap(data)
	if err := guard(func() { _ = data[size-1] }); err != nil {
		t.Fatalf("reading the mapping: %v", err)
	}
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	var c byte
	err = guard(func() { c = data[size-1] })
	if err == nil || !strings.Contains(err.Error(), "changed while it was read") {
		t.Fatalf("reading past the end of a file cut short: %v (read %q)", err, c)
	}
	dropPages(data) // advice only: nothing to check but that it does not fail
}
