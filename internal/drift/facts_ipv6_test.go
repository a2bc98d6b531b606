package drift

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TestPublicIPv6Drift: an instance the IaC gives no public IPv6 address
// that has one live is an exposure drift (weaker, category public), like
// public_ip; one the IaC says nothing about (unknown) is not compared.
func TestPublicIPv6Drift(t *testing.T) {
	inst := func(v6 *bool) *resource.Resource {
		return &resource.Resource{Provider: resource.AWS, Class: resource.ClassCompute,
			Facts: resource.Facts{Compute: &resource.Compute{PublicIP: resource.Bool(false), PublicIPv6: v6}}}
	}
	d := compareFacts(inst(resource.Bool(false)), inst(resource.Bool(true)))
	if len(d) != 1 || d[0].path != "compute.public_ipv6" || d[0].category != catPublic || d[0].direction != Weaker {
		t.Fatalf("diffs %+v, want compute.public_ipv6 weaker in %s", d, catPublic)
	}
	if d := compareFacts(inst(resource.Bool(true)), inst(resource.Bool(false))); len(d) != 1 || d[0].direction != Stricter {
		t.Errorf("IPv6 address removed live: %+v, want stricter", d)
	}
	if d := compareFacts(inst(nil), inst(resource.Bool(true))); len(d) != 0 {
		t.Errorf("unknown in the IaC: %+v, want no diff", d)
	}
}
