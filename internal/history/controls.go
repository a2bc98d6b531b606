package history

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
)

// controlCols are finding_controls' columns (migrations/0005).
var controlCols = []string{"finding_id", "framework", "control", "source"}

// controlRows appends a finding's rows of finding_controls: one per
// framework reference, a reference given twice once.
func controlRows(rows [][]any, id int64, source any, refs []finding.Reference) [][]any {
	for i, r := range refs {
		dup := false
		for _, p := range refs[:i] {
			if p == r {
				dup = true
				break
			}
		}
		if !dup {
			rows = append(rows, []any{id, r.Framework, r.Control, source})
		}
	}
	return rows
}

// replaceControls deletes the finding_controls rows of the findings ids
// (whose references are written again).
func replaceControls(ctx context.Context, tx writeTx, ids []int64) error {
	const chunk = 500
	for len(ids) > 0 {
		n := min(chunk, len(ids))
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		if _, err := tx.exec(ctx, "DELETE FROM finding_controls WHERE finding_id IN ("+strings.TrimSuffix(strings.Repeat("?, ", n), ", ")+")", args...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// RebuildFindingControls writes finding_controls again from every
// finding's frameworks column: for a loader that writes findings itself
// (historytest.Fill).
func (s *Store) RebuildFindingControls(ctx context.Context) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return fmt.Errorf("history: %w", err)
	}
	defer tx.rollback(ctx)
	if err := fillFindingControls(ctx, tx); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	return tx.commit(ctx)
}

// fillFindingControls writes finding_controls from every finding's
// frameworks column, replacing what it held (migration 0005 runs it).
func fillFindingControls(ctx context.Context, tx writeTx) error {
	if _, err := tx.exec(ctx, "DELETE FROM finding_controls"); err != nil {
		return err
	}
	// Findings share few distinct sources and frameworks values: each is
	// kept (and decoded) once.
	type ref struct {
		source string
		refs   []finding.Reference
	}
	known := map[[2]string]*ref{}
	type row struct {
		id int64
		r  *ref
	}
	var rows []row
	if err := tx.query(ctx, "SELECT id, source, frameworks FROM findings", nil, func(scan func(...any) error) error {
		var id int64
		var source, fw string
		if err := scan(&id, &source, &fw); err != nil {
			return err
		}
		r := known[[2]string{source, fw}]
		if r == nil {
			r = &ref{source: source}
			if err := json.Unmarshal([]byte(fw), &r.refs); err != nil {
				return fmt.Errorf("finding %d: frameworks: %w", id, err)
			}
			known[[2]string{source, fw}] = r
		}
		rows = append(rows, row{id, r})
		return nil
	}); err != nil {
		return err
	}
	restore, err := tx.bulk(ctx, "finding_controls", len(rows))
	if err != nil {
		return err
	}
	var batch [][]any
	for i, r := range rows {
		batch = controlRows(batch, r.id, r.r.source, r.r.refs)
		if len(batch) >= 50_000 || i == len(rows)-1 {
			if err := tx.load(ctx, "finding_controls", controlCols, batch, ""); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return restore(ctx)
}
