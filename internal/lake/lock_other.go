//go:build !unix

package lake

import "errors"

// ErrBusy is returned when another process is ingesting into the same lake.
var ErrBusy = errors.New("lake: another ingest holds the lock")

// lock is a no-op where flock is not available.
func (l *Lake) lock() (unlock func(), err error) { return func() {}, nil }
