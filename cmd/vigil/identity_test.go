package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/testkit"
)

// runIdentity runs vigil in-process and returns its exit status, stdout
// and stderr.
func runIdentity(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	dir := t.TempDir()
	out, _ := os.Create(filepath.Join(dir, "stdout"))
	errf, _ := os.Create(filepath.Join(dir, "stderr"))
	oldOut, oldErr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = out, errf
	code := run(context.Background(), append([]string{"identity"}, args...))
	os.Stdout, os.Stderr = oldOut, oldErr
	out.Close()
	errf.Close()
	o, _ := os.ReadFile(filepath.Join(dir, "stdout"))
	e, _ := os.ReadFile(filepath.Join(dir, "stderr"))
	return code, string(o), string(e)
}

const entraAndOrg = "../../docs/formats/examples"

func TestIdentityWhoCan(t *testing.T) {
	code, out, errs := runIdentity(t, "who-can", "iam:CreateAccessKey", "arn:aws:iam::111122223333:user/alice.nguyen", sampleOrg)
	if code != 0 || !strings.Contains(out, "arn:aws:iam::111122223333:user/dave.martin") || strings.Contains(out, "alice.nguyen ") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runIdentity(t, "who-can", "iam.serviceAccounts.actAs", "//iam.googleapis.com/projects/nw-analytics-prod/serviceAccounts/115435410670623023850", sampleOrg, "--format", "json")
	var hs []struct {
		Principal, Result string
	}
	if err := json.Unmarshal([]byte(out), &hs); code != 0 || err != nil || len(hs) == 0 {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	found := false
	for _, h := range hs {
		found = found || (h.Principal == "user:tom.becker@northwind-analytics.com" && h.Result == "allowed")
	}
	if !found {
		t.Errorf("tom.becker (Editor) not among %v", hs)
	}
}

func TestIdentityNothingMatched(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		msg  string
	}{
		{"who-can nobody", []string{"who-can", "nosuch.permission.exists", "projects/nw-analytics-prod", sampleOrg}, "no principal may perform"},
		{"who-can no cloud", []string{"who-can", "x", "bucket", sampleOrg}, "cannot tell the cloud"},
		{"what-can unknown", []string{"what-can", "nobody", sampleOrg}, `no principal "nobody"`},
		{"paths from a principal without any", []string{"paths", sampleOrg, "--from", "alice.nguyen"}, "no escalation path"},
		{"paths bad format", []string{"paths", sampleOrg, "--format", "png"}, "unknown --format"},
		{"missing input", []string{"paths", "no/such/dir"}, "no such file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runIdentity(t, c.args...)
			if code != exitUsage || !strings.Contains(errs, c.msg) {
				t.Errorf("exit %d, stderr %q, stdout %q", code, errs, out)
			}
		})
	}
}

func TestIdentityWhatCan(t *testing.T) {
	code, out, errs := runIdentity(t, "what-can", "tom.becker", sampleOrg)
	if code != 0 || !strings.Contains(out, "Editor") || !strings.Contains(out, "act_as") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = runIdentity(t, "what-can", "arn:aws:iam::111122223333:user/alice.nguyen", sampleOrg, "-f", "json")
	var v struct {
		Principal struct{ ID string }
		Access    []struct{ Action, Result string }
	}
	if err := json.Unmarshal([]byte(out), &v); code != 0 || err != nil || v.Principal.ID != "arn:aws:iam::111122223333:user/alice.nguyen" || len(v.Access) == 0 {
		t.Fatalf("exit %d, %v: %.300s", code, err, out)
	}
}

// TestIdentityPathsGolden compares the escalation paths of the sample
// organization and the documented Entra ID and AWS Organizations examples
// with testdata/identity-paths.golden.json
// (go test ./cmd/vigil -run IdentityPathsGolden -update).
func TestIdentityPathsGolden(t *testing.T) {
	code, out, errs := runIdentity(t, "paths", sampleOrg, entraAndOrg, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	testkit.Golden(t, filepath.Join("testdata", "identity-paths.golden.json"), []byte(out), *update)
	// The cross-cloud-free but multi-step Entra path: GitHub Actions →
	// application → service principal (Application Administrator) →
	// credential on a Global Administrator service principal.
	if !strings.Contains(out, `"principal": "oidc:https://token.actions.githubusercontent.com"`) || !strings.Contains(out, "azure-app-credential-admin") {
		t.Errorf("the GitHub Actions path is missing")
	}
}

func TestIdentityPathsFormats(t *testing.T) {
	for format, prefix := range map[string]string{"text": "user:tom.becker@northwind-analytics.com → admin:", "dot": "digraph escalation {", "mermaid": "flowchart LR"} {
		code, out, errs := runIdentity(t, "paths", sampleOrg, "--from", "tom.becker", "--format", format)
		if code != 0 || !strings.HasPrefix(out, prefix) || !strings.Contains(out, "gcp-actas-compute") {
			t.Errorf("%s: exit %d, stderr %s\n%s", format, code, errs, out)
		}
	}
	code, out, errs := runIdentity(t, "paths", sampleOrg, "--to", "sa-terraform@nw-analytics-prod.iam.gserviceaccount.com")
	if code != 0 || !strings.Contains(out, "→ serviceAccount:sa-terraform@nw-analytics-prod.iam.gserviceaccount.com") {
		t.Errorf("--to a principal: exit %d, %s\n%s", code, errs, out)
	}
}

func TestIdentityAdmins(t *testing.T) {
	code, out, errs := runIdentity(t, "admins", sampleOrg)
	if code != 0 || !strings.Contains(out, "admin:aws-account/111122223333 (AWS account 111122223333)\n") ||
		!strings.Contains(out, "  arn:aws:iam::111122223333:user/dave.martin  allowed") ||
		!strings.Contains(out, "  user:priya.shah@northwind-analytics.com  allowed") || strings.Contains(out, "tom.becker") {
		t.Errorf("exit %d, %s\n%s", code, errs, out)
	}
}
