package attr

import (
	"reflect"
	"unsafe"
)

// TagCache converts tag objects to tag maps as Tags does, handing out one
// map for every resource of a file whose tags are the same decoded
// object: the decoder hands out one map for every copy of a small object
// (see objSlot), and exports repeat the same tags on thousands of
// resources. A map costs two allocations and at least 300 bytes that stay
// live with the inventory (the collector marks them at every collection);
// shared, they cost them once. A resource's Tags are therefore read-only
// once converted: the merge copies them before adding to them. A nil
// *TagCache converts every time, as Tags.
type TagCache struct {
	byObj map[uintptr]tagsOf
}

// tagsOf is a converted tag object; src keeps the object alive, so that
// its address is not reused by another object while the cache holds it.
type tagsOf struct {
	src  any
	tags map[string]string
}

// tagCacheMax bounds the objects a TagCache holds (tags seen once are
// cached too).
const tagCacheMax = 4096

// Tags is Tags(v), the same map for the same decoded object.
func (c *TagCache) Tags(v any) map[string]string {
	if o, isObj := v.(*Object); isObj && c != nil && o.Len() > 0 {
		key := uintptr(unsafe.Pointer(o))
		if t, ok := c.byObj[key]; ok {
			return t.tags
		}
		tags := Tags(o)
		c.store(key, o, tags)
		return tags
	}
	m, isObj := v.(M)
	if c == nil || !isObj || len(m) == 0 {
		return Tags(v)
	}
	if tags, ok := c.Lookup(m); ok {
		return tags
	}
	tags := Tags(m)
	c.Store(m, tags)
	return tags
}

// Lookup returns the tags converted from the object m (Store), if any.
func (c *TagCache) Lookup(m M) (map[string]string, bool) {
	if c == nil || c.byObj == nil {
		return nil, false
	}
	t, ok := c.byObj[objKey(m)]
	return t.tags, ok
}

// Store records tags as what the object m converts to (for a format's own
// conversion, as GCP labels).
func (c *TagCache) Store(m M, tags map[string]string) {
	if c == nil {
		return
	}
	c.store(objKey(m), m, tags)
}

// store records tags as what the object src (at key) converts to.
func (c *TagCache) store(key uintptr, src any, tags map[string]string) {
	if c.byObj == nil || len(c.byObj) >= tagCacheMax {
		c.byObj = make(map[uintptr]tagsOf, 64)
	}
	c.byObj[key] = tagsOf{src: src, tags: tags}
}

// objKey is the identity of a map.
func objKey(m M) uintptr { return uintptr(reflect.ValueOf(m).UnsafePointer()) }
