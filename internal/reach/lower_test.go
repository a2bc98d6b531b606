package reach

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TestLowererMatchesNormID: the index's keys lower-cased into shared
// blocks are normID's, for every provider, ASCII or not, and stay intact
// while later keys fill more blocks.
func TestLowererMatchesNormID(t *testing.T) {
	ids := []string{"", "plain", "/subscriptions/S1/resourceGroups/RG/providers/Microsoft.Compute/virtualMachines/VM-1",
		"/subscriptions/s/resourcegroups/rg/x", "Ünïcode/RG", "MIXED\xffBYTES", "//compute.googleapis.com/projects/P/zones/z/instances/I",
		"arn:aws:ec2:us-east-1:1:instance/I-ABC", strings.Repeat("AbC", 64<<10/8)}
	for i := range 3 * (64 << 10) / 40 {
		ids = append(ids, fmt.Sprintf("/subscriptions/SUB/resourceGroups/RG-%d/providers/Microsoft.Network/NSG-%d", i, i))
	}
	var l lowerer
	got := map[int]string{}
	for _, p := range []resource.Provider{resource.AWS, resource.Azure, resource.GCP} {
		for k, id := range ids {
			got[k] = l.normID(p, id)
		}
		for k, id := range ids {
			if want := normID(p, id); got[k] != want {
				t.Fatalf("%s %q: %q, normID %q", p, id, got[k], want)
			}
		}
	}
}
