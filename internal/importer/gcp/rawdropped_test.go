package gcp

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// TestBindingRawDropped: a binding keeps its asset, role, member and
// condition as Raw unless the importer drops the Raw FinishRaw does not
// keep (attr.WithRawDropped); its facts are the same either way.
func TestBindingRawDropped(t *testing.T) {
	line := []byte(`{"name":"//storage.googleapis.com/b1","asset_type":"storage.googleapis.com/Bucket","iam_policy":{"bindings":[` +
		`{"role":"roles/storage.objectViewer","members":["allUsers"]},` +
		`{"role":"roles/storage.admin","members":["user:a@example.com"],"condition":{"title":"t","expression":"true"}}]}}`)
	kept := ParseNDJSON(context.Background(), "b.json", line)
	dropped := ParseNDJSON(attr.WithRawDropped(context.Background()), "b.json", line)
	if len(kept.Resources) != 3 || len(dropped.Resources) != 3 {
		t.Fatalf("%d and %d resources, want 3", len(kept.Resources), len(dropped.Resources))
	}
	for i, k := range kept.Resources[1:] {
		d := dropped.Resources[i+1]
		if k.Type != TypeBinding || d.Raw != nil || FinishRaw(k) != nil {
			t.Errorf("%s: Raw %v dropped, FinishRaw %v", k.ID, d.Raw, FinishRaw(k))
		}
		if !reflect.DeepEqual(k.Facts, d.Facts) || k.ID != d.ID || !reflect.DeepEqual(k.Relationships, d.Relationships) {
			t.Errorf("%s: facts differ with Raw dropped:\n%+v\n%+v", k.ID, k.Facts, d.Facts)
		}
	}
	want := attr.M{"resource": "//storage.googleapis.com/b1", "role": "roles/storage.admin", "member": "user:a@example.com",
		"condition": attr.M{"title": "t", "expression": "true"}}
	if got := kept.Resources[2].Raw; !reflect.DeepEqual(got, want) {
		t.Errorf("kept Raw %v, want %v", got, want)
	}
}

// TestProjectAncestor: the pruner reads a project number from ancestors
// as attr.Strs reads the list (the first projects/ element of an array, of
// a string holding one, or a lone string).
func TestProjectAncestor(t *testing.T) {
	for _, tc := range []struct {
		anc   any
		num   string
		found bool
	}{
		{[]any{"folders/1", "projects/123", "projects/456", "organizations/9"}, "123", true},
		{[]any{nil, 42.0, "projects/7"}, "7", true},
		{`["folders/1","projects/88"]`, "88", true},
		{"projects/5", "5", true},
		{"projects/", "", true},
		{[]any{"folders/1", "organizations/9"}, "", false},
		{"folders/1", "", false},
		{42.0, "", false},
		{nil, "", false},
	} {
		num, found := projectAncestor(tc.anc)
		if num != tc.num || found != tc.found {
			t.Errorf("projectAncestor(%#v) = %q, %v; want %q, %v", tc.anc, num, found, tc.num, tc.found)
		}
		// The same as the first projects/ element attr.Strs gives.
		want, wantFound := "", false
		for _, a := range attr.Strs(attr.M{"ancestors": tc.anc}, "ancestors") {
			if n, ok := strings.CutPrefix(a, "projects/"); ok {
				want, wantFound = n, true
				break
			}
		}
		if num != want || found != wantFound {
			t.Errorf("projectAncestor(%#v) = %q, %v; attr.Strs reads %q, %v", tc.anc, num, found, want, wantFound)
		}
	}
}
