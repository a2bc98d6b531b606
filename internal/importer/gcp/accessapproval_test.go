package gcp

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestAccessApproval: CIS GCP 5.0 2.16 from gcloud access-approval
// settings get: project a enrolls all services, b inherits an enrolled
// ancestor, c's settings enroll nothing (false), d's enrolledServices has
// the wrong type (unknown, a problem), e has no settings (unknown); a
// folder's settings are not a project's.
func TestAccessApproval(t *testing.T) {
	docs := map[string]string{
		"a": `{"name":"projects/a/accessApprovalSettings","enrolledServices":[{"cloudProduct":"all","enrollmentLevel":"BLOCK_ALL"}],"notificationEmails":["secops@example.com"]}`,
		"b": `{"name":"projects/b/accessApprovalSettings","enrolledAncestor":true}`,
		"c": `{"name":"projects/c/accessApprovalSettings"}`,
		"d": `{"name":"projects/d/accessApprovalSettings","enrolledServices":"all"}`,
		"f": `{"name":"folders/123/accessApprovalSettings","enrolledServices":[{"cloudProduct":"all"}]}`,
	}
	var all []*resource.Resource
	problems := 0
	for p, text := range docs {
		var doc any
		if err := attr.Decode([]byte(text), &doc); err != nil {
			t.Fatal(err)
		}
		if DetectAccessApproval(doc) != FormatAccessApproval {
			t.Fatalf("%s: not detected", p)
		}
		res := ParseAccessApproval(context.Background(), "gcp/"+p+"/accessapproval.json", doc)
		problems += len(res.Problems)
		if p == "d" && (len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), "enrolledServices")) {
			t.Errorf("d: problems %v", res.Problems)
		}
		all = append(all, res.Resources...)
	}
	if problems != 1 {
		t.Errorf("%d problems, want 1", problems)
	}
	all = append(all, &resource.Resource{Provider: resource.GCP, Account: "e", Type: TypeBucket, ID: "//storage.googleapis.com/e-bucket", Class: resource.ClassObjectStorage})
	added, _ := Finalize(all)
	got := map[string]string{}
	for _, r := range append(all, added...) {
		if r.Class == resource.ClassAccount {
			v := "unknown"
			if r.Facts.Account.CIS != nil {
				v = show(r.Facts.Account.CIS.AccessApproval)
			}
			got[r.Account] = v
		}
	}
	for p, want := range map[string]string{"a": "true", "b": "true", "c": "false", "d": "unknown", "e": "unknown"} {
		if got[p] != want {
			t.Errorf("project %s access approval %s, want %s", p, got[p], want)
		}
	}
	if _, ok := got["123"]; ok || len(got) != 5 {
		t.Errorf("projects: %v", got)
	}
	if DetectAccessApproval(attr.M{"name": "projects/a/accessApproval"}) != "" {
		t.Error("detected another name")
	}
}
