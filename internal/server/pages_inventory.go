package server

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/history"
	"github.com/vigil-sec/vigil/internal/resource"
)

// resourceRow is one resource of the inventory page, with its failing
// findings in the history.
type resourceRow struct {
	R       *resource.Resource
	Tags    []kvs
	Failing int
	Worst   finding.Severity
}

type kvs struct{ K, V string }

// inventoryPageSize bounds one page of the inventory.
const inventoryPageSize = 200

// inventoryPage searches the inventory: a text that every word of must be
// in the resource's ID, name, type, class, account, region or a tag key or
// value, and exact cloud, account and class filters; resources with the
// worst failing findings first.
func (s *Server) inventoryPage(w http.ResponseWriter, r *http.Request, p *principal) {
	snap, ok := s.workspaceSnapshot(w, r, p)
	if !ok {
		return
	}
	q := r.URL.Query()
	text, cloud, account, class := strings.TrimSpace(q.Get("q")), q.Get("cloud"), q.Get("account"), q.Get("class")
	page, err := strconv.Atoi(cmpOr(q.Get("page"), "1"))
	if err != nil || page < 1 || page > 1_000_000 {
		s.errorPage(w, r, p, http.StatusBadRequest, "page: want a positive number")
		return
	}
	if len(text) > 500 {
		s.errorPage(w, r, p, http.StatusBadRequest, "q: at most 500 characters")
		return
	}
	v := map[string]any{"Snap": snap, "Q": text, "Cloud": cloud, "Account": account, "Class": class, "Page": page}
	if snap == nil {
		s.render(w, r, p, http.StatusOK, "inventory", "Inventory", v)
		return
	}
	// Failing findings per resource, from the history.
	groups, err := s.store.Group(r.Context(), "resource", history.FindingQuery{
		States: []history.State{history.StateNew, history.StateOpen, history.StateReopened}, Limit: 50_000})
	if err != nil {
		s.internalError(w, r, p, false, err)
		return
	}
	failing := make(map[string]history.GroupCount, len(groups))
	for _, g := range groups {
		failing[g.Key] = g
	}
	words := strings.Fields(strings.ToLower(text))
	classes, accounts := map[string]bool{}, map[string]bool{}
	var rows []resourceRow
	for _, res := range snap.Inv.Resources {
		classes[string(res.Class)] = true
		accounts[res.Account] = true
		if (cloud != "" && string(res.Provider) != cloud) || (account != "" && res.Account != account) || (class != "" && string(res.Class) != class) {
			continue
		}
		if !matchWords(res, words) {
			continue
		}
		row := resourceRow{R: res}
		if g, ok := failing[res.ID]; ok {
			row.Failing, row.Worst = g.Count, g.Worst
		}
		rows = append(rows, row)
	}
	slices.SortStableFunc(rows, func(a, b resourceRow) int {
		if d := rankOf(b) - rankOf(a); d != 0 {
			return d
		}
		if d := b.Failing - a.Failing; d != 0 {
			return d
		}
		return strings.Compare(a.R.ID, b.R.ID)
	})
	total := len(rows)
	from := min((page-1)*inventoryPageSize, total)
	rows = rows[from:min(from+inventoryPageSize, total)]
	for i := range rows {
		for _, k := range slices.Sorted(maps.Keys(rows[i].R.Tags)) {
			rows[i].Tags = append(rows[i].Tags, kvs{k, rows[i].R.Tags[k]})
		}
	}
	v["Rows"], v["Total"] = rows, total
	v["Classes"], v["Accounts"] = slices.Sorted(maps.Keys(classes)), slices.Sorted(maps.Keys(accounts))
	v["Clouds"] = []string{"aws", "azure", "gcp"}
	link := func(pg int) string {
		u := q
		u.Set("page", strconv.Itoa(pg))
		return u.Encode()
	}
	if page > 1 {
		v["Prev"] = link(page - 1)
	}
	if from+inventoryPageSize < total {
		v["Next"] = link(page + 1)
	}
	s.render(w, r, p, http.StatusOK, "inventory", "Inventory", v)
}

func rankOf(r resourceRow) int {
	if r.Failing == 0 {
		return -1
	}
	return r.Worst.Rank()
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// matchWords reports whether every word is in one of the resource's
// searchable values (lower case).
func matchWords(r *resource.Resource, words []string) bool {
	if len(words) == 0 {
		return true
	}
	hay := []string{r.ID, r.Name, r.Type, string(r.Class), r.Account, r.Region, string(r.Provider)}
	for k, v := range r.Tags {
		hay = append(hay, k, v)
	}
	for _, w := range words {
		found := false
		for _, h := range hay {
			if strings.Contains(strings.ToLower(h), w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
