package inventory

import (
	"maps"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// The merger's index serves the derivation only while it is the index the
// derivation would build: every listed resource under its ID's key, and
// nothing else.
func TestMergerIDIndex(t *testing.T) {
	m := newMerger(4, 4)
	a := &resource.Resource{Provider: resource.AWS, ID: "arn:aws:s3:::a", Aliases: []string{"a"}}
	z := &resource.Resource{Provider: resource.Azure, ID: "/subscriptions/S/resourceGroups/RG/x"}
	dup := &resource.Resource{Provider: resource.Azure, ID: "/subscriptions/s/resourcegroups/rg/X", Name: "merged"}
	for _, r := range []*resource.Resource{a, z, dup} {
		m.add(r)
	}
	ids := m.idIndex()
	if ids == nil {
		t.Fatal("no finisher changed an ID, but the merger's index is not used")
	}
	built := newDeriver(m.list).index
	withAliases := newDeriverIndexed(m.list, ids).index
	if !maps.Equal(built, withAliases) {
		t.Fatalf("the merger's index extended with the aliases is %v, the built one %v", withAliases, built)
	}
	if len(built) != 3 || built[mergeKeyOf(resource.AWS, "a")] != a {
		t.Fatalf("built index %v lacks the alias", built)
	}

	// A finisher gives a resource its ID (an account-less output told
	// its account): the index is built again.
	a.ID = "arn:aws:s3:::renamed"
	if m.idIndex() != nil {
		t.Fatal("an ID changed after the merge, but the merger's stale index is used")
	}
	a.ID = "arn:aws:s3:::a"
	z.Provider = resource.GCP
	if m.idIndex() != nil {
		t.Fatal("a provider changed after the merge, but the merger's stale index is used")
	}
}
