package gcp

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TestVPCServiceControls: CIS GCP 5.0 3.8 from an access-policy export.
// Organization 9's policy has a regular perimeter restricting storage
// around p1 (proto names), a bridge around p2, a regular perimeter
// restricting nothing around p3, a dry-run spec only around p4, and a
// perimeter in the API's naming around p6; organization 8 (p5) has no
// policy in the input; organization 7's perimeter cannot be read (p7).
func TestVPCServiceControls(t *testing.T) {
	project := func(id, num, org string) string {
		return fmt.Sprintf(`{"name":"//cloudresourcemanager.googleapis.com/projects/%s","asset_type":"cloudresourcemanager.googleapis.com/Project","resource":{"data":{"projectId":%q,"projectNumber":%q,"lifecycleState":"ACTIVE"}},"ancestors":["projects/%s","organizations/%s"]}`, num, id, num, num, org)
	}
	policy := func(org string) string {
		return fmt.Sprintf(`{"name":"//accesscontextmanager.googleapis.com/accessPolicies/p%s","asset_type":"accesscontextmanager.googleapis.com/AccessPolicy","access_policy":{"name":"accessPolicies/p%s","parent":"organizations/%s","title":"default"},"ancestors":["organizations/%s"]}`, org, org, org, org)
	}
	perimeter := func(org, name, body string) string {
		return fmt.Sprintf(`{"name":"//accesscontextmanager.googleapis.com/accessPolicies/p%s/servicePerimeters/%s","asset_type":"accesscontextmanager.googleapis.com/ServicePerimeter",%s,"ancestors":["organizations/%s"]}`, org, name, body, org)
	}
	lines := []string{
		project("p1", "111", "9"), project("p2", "222", "9"), project("p3", "333", "9"), project("p4", "444", "9"),
		project("p5", "555", "8"), project("p6", "666", "9"), project("p7", "777", "7"), project("p8", "888", "9"),
		policy("9"), policy("7"),
		perimeter("9", "prod", `"service_perimeter":{"title":"prod","perimeter_type":"PERIMETER_TYPE_REGULAR","status":{"resources":["projects/111","projects/999"],"restricted_services":["storage.googleapis.com"]}}`),
		perimeter("9", "bridge", `"service_perimeter":{"title":"bridge","perimeter_type":"PERIMETER_TYPE_BRIDGE","status":{"resources":["projects/111","projects/222"]}}`),
		// a bridge never protects, even one that (against the API's rules) lists services
		perimeter("9", "bridge2", `"service_perimeter":{"title":"bridge2","perimeter_type":"PERIMETER_TYPE_BRIDGE","status":{"resources":["projects/888"],"restricted_services":["storage.googleapis.com"]}}`),
		perimeter("9", "open", `"service_perimeter":{"title":"open","status":{"resources":["projects/333"]}}`),
		perimeter("9", "trial", `"service_perimeter":{"title":"trial","spec":{"resources":["projects/444"],"restricted_services":["bigquery.googleapis.com"]},"use_explicit_dry_run_spec":true}`),
		perimeter("9", "api", `"servicePerimeter":{"name":"accessPolicies/p9/servicePerimeters/api","title":"api","perimeterType":"PERIMETER_TYPE_REGULAR","status":{"resources":["projects/666"],"restrictedServices":["bigquery.googleapis.com"]}}`),
		perimeter("7", "bad", `"service_perimeter":{"title":"bad","status":{"resources":["projects/777"],"restricted_services":"all"}}`),
	}
	res := ParseNDJSON(context.Background(), "access_policy.json", []byte(strings.Join(lines, "\n")))
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), "restricted_services") {
		t.Errorf("problems: %v, want one naming restricted_services", res.Problems)
	}
	if res.Unsupported["//accesscontextmanager.googleapis.com/accessPolicies/p9/servicePerimeters/prod"] != TypeServicePerimeter {
		t.Errorf("a perimeter is not listed among the types read for facts: %v", res.Unsupported)
	}
	added, _ := Finalize(res.Resources)
	got := map[string]string{}
	for _, r := range append(res.Resources, added...) {
		if r.Class != resource.ClassAccount {
			continue
		}
		v := "unknown"
		if c := r.Facts.Account.CIS; c != nil && c.VPCServiceControls != nil {
			v = show(c.VPCServiceControls) + fmt.Sprint(c.VPCServicePerimeters)
		}
		got[r.Account] = v
	}
	want := map[string]string{"p1": "true[prod]", "p2": "false[]", "p3": "false[]", "p4": "false[]", "p5": "unknown",
		"p6": "true[api]", "p7": "unknown", "p8": "false[]"}
	for p, w := range want {
		if got[p] != w {
			t.Errorf("project %s: %s, want %s", p, got[p], w)
		}
	}
	if keys := slices.Sorted(maps.Keys(got)); len(keys) != len(want) {
		t.Errorf("projects %v", keys)
	}
}
