package governance

import (
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// RaisePasses labels the PASS findings held compactly in p as Raise labels
// findings: each reference to a classified resource gets the resource's
// data class (p.Labels). A PASS finding is never raised, so that is all
// Raise would change in them. Apply must have run on rs.
func RaisePasses(p *finding.Passes, rs []*resource.Resource) {
	if p == nil || len(p.Refs) == 0 {
		return
	}
	labels := map[string]string{}
	for _, r := range rs {
		if d := r.Facts.Data; d != nil && d.Classified != nil && *d.Classified {
			labels[r.ID] = DataLabel(d)
		}
	}
	if len(labels) == 0 {
		return
	}
	p.Labels = make([]string, len(p.Refs))
	for i := range p.Refs {
		p.Labels[i] = labels[p.Refs[i].ID]
	}
}
