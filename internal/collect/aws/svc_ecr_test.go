package awscollect

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/collect"
)

// The repositories of testdata/more/ecr (us-east-1, two pages).
const (
	repoOrders   = "arn:aws:ecr:us-east-1:111122223333:repository/orders/api"    // policy: anyone may pull
	repoML       = "arn:aws:ecr:us-east-1:111122223333:repository/ml/notebooks"  // no policy
	repoPlatform = "arn:aws:ecr:us-east-1:111122223333:repository/platform/base" // policy: account 444455556666 may pull
)

// TestECRRepositories: collect, import, scan: the repositories (over two
// pages) with their policies give the registry facts, and registry-public
// (CIS AWS 2.21) fails the one anyone may pull from, passes the one
// without a policy and the one shared with a named account.
func TestECRRepositories(t *testing.T) {
	dir, fails, _ := collectMore(t, nil)
	for _, f := range fails {
		t.Errorf("unexpected failure: %s", f)
	}
	checkFacts(t, imported(t, dir), []factWant{
		{repoOrders, "registry.public", true}, {repoOrders, "registry.image_scanning", false},
		{repoOrders, "registry.tag_immutable", false}, {repoOrders, "registry.key_manager", "provider"},
		{repoML, "registry.public", false}, {repoML, "registry.image_scanning", true},
		{repoPlatform, "registry.public", false}, {repoPlatform, "registry.tag_immutable", true},
		{repoPlatform, "registry.key_manager", "customer"},
	})
	got := ruleStatuses(t, dir, "registry-public")
	for id, want := range map[string]string{repoOrders: "FAIL", repoML: "PASS", repoPlatform: "PASS"} {
		if got[id] != want {
			t.Errorf("registry-public on %s = %q, want %s", id, got[id], want)
		}
	}
}

// TestECRFaults: a repository whose policy could not be read is collected
// without one and registry-public says UNKNOWN for it, not PASS; a second
// page of repositories that failed keeps the first page's.
func TestECRFaults(t *testing.T) {
	dir, fails, _ := collectMore(t, func(r fakeReq) string {
		switch {
		case r.Key() == "ecr:GetRepositoryPolicy" && r.Resource == "orders_api":
			return "denied"
		case r.Key() == "ecr:DescribeRepositories" && r.Token == "r2":
			return "throttle"
		}
		return ""
	})
	var got []string
	for _, f := range fails {
		got = append(got, f.Call+" "+f.Resource+" "+string(f.Kind))
	}
	want := []string{"ecr:DescribeRepositories  " + string(collect.Throttled), "ecr:GetRepositoryPolicy " + repoOrders + " " + string(collect.Denied)}
	if len(got) == 2 && got[0] > got[1] {
		got[0], got[1] = got[1], got[0]
	}
	if mustJSON(got) != mustJSON(want) {
		t.Errorf("failures:\n got %v\nwant %v", got, want)
	}
	rs := imported(t, dir)
	if rs[repoPlatform] != nil {
		t.Errorf("%s imported although its page failed", repoPlatform)
	}
	checkFacts(t, rs, []factWant{{repoOrders, "registry.public", nil}, {repoOrders, "registry.image_scanning", false},
		{repoML, "registry.public", false}})
	if s := ruleStatuses(t, dir, "registry-public")[repoOrders]; s != "UNKNOWN" {
		t.Errorf("registry-public on %s, its policy denied = %q, want UNKNOWN", repoOrders, s)
	}
}
