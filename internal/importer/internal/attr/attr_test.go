package attr

import (
	"reflect"
	"testing"
)

func TestGetAndPath(t *testing.T) {
	var m M
	if err := Decode([]byte(`{"ARN":"a","configuration":"{\"ipPermissions\":[{\"fromPort\":22}]}","supp":{"PAB":"{\"x\":true}"},"n":5,"f":"false","l":["a",1,null],"tags":[{"key":"k","value":"v"},{"Key":"K2","Value":"v2"},7]}`), &m); err != nil {
		t.Fatal(err)
	}
	if Str(m, "arn") != "a" || Str(m, "ARN") != "a" {
		t.Error("case-insensitive key")
	}
	if p := Int(Objs(m, "configuration", "ipPermissions")[0], "fromPort"); p == nil || *p != 22 {
		t.Error("JSON-string configuration not decoded")
	}
	if b := Bool(m, "supp", "PAB", "x"); b == nil || !*b {
		t.Error("JSON-string nested object not decoded")
	}
	if b := Bool(m, "f"); b == nil || *b {
		t.Error(`"false" string`)
	}
	if Bool(m, "n") != nil || Bool(m, "missing") != nil || Int(m, "ARN") != nil {
		t.Error("wrong types must read as unknown")
	}
	if got := Strs(m, "l"); !reflect.DeepEqual(got, []string{"a", "1"}) {
		t.Errorf("Strs = %v", got)
	}
	if got := Tags(m["tags"]); !reflect.DeepEqual(got, map[string]string{"k": "v", "K2": "v2"}) {
		t.Errorf("Tags = %v", got)
	}
	if Obj(nil, "x") != nil || Str(nil, "x") != "" || Str(M{"a": 1}, "a", "b") != "" {
		t.Error("nil and scalar paths")
	}
}

func TestErrorOffset(t *testing.T) {
	var v any
	err := Decode([]byte(`{"a": [1, 2,, 3]}`), &v)
	if err == nil {
		t.Fatal("no error")
	}
	if off := ErrorOffset(err); off < 10 || off > 13 {
		t.Errorf("offset %d", off)
	}
}
