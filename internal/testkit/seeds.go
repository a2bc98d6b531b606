package testkit

import (
	"bytes"
	"os"
	"testing"
)

// SeedLines adds each non-blank line of the file at path to f's seed
// corpus (one event per line of a JSON lines sample); a missing file adds
// nothing.
func SeedLines(f *testing.F, path string) {
	d, err := os.ReadFile(path)
	if err != nil {
		return
	}
	for _, line := range bytes.Split(d, []byte("\n")) {
		if line = bytes.TrimSpace(line); len(line) > 0 {
			f.Add(line)
		}
	}
}
