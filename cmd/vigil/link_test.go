//go:build linux

package main

import (
	"debug/elf"
	"errors"
	"os"
	"testing"
)

// TestNoExportedDuckDBSymbols checks that the executable (this test binary
// is linked with the same cgo flags as vigil) does not export DuckDB's C++
// symbols: with the bindings' -rdynamic left in force the dynamic symbol
// table holds about 60,000 of them, which every start of vigil loads
// (link.go).
func TestNoExportedDuckDBSymbols(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skipf("no executable path: %v", err)
	}
	n, err := exportedSymbols(exe)
	if err != nil {
		t.Fatal(err)
	}
	if n > 5000 {
		t.Errorf("%s exports %d dynamic symbols, want a few hundred (cgo's own and the imports): is -Wl,--no-export-dynamic in link.go still applied?", exe, n)
	}
}

// exportedSymbols counts the symbols an ELF file defines in its dynamic
// symbol table (imports from shared libraries left out; none in a static
// executable).
func exportedSymbols(path string) (int, error) {
	f, err := elf.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	syms, err := f.DynamicSymbols()
	if errors.Is(err, elf.ErrNoSymbols) { // statically linked
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range syms {
		if s.Section != elf.SHN_UNDEF {
			n++
		}
	}
	return n, nil
}
