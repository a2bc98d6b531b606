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
	switch t := v.(type) {
	case M:
		if c == nil || len(t) == 0 {
			return Tags(v)
		}
	case *Object:
		if c == nil || t.Len() == 0 {
			return Tags(v)
		}
	default:
		return Tags(v)
	}
	if tags, ok := c.Lookup(v); ok {
		return tags
	}
	tags := Tags(v)
	c.Store(v, tags)
	return tags
}

// Lookup returns the tags converted from the decoded object o (a map or
// an Object; Store), if any.
func (c *TagCache) Lookup(o any) (map[string]string, bool) {
	if c == nil || c.byObj == nil {
		return nil, false
	}
	t, ok := c.byObj[objKey(o)]
	return t.tags, ok
}

// Store records tags as what the decoded object o (a map or an Object)
// converts to (for a format's own conversion, as GCP labels).
func (c *TagCache) Store(o any, tags map[string]string) {
	key := objKey(o)
	if c == nil || key == 0 {
		return
	}
	if c.byObj == nil || len(c.byObj) >= tagCacheMax {
		c.byObj = make(map[uintptr]tagsOf, 64)
	}
	c.byObj[key] = tagsOf{src: o, tags: tags}
}

// objKey is the identity of a decoded object (0 for anything else).
func objKey(o any) uintptr {
	switch t := o.(type) {
	case M:
		return uintptr(reflect.ValueOf(t).UnsafePointer())
	case *Object:
		return uintptr(unsafe.Pointer(t))
	}
	return 0
}
