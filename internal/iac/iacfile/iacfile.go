// Package iacfile reads IaC input files with a size bound, the one way every
// IaC reader does (a file too large is an input problem, not an exhausted
// process).
package iacfile

import (
	"fmt"
	"io"
	"os"
)

// Read reads the file name if it holds at most limit bytes.
func Read(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("file is larger than %d MiB; not read", limit>>20)
	}
	return data, nil
}
