package findings

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Join links each finding's resource to the inventory resource with the
// same id (or alias; compared case-insensitively, as Azure ids are): the
// finding then carries the inventory's id, type, name, account and region.
// A finding whose resource is not in the inventory keeps its own. It
// returns how many findings were joined.
func Join(fs []Finding, rs []*resource.Resource) int {
	byID := make(map[string]*resource.Resource, len(rs))
	for _, r := range rs {
		for _, a := range r.Aliases {
			byID[strings.ToLower(a)] = r
		}
	}
	for _, r := range rs { // ids win over aliases
		byID[strings.ToLower(r.ID)] = r
	}
	n := 0
	for i := range fs {
		res := &fs[i].Resource
		r := byID[strings.ToLower(res.ID)]
		if r == nil || r.Provider != res.Provider {
			continue
		}
		res.ID, res.Type, res.Name = r.ID, r.Type, First(r.Name, res.Name)
		res.Account, res.Region = First(r.Account, res.Account), First(r.Region, res.Region)
		res.InInventory = true
		n++
	}
	return n
}
