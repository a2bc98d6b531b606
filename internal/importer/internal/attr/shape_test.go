package attr

import (
	"fmt"
	"strings"
	"testing"
)

var testShape = NewShape("a", "b", "ARN", "resourceType", "tags", "configuration")

// checkShaped decodes data with DecodeShaped (list "items") and with
// Decode, and fails on any difference: when DecodeShaped takes the text,
// its document with the items put back as maps must be Decode's tree, and
// each item must answer Exact, Get and Str as the map does. It reports
// whether DecodeShaped took the text.
func checkShaped(t *testing.T, data []byte) bool {
	t.Helper()
	doc, items, ok := DecodeShaped(data, "items", testShape)
	var want any
	werr := Decode(data, &want)
	if !ok {
		// Refusing is allowed only for what the fast path does not take
		// (the caller then decodes the text with Decode).
		if _, fast := fastDecode(data); !fast {
			return false
		}
		if wm, isObj := want.(M); werr == nil && isObj {
			if a, isArr := wm["items"].([]any); isArr && allObjects(a) && wm != nil {
				t.Fatalf("%q: DecodeShaped refused a document Decode takes with a list of objects", data)
			}
		}
		return false
	}
	if werr != nil {
		t.Fatalf("%q: DecodeShaped took a text Decode rejects: %v", data, werr)
	}
	if _, has := doc["items"]; has {
		t.Fatalf("%q: the document kept the list", data)
	}
	got := M{}
	for k, v := range doc {
		got[k] = v
	}
	list := make([]any, len(items))
	for i, it := range items {
		m := it.Map()
		list[i] = m
		for k, v := range m {
			for _, key := range []string{k, strings.ToUpper(k), strings.ToLower(k), k + "x"} {
				gv, gfound := it.Get(key)
				wv, wfound := Get(m, key)
				if gfound != wfound || (gfound && !sameFold(m, key) && sameTree(gv, wv, key) != nil) {
					t.Fatalf("%q: item %d Get(%q) = %v, %v; the map gives %v, %v", data, i, key, gv, gfound, wv, wfound)
				}
				if gfound && !sameFold(m, key) && it.Str(key) != Str(m, key) {
					t.Fatalf("%q: item %d Str(%q) = %q, want %q", data, i, key, it.Str(key), Str(m, key))
				}
			}
			if ev, found := it.Exact(k); !found || sameTree(ev, v, k) != nil {
				t.Fatalf("%q: item %d Exact(%q) = %v, %v", data, i, k, ev, found)
			}
		}
		if _, found := it.Exact("absent-key"); found {
			t.Fatalf("%q: item %d has absent-key", data, i)
		}
	}
	got["items"] = list
	if len(items) == 0 {
		got["items"] = []any{}
	}
	if err := sameTree(got, want, "$"); err != nil {
		t.Fatalf("%q: %v", data, err)
	}
	checkShapedObjects(t, data, items)
	return true
}

// checkShapedObjects decodes data (which DecodeShaped took, giving items)
// with DecodeShapedObjects and fails on any difference: the same items,
// PlainMap and MapOf giving each item's Map, and every Object in them
// read (Exact, Get, Len, Node's reads) as the map in its place.
func checkShapedObjects(t *testing.T, data []byte, items []*Item) {
	t.Helper()
	_, objs, ok := DecodeShapedObjects(data, "items", testShape)
	if !ok || len(objs) != len(items) {
		t.Fatalf("%q: DecodeShapedObjects gave %d items, %v; DecodeShaped %d", data, len(objs), ok, len(items))
	}
	for i, it := range objs {
		want := items[i].Map()
		if err := sameTree(it.PlainMap(), want, "$"); err != nil {
			t.Fatalf("%q: item %d PlainMap: %v", data, i, err)
		}
		if err := sameTree(it.MapOf(func(k string) bool { return k != "a" }), items[i].MapOf(func(k string) bool { return k != "a" }), "$"); err != nil {
			t.Fatalf("%q: item %d MapOf: %v", data, i, err)
		}
		for k, w := range want {
			v, _ := it.Exact(k)
			sameReading(t, v, w, k)
		}
	}
}

