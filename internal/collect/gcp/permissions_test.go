package gcpcollect

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect"
)

// rolesFile is the least-privilege list shipped in the repository.
var rolesFile = filepath.Join("..", "..", "..", "deploy", "permissions", "gcp-roles.txt")

// TestPermissionsCover: every RPC the collector made against the local
// server (with and without scopes, faults included) and every permission a
// failed call was named by is in deploy/permissions/gcp-roles.txt, granted
// by a role the file lists.
func TestPermissionsCover(t *testing.T) {
	file, err := os.Open(rolesFile)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	roles := map[string]bool{}
	perms := map[string]bool{}
	methods := map[string]string{} // "method content" -> permission
	sc := bufio.NewScanner(file)
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 0 || strings.HasPrefix(f[0], "#"):
		case f[0] == "role" && len(f) == 2:
			roles[f[1]] = true
		case f[0] == "permission" && len(f) == 5:
			if !roles[f[4]] {
				t.Errorf("%s:%d: role %s is not listed above", rolesFile, n, f[4])
			}
			key := f[1]
			if f[2] != "-" {
				key += " " + f[2]
			}
			methods[key] = f[3]
			perms[f[3]] = true
		default:
			t.Errorf("%s:%d: unexpected line %q", rolesFile, n, sc.Text())
		}
	}

	calls := map[string]int{}
	var failures []collect.Failure
	for _, scopes := range [][]string{nil, {"organizations/100000000001", "folders/300000000001", "projects/200000000001"}} {
		f := faultyFake(t)
		opts := start(t, f)
		opts.CallTimeout = 200 * time.Millisecond
		opts.Scope = scopes
		rec := &collect.Recorder{}
		if err := Collect(context.Background(), opts, &collect.Mem{}, rec, nil); err != nil {
			t.Fatal(err)
		}
		served, _ := counts(f, rec.Calls())
		for m, n := range served {
			calls[m] += n
		}
		failures = append(failures, rec.Failures()...)
	}
	for _, m := range []string{
		"/google.cloud.resourcemanager.v3.Organizations/SearchOrganizations",
		"/google.cloud.resourcemanager.v3.Projects/SearchProjects",
		"/google.cloud.asset.v1.AssetService/ListAssets RESOURCE",
		"/google.cloud.asset.v1.AssetService/ListAssets IAM_POLICY",
		"/google.cloud.resourcemanager.v3.Projects/GetIamPolicy",
	} {
		if calls[m] == 0 {
			t.Errorf("the test run never called %s: it does not exercise the collector", m)
		}
	}
	for m := range calls {
		if methods[m] == "" {
			t.Errorf("the collector called %s, which %s does not list", m, rolesFile)
		}
	}
	for _, fl := range failures {
		if !perms[fl.Call] {
			t.Errorf("failed call %s is named by a permission %s does not list", fl.Call, rolesFile)
		}
	}
	if !perms["serviceusage.services.use"] {
		t.Error("serviceusage.services.use (the quota project) is not listed")
	}
}
