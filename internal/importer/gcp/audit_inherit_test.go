package gcp_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
)

// TestAuditConfigsInherited: IAM unions the audit configs of a project's
// folders and organization with its own, so a project with none of its own
// under an organization logging allServices is covered, a partial project
// config completed by a folder's is complete, and a project under nothing
// keeps its own (incomplete) configuration.
func TestAuditConfigsInherited(t *testing.T) {
	const crm = "//cloudresourcemanager.googleapis.com/"
	proj := func(num, id string, ancestors string, audit string) string {
		res := `{"name":"` + crm + `projects/` + num + `","asset_type":"cloudresourcemanager.googleapis.com/Project","resource":{"data":{"projectId":"` + id + `","projectNumber":"` + num + `"}},"ancestors":[` + ancestors + `]}`
		pol := `{"name":"` + crm + `projects/` + num + `","asset_type":"cloudresourcemanager.googleapis.com/Project","iam_policy":{"bindings":[]` + audit + `},"ancestors":[` + ancestors + `]}`
		return res + "\n" + pol
	}
	full := `,"audit_configs":[{"service":"allServices","audit_log_configs":[{"log_type":1},{"log_type":2},{"log_type":3}]}]`
	lines := []string{
		`{"name":"` + crm + `organizations/9","asset_type":"cloudresourcemanager.googleapis.com/Organization","resource":{"data":{"name":"organizations/9"}}}`,
		`{"name":"` + crm + `organizations/9","asset_type":"cloudresourcemanager.googleapis.com/Organization","iam_policy":{"bindings":[]` + full + `}}`,
		`{"name":"` + crm + `folders/5","asset_type":"cloudresourcemanager.googleapis.com/Folder","iam_policy":{"bindings":[],"audit_configs":[{"service":"allServices","audit_log_configs":[{"log_type":"DATA_READ"}]}]},"ancestors":["folders/5","organizations/8"]}`,
		proj("1", "under-org", `"projects/1","organizations/9"`, ""),
		proj("2", "folder-completes", `"projects/2","folders/5","organizations/8"`, `,"audit_configs":[{"service":"allServices","audit_log_configs":[{"log_type":"ADMIN_READ"},{"log_type":"DATA_WRITE"}]}]`),
		proj("3", "alone", `"projects/3","organizations/8"`, `,"audit_configs":[{"service":"allServices","audit_log_configs":[{"log_type":"ADMIN_READ"}]}]`),
		proj("4", "nothing", `"projects/4"`, ""),
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "assets.json"), []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	inv, err := importer.Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range inv.Errors {
		t.Errorf("input error: %v", e)
	}
	want := map[string]bool{"1": true, "2": true, "3": false, "4": false}
	seen := 0
	for _, r := range inv.Resources {
		num, ok := strings.CutPrefix(r.ID, crm+"projects/")
		if !ok {
			continue
		}
		if n, isConfig := strings.CutSuffix(num, "#auditConfigs"); isConfig {
			al := r.Facts.AuditLog
			if al == nil || al.AllServices == nil || *al.AllServices != want[n] {
				t.Errorf("project %s audit config: %+v, want all_services %v", n, al, want[n])
			}
			seen++
			continue
		}
		if _, tracked := want[num]; tracked {
			if a := r.Facts.Account; a == nil || a.AuditLogging == nil {
				t.Errorf("project %s: audit logging unknown", num)
			} else if num == "2" || num == "1" {
				if !*a.AuditLogging {
					t.Errorf("project %s: audit logging false, want true (inherited)", num)
				}
			}
		}
	}
	if seen != 4 {
		t.Errorf("%d project audit configs, want 4", seen)
	}
}
