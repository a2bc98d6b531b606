package history

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestBulkWriteStopsWhenCancelled: SQLite's bulk writes pass the driver a
// context that does not end (so it watches none per statement) and check
// the caller's between statements instead.
func TestBulkWriteStopsWhenCancelled(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cctx, cancel := context.WithCancel(ctx)
	tx, err := s.begin(cctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.rollback(ctx)
	rows := [][]any{{"src", "rule", "aws", "acct", 1, "open", int64(1)}}
	if err := tx.load(cctx, "finding_counts", countCols, rows, ""); err != nil {
		t.Fatalf("load before the cancel: %v", err)
	}
	cancel()
	rows[0][1] = "rule2"
	if err := tx.load(cctx, "finding_counts", countCols, rows, ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("load after the cancel: %v, want context.Canceled", err)
	}
}
