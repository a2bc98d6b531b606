package attr

import (
	"maps"
	"reflect"
	"testing"
)

func sameMap(a, b map[string]string) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// A TagCache converts as Tags does, and hands out one map for one decoded
// object (the decoder shares the copies of a small object), a map of its
// own for another object of the same content.
func TestTagCache(t *testing.T) {
	var doc any
	if err := Decode([]byte(`[{"tags":{"env":"prod","n":1}},{"tags":{"env":"prod","n":1}},{"tags":{"env":"prod","n":1}},{"tags":[{"key":"a","value":"b"}]},{"tags":{}}]`), &doc); err != nil {
		t.Fatal(err)
	}
	var objs []any
	for _, e := range doc.([]any) {
		objs = append(objs, e.(M)["tags"])
	}
	var c TagCache
	for i, v := range objs {
		if got, want := c.Tags(v), Tags(v); !maps.Equal(got, want) || (got == nil) != (want == nil) {
			t.Fatalf("tags %d: %v, want %v", i, got, want)
		}
	}
	first := c.Tags(objs[0])
	if !sameMap(first, c.Tags(objs[0])) {
		t.Fatal("the same object converted twice gave two maps")
	}
	// The decoder shares the third copy with the second (cached the
	// second time its text is seen).
	if !sameMap(c.Tags(objs[1]), c.Tags(objs[2])) {
		t.Fatal("two copies the decoder shares gave two maps")
	}
	other := M{"env": "prod", "n": 1.0}
	if got := c.Tags(other); sameMap(got, first) || !maps.Equal(got, first) {
		t.Fatalf("another object of the same content: %v (shared: %v)", got, sameMap(got, first))
	}
	var nilCache *TagCache
	if got := nilCache.Tags(objs[0]); !maps.Equal(got, first) || sameMap(got, first) {
		t.Fatalf("nil cache: %v", got)
	}
	if _, ok := nilCache.Lookup(other); ok {
		t.Fatal("a nil cache found an object")
	}
	nilCache.Store(other, nil)

	// The cache is bounded: past tagCacheMax objects it starts again,
	// still converting right.
	for i := range tagCacheMax + 10 {
		m := M{"i": float64(i)}
		if got := c.Tags(m); got["i"] != AsStr(float64(i)) {
			t.Fatalf("object %d: %v", i, got)
		}
	}
	if len(c.byObj) > tagCacheMax {
		t.Fatalf("the cache holds %d objects", len(c.byObj))
	}
}
