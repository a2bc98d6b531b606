package server

import (
	"net/http"
	"slices"

	"github.com/vigil-sec/vigil/internal/drift"
)

// driftRow is one drift finding as the page shows it: values as JSON.
type driftRow struct {
	drift.Finding
	IaCJSON, LiveJSON string
}

// kindRank orders drift kinds: what changed, then what is missing, then
// what no IaC manages, then what could not be matched.
func kindRank(k drift.Kind) int {
	switch k {
	case drift.Changed:
		return 0
	case drift.Missing:
		return 1
	case drift.Unmanaged:
		return 2
	}
	return 3
}

// driftPage shows the drift between the IaC and the inventory: worst
// severity first, then changed, missing, unmanaged, unmatched; ?kind=
// narrows to one kind.
func (s *Server) driftPage(w http.ResponseWriter, r *http.Request, p *principal) {
	snap, ok := s.workspaceSnapshot(w, r, p)
	if !ok {
		return
	}
	kind := drift.Kind(r.URL.Query().Get("kind"))
	kinds := []drift.Kind{drift.Changed, drift.Missing, drift.Unmanaged, drift.Unmatched}
	if kind != "" && !slices.Contains(kinds, kind) {
		s.errorPage(w, r, p, http.StatusBadRequest, "kind: want changed, missing, unmanaged or unmatched")
		return
	}
	v := map[string]any{"Snap": snap, "Kind": string(kind), "Kinds": kinds, "Configured": len(s.ws.cfg.IaC) > 0}
	if snap == nil || snap.Drift == nil {
		s.render(w, r, p, http.StatusOK, "drift", "Drift", v)
		return
	}
	fs := slices.Clone(snap.Drift.Findings)
	slices.SortStableFunc(fs, func(a, b drift.Finding) int {
		if d := b.Severity.Rank() - a.Severity.Rank(); d != 0 {
			return d
		}
		return kindRank(a.Kind) - kindRank(b.Kind)
	})
	var rows []driftRow
	total := 0
	for _, f := range fs {
		if kind != "" && f.Kind != kind {
			continue
		}
		total++
		if len(rows) == maxListed {
			continue
		}
		row := driftRow{Finding: f}
		if f.IaCValue != nil {
			row.IaCJSON = asJSON(f.IaCValue)
		}
		if f.LiveValue != nil {
			row.LiveJSON = asJSON(f.LiveValue)
		}
		rows = append(rows, row)
	}
	v["Rows"], v["Total"], v["Summary"] = rows, total, snap.Drift.Summary
	s.render(w, r, p, http.StatusOK, "drift", "Drift", v)
}
