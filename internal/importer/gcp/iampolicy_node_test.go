package gcp

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// TestIAMPolicyNode holds iamPolicyNode to reading iam_policy when the
// asset has it in any case, else iamPolicy.
func TestIAMPolicyNode(t *testing.T) {
	p1, p2 := attr.M{"etag": "1"}, attr.M{"etag": "2"}
	for _, a := range []attr.M{
		{"name": "n"}, {"iam_policy": p1}, {"iamPolicy": p2}, {"iam_policy": p1, "iamPolicy": p2},
		{"IAM_POLICY": p1, "iamPolicy": p2}, {"IamPolicy": p2}, {"Iam_Policy": p1, "IAMPOLICY": p2}, {"iamPolicy": "oops"},
	} {
		c := &checker{name: "x"}
		asset := node{m: a, c: c}
		var want node
		if attr.Has(a, "iam_policy") {
			want, _ = asset.obj("iam_policy")
		} else {
			want, _ = asset.obj("iamPolicy")
		}
		wantProblems := len(c.problems)
		c2 := &checker{name: "x"}
		got := iamPolicyNode(a, node{m: a, c: c2})
		if !reflect.DeepEqual(got.m, want.m) || got.path != want.path || len(c2.problems) != wantProblems {
			t.Errorf("%v: got %+v (%d problems), want %+v (%d)", a, got, len(c2.problems), want, wantProblems)
		}
	}
}
