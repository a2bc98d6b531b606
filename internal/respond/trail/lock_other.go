//go:build !unix

package trail

import (
	"context"
	"os"
)

// lockFile does nothing where flock is not available: only the Log's own
// mutex serializes appends (one process at a time must write the trail).
func lockFile(ctx context.Context, f *os.File) (unlock func(), err error) { return func() {}, nil }