// sameReading fails unless the value v (decoded with Objects) reads as w
// (the map tree) does.
func sameReading(t *testing.T, v, w any, path string) {
	t.Helper()
	switch y := w.(type) {
	case M:
		o, isObj := v.(*Object)
		if !isObj || o.Len() != len(y) || !IsObject(v) {
			t.Fatalf("%s: %#v against an object of %d", path, v, len(y))
		}
		c := &Checker{}
		n, isObj := NodeOf(v, PathOf(path), c)
		if !isObj || !n.Present() || n.Len() != len(y) {
			t.Fatalf("%s: NodeOf gave %v, %v", path, n, isObj)
		}
		if err := sameTree(Plain(v), y, path); err != nil {
			t.Fatalf("%s: Plain: %v", path, err)
		}
		if m := n.Map(); len(m) != len(y) {
			t.Fatalf("%s: Map has %d members, want %d", path, len(m), len(y))
		} else {
			for k, mv := range m {
				sameReading(t, mv, y[k], path+"."+k)
			}
		}
		for k, wv := range y {
			ov, found := o.Exact(k)
			if !found {
				t.Fatalf("%s: Exact(%q) not found", path, k)
			}
			sameReading(t, ov, wv, path+"."+k)
			for _, key := range []string{k, strings.ToUpper(k), strings.ToLower(k), k + "x"} {
				gv, gfound := o.Get(key)
				mv, mfound := Get(y, key)
				if gfound != mfound {
					t.Fatalf("%s: Get(%q) found %v, the map %v", path, key, gfound, mfound)
				}
				if gfound && !sameFold(y, key) {
					if err := sameTree(Plain(gv), mv, path+"."+key); err != nil {
						t.Fatalf("%s: Get(%q): %v", path, key, err)
					}
					if MemberStr(v, key) != Str(y, key) || Kind(gv) != Kind(mv) {
						t.Fatalf("%s: MemberStr(%q) = %q, want %q", path, key, MemberStr(v, key), Str(y, key))
					}
					ns, nst := n.Str(key)
					ms, mst := Node{M: y, C: &Checker{}}.Str(key)
					if ns != ms || nst != mst {
						t.Fatalf("%s: Node.Str(%q) = %q, %v; on the map %q, %v", path, key, ns, nst, ms, mst)
					}
				}
			}
		}
	case []any:
		x, isArr := v.([]any)
		if !isArr || len(x) != len(y) {
			t.Fatalf("%s: %#v against an array of %d", path, v, len(y))
		}
		for i := range y {
			sameReading(t, x[i], y[i], fmt.Sprintf("%s[%d]", path, i))
		}
	default:
		if err := sameTree(v, w, path); err != nil {
			t.Fatalf("%v", err)
		}
	}
}

// sameFold reports whether m has several keys equal to key without regard
// to case and none exactly key: Get then answers any of them.
func sameFold(m M, key string) bool {
	if _, exact := m[key]; exact {
		return false
	}
	n := 0
	for k := range m {
		if strings.EqualFold(k, key) {
			n++
		}
	}
	return n > 1
}

func allObjects(a []any) bool {
	for _, e := range a {
		if _, ok := e.(M); !ok {
			return false
		}
	}
	return true
}

var shapedSeeds = []string{
	`{"v":"1.0","items":[{"a":1,"b":"x","c":[1,2],"tags":{"k":"v"}},{"ARN":"arn:1","arn":"arn:2","resourceType":"T"},{}]}`,
	`{"items":[]}`, `{"items":[],"items":[{"a":1}]}`, `{"items":[{"a":1}],"items":[]}`, `{"items":[{"a":1}],"items":3}`,
	`{"items":[{"a":1},2]}`, `{"items":{"a":1}}`, `{"items":"[]"}`, `{"x":1}`, `[{"a":1}]`, `{}`, `{"items":[{"a":1}]`,
	`{"items":[{"a":1,"a":2,"A":3,"Rest":{"x":[]},"rest":1}]}`, `{"it\u0065ms":[{"b":true}]}`, `{"items":[{"\u0061":1}]}`,
	`  {"items" : [ { "configuration" : { "tags" : [ ] } } , { } ] }  `, `{"items":[{"a":1}]} x`, `{"items":[{"a":1},]}`,
	`{"items":[{"a":"\u00e9"},{"a":"` + strings.Repeat("y", 60) + `"},{"resourcetype":"t","RESOURCETYPE":"u"}]}`,
	`{"items":[{"configuration":{"a":{"b":[1,{"c":2}]}}},{"configuration":{"a":{"b":[1,{"c":2}]}}},{"configuration":{"a":{"b":[1,{"c":2}]}}}]}`,
	`{"items":[` + strings.Repeat(`{"a":1,"tags":{"k":"v"}},`, 600) + `{"b":2}]}`,
	`{"items":[{"a":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}]}`,
	`{"items":[{"configuration":{"a":1,"b":{"x":1,"x":[2],"X":3},"a":{"y":{}},"c":[{"k":"v","k":"w"},{}]}},{"configuration":{"b":{"x":1,"x":[2],"X":3}}}]}`,
	`{"items":[{"configuration":{"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k1":18,"k\u0031":19}}]}`,
	`{"items":[{"tags":{"Name":"a","name":"b"},"relationships":[{"resourceId":"r","name":"n"}],"supplementaryConfiguration":{"P":"{\"a\":1}"}}]}`,
}

