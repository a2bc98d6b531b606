//go:build !unix

package load

import "os"

// mapFile maps nothing here: files are read into buffers.
func mapFile(*os.File, int) ([]byte, bool) { return nil, false }

func unmap([]byte) {}

func dropPages([]byte) {}
