package attr

import (
	"reflect"
	"testing"
)

func TestNodeTypedReads(t *testing.T) {
	var row M
	if err := Decode([]byte(`{"name":"a","n":"42","flag":"true","obj":"{\"x\":1}","list":["a",null,""],
		"bad":{"s":7,"b":"maybe","i":1.5,"o":[1],"objs":[{},3],"strs":["a",2]}}`), &row); err != nil {
		t.Fatal(err)
	}
	c := &Checker{ID: "r1"}
	n := Node{M: row, C: c}
	if n.S("name") != "a" || *n.I("n") != 42 || !*n.B("flag") || n.O("obj").Path.String() != "obj" || !n.O("obj").Present() {
		t.Errorf("good reads: %q %v %v %+v", n.S("name"), n.I("n"), n.B("flag"), n.O("obj"))
	}
	if l, st := n.Strs("list"); st != OK || !reflect.DeepEqual(l, []string{"a"}) {
		t.Errorf("strs %v %v", l, st)
	}
	if _, st := n.Str("missing"); st != Absent || n.O("missing").Present() || c.Count() != 0 {
		t.Errorf("absent: %v, %d problems", st, c.Count())
	}
	b := n.O("bad")
	if _, st := b.Str("s"); st != Bad {
		t.Error("number read as text")
	}
	b.B("b")
	b.I("i")
	b.O("o")
	if _, st := b.Objs("objs"); st != Bad {
		t.Error("a list with a non-object")
	}
	if _, st := b.Strs("strs"); st != Bad {
		t.Error("a list with a non-string")
	}
	if len(c.Problems) != 6 || c.Count() != 6 {
		t.Fatalf("%d problems, count %d: %v", len(c.Problems), c.Count(), c.Problems)
	}
	if p := c.Problems[0]; p.Resource != "r1" || p.Field != "bad.s" || p.Err != "bad.s: want string, got number" {
		t.Errorf("problem %+v", p)
	}
	// A field read twice is reported once but counts twice, so a group read
	// after it still sees the wrong type.
	before := c.Count()
	b.S("s")
	if len(c.Problems) != 6 || c.Count() != before+1 {
		t.Errorf("re-read: %d problems, count %d", len(c.Problems), c.Count())
	}
	if got := (Node{}).S("x"); got != "" {
		t.Errorf("zero node: %q", got)
	}
	if n.Enum([]string{"name"}, "B", "A") != 1 || n.Enum([]string{"name"}, "z") != -1 || n.Enum([]string{"none"}, "a") != -2 {
		t.Error("enum")
	}
	if Not(nil) != nil || *Not(Not(n.B("flag"))) != true {
		t.Error("not")
	}
}

// TestFieldPaths: the problems of nested objects and array elements name
// the whole path from the row, however it was reached.
func TestFieldPaths(t *testing.T) {
	var row M
	if err := Decode([]byte(`{"properties":{"rules":[{"p":{"ports":[{"n":"x"}],"deep":{"er":{"s":1}}}}],
		"a":{"b":{"c":{"s":2}}}}}`), &row); err != nil {
		t.Fatal(err)
	}
	c := &Checker{ID: "r"}
	n := Node{M: row, C: c}
	props := n.O("properties")
	rules, _ := props.Objs("rules")
	ports, _ := rules[0].O("p").Objs("ports")
	ports[0].I("n")
	rules[0].O("p", "deep").O("er").S("s")
	props.O("a", "b").O("c").S("s")
	n.O("properties", "a").O("b", "c").S("s", "t")
	want := []string{"properties.rules[0].p.ports[0].n", "properties.rules[0].p.deep.er.s", "properties.a.b.c.s"}
	var got []string
	for _, p := range c.Problems {
		got = append(got, p.Field)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problem fields %q, want %q", got, want)
	}
	for _, c := range []struct {
		p    FieldPath
		want string
	}{
		{FieldPath{}, ""}, {PathOf("x"), "x"}, {PathOf("").Below("a"), "a"}, {PathOf("x").Below("a", "b"), "x.a.b"},
		{PathOf("x").Elem(2), "x[2]"}, {PathOf("x").Below("a").Elem(0).Elem(1), "x.a[0][1]"},
		{PathOf("x").Below("a").Elem(3).Below("b", "c"), "x.a[3].b.c"}, {FieldPath{}.Below("a").Below("b").Below("c"), "a.b.c"},
	} {
		if got := c.p.String(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.p, got, c.want)
		}
	}
}