func TestDecodeShaped(t *testing.T) {
	took := 0
	for _, s := range shapedSeeds {
		if checkShaped(t, []byte(s)) {
			took++
		}
	}
	if took < 10 {
		t.Fatalf("DecodeShaped took %d of the seeds, want at least 10", took)
	}
	doc, items, ok := DecodeShaped([]byte(`{"v":2,"items":[{"a":1,"zz":"r"},{"ARN":"x"}]}`), "items", testShape)
	if !ok || len(items) != 2 || len(doc) != 1 {
		t.Fatalf("got %v, %d items, %v", doc, len(items), ok)
	}
	if v, found := items[0].Get("ZZ"); !found || v != "r" {
		t.Fatalf("Get(ZZ) = %v, %v: the members of other keys are kept", v, found)
	}
	if s := items[1].Str("arn"); s != "x" {
		t.Fatalf("Str(arn) = %q, want x (ARN, without regard to case)", s)
	}
}

func FuzzDecodeShaped(f *testing.F) {
	for _, s := range shapedSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkShaped(t, data)
	})
}

// TestItemMapOf: MapOf keeps the members the function accepts, of the
// shape's keys and of the others, with the values Map gives.
func TestItemMapOf(t *testing.T) {
	_, items, ok := DecodeShaped([]byte(`{"items":[{"a":1,"b":{"x":2},"resourceId":"k","ResourceID":"K","zz":[3]}]}`), "items", testShape)
	if !ok || len(items) != 1 {
		t.Fatalf("DecodeShaped: %v, %d items", ok, len(items))
	}
	got := items[0].MapOf(func(k string) bool { return strings.EqualFold(k, "resourceId") || k == "b" })
	want := M{"b": M{"x": 2.0}, "resourceId": "k", "ResourceID": "K"}
	if err := sameTree(got, want, "$"); err != nil {
		t.Fatal(err)
	}
	if got := items[0].MapOf(func(string) bool { return false }); len(got) != 0 {
		t.Fatalf("MapOf of nothing = %v", got)
	}
}

// TestNodeGetMapLen: a node over a map and over an Item answer Get, Map
// and Len alike.
func TestNodeGetMapLen(t *testing.T) {
	text := `{"items":[{"a":1,"tags":{"k":"v"},"Other":null,"rest":"r"}]}`
	_, items, ok := DecodeShaped([]byte(text), "items", testShape)
	if !ok {
		t.Fatal("DecodeShaped refused the text")
	}
	var doc M
	if err := Decode([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
	m := doc["items"].([]any)[0].(M)
	for _, n := range []Node{{M: m}, {It: items[0]}} {
		if n.Len() != 4 {
			t.Fatalf("Len = %d, want 4", n.Len())
		}
		if err := sameTree(n.Map(), m, "Map"); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"a", "TAGS", "other", "rest", "absent"} {
			gv, gf := n.Get(k)
			wv, wf := Get(m, k)
			if gf != wf || sameTree(gv, wv, k) != nil {
				t.Fatalf("Get(%q) = %v, %v; want %v, %v", k, gv, gf, wv, wf)
			}
		}
	}
	if (Node{}).Len() != 0 || (Node{}).Map() != nil {
		t.Fatal("a zero node has members")
	}
}
