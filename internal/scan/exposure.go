package scan

import (
	"runtime"
	"sync"

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
	lowerClosed(fs, closedIDs(rs))
}

// closedIDs are the IDs of the resources reachability proved unreachable
// from the internet. It reads only the resources: scan.Run gathers them
// while the rules run.
func closedIDs(rs []*resource.Resource) map[string]bool {
	closed := map[string]bool{}
	for _, r := range rs {
		if x := r.Facts.Exposure; x != nil && x.Internet != nil && !*x.Internet {
			closed[r.ID] = true
		}
	}
	return closed
}

// lowerChunk is how many findings one worker of lowerClosed reads at a
// time: the pass reads two fields of every finding (288 bytes each), so it
// is shared between the cores on large scans.
const lowerChunk = 1 << 16

// lowerClosed lowers the failing exposure findings on the resources of
// closed (see lowerUnexposed).
func lowerClosed(fs []finding.Finding, closed map[string]bool) {
	if len(closed) == 0 {
		return
	}
	lower := func(fs []finding.Finding) {
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
	workers := min(runtime.GOMAXPROCS(0), (len(fs)+lowerChunk-1)/lowerChunk)
	if workers < 2 {
		lower(fs)
		return
	}
	// Each finding is read by one worker only (the map is only read).
	chunks := make(chan []finding.Finding, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for c := range chunks {
				lower(c)
			}
		})
	}
	for from := 0; from < len(fs); from += lowerChunk {
		chunks <- fs[from:min(from+lowerChunk, len(fs))]
	}
	close(chunks)
	wg.Wait()
}
