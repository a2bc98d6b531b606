package inventory

import (
	"fmt"
	"slices"

	"github.com/vigil-sec/vigil/internal/source"
)

// doubtExposure leaves the internet verdict undecided on the resources
// read from an input with problems: a record of the wrong shape there may
// be the route, NIC or firewall rule a path needs (a GCP firewall rule
// applies by network and tags, so nothing even points at it when it is
// lost), so "not reachable", or "reachable on these ports only", is no
// longer known. The paths found stand: a lost record cannot have let
// traffic in, and rules that fail on a path still fail. So bad input never
// turns an exposure finding into a pass.
func (d *deriver) doubtExposure(problems []source.Problem) {
	if len(problems) == 0 {
		return
	}
	files := map[string]string{}
	for _, p := range problems {
		if p.Path != "" && files[p.Path] == "" {
			files[p.Path] = p.Error()
		}
	}
	for _, r := range d.all {
		x := r.Facts.Exposure
		if x == nil || x.Internet == nil {
			continue
		}
		why, ok := files[r.Source]
		if !ok && !d.doubtful(r) {
			continue
		}
		if !ok {
			why = "an input problem names it"
		}
		x.Internet = nil
		x.Undecided = append(slices.Clip(x.Undecided), fmt.Sprintf("its input has a problem that may hide a route, interface or firewall rule of its paths (%s)", why))
	}
}
