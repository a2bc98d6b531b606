package scan

import (
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// lowerUnexposed lowers by one step the severity of the failing exposure
// findings (an open security group, NSG or firewall rule, a public IP) on
// resources that reachability proved unreachable from the internet
// (facts.exposure.internet false: unattached, no route to an internet
// gateway, denied by a network ACL): the finding stays, its message says
// why it is not effectively exposed, and base_severity keeps the rule's.
// Undecided exposure leaves the severity alone.
func lowerUnexposed(fs []finding.Finding, rs []*resource.Resource) {
	closed := map[string]bool{}
	for _, r := range rs {
		if x := r.Facts.Exposure; x != nil && x.Internet != nil && !*x.Internet {
			closed[r.ID] = true
		}
	}
	if len(closed) == 0 {
		return
	}
	for i := range fs {
		f := &fs[i]
		if f.Status != finding.Fail || f.Category != "exposure" || !closed[f.Resource.ID] {
			continue
		}
		if l := f.Severity.Step(-1); l != f.Severity {
			if f.BaseSeverity == "" {
				f.BaseSeverity = f.Severity
			}
			f.Severity = l
		}
	}
}
