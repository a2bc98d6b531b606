package inventory

import (
	"maps"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Importers hand out one tags map for every resource whose tags were the
// same decoded object: merging another copy of one of them adds its tags
// to a copy, and the other resources sharing the map keep theirs.
func TestMergeDoesNotWriteSharedTags(t *testing.T) {
	shared := map[string]string{"env": "prod"}
	a := &resource.Resource{Provider: resource.AWS, ID: "a", Tags: shared}
	b := &resource.Resource{Provider: resource.AWS, ID: "b", Tags: shared}
	a2 := &resource.Resource{Provider: resource.AWS, ID: "a", Tags: map[string]string{"env": "dev", "team": "x"}}
	m := newMerger(4, 4)
	for _, r := range []*resource.Resource{a, b, a2} {
		m.add(r)
	}
	if want := map[string]string{"env": "prod", "team": "x"}; !maps.Equal(a.Tags, want) {
		t.Fatalf("merged tags %v, want %v", a.Tags, want)
	}
	if want := map[string]string{"env": "prod"}; !maps.Equal(b.Tags, want) || !maps.Equal(shared, want) {
		t.Fatalf("the shared map became %v (b's tags %v)", shared, b.Tags)
	}

	// Nothing to add: the map stays the shared one; no tags at all: a
	// new map.
	c := &resource.Resource{Provider: resource.AWS, ID: "b", Tags: map[string]string{"env": "other"}}
	m.add(c)
	if len(b.Tags) != 1 || b.Tags["env"] != "prod" {
		t.Fatalf("b's tags %v", b.Tags)
	}
	d := &resource.Resource{Provider: resource.AWS, ID: "d"}
	m.add(d)
	m.add(&resource.Resource{Provider: resource.AWS, ID: "d", Tags: shared})
	if !maps.Equal(d.Tags, shared) {
		t.Fatalf("d's tags %v", d.Tags)
	}
	d.Tags["new"] = "1"
	if _, found := shared["new"]; found {
		t.Fatal("a resource without tags took the shared map itself")
	}
}
