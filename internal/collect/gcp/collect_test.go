package gcpcollect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/collect/gcp/gcptest"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// faultyFake is the test organization with a fault on most of its
// projects: throttling then success, an internal error, denials, a
// disabled API, a page token loop, a denied audit-config read, a listing
// that never answers and denied Access Approval settings (no file: unknown).
func faultyFake(t *testing.T) *gcptest.Server {
	f := load(t, filepath.Join("testdata", "server"))
	f.Faults["SearchOrganizations"] = []error{gcptest.Throttled(), nil}
	f.Faults["ListAssets projects/200000000001 IAM_POLICY"] = []error{gcptest.Throttled(), gcptest.Throttled(), nil}
	f.Faults["ListAssets projects/200000000002 IAM_POLICY"] = []error{gcptest.Internal()}
	f.Faults["ListAssets projects/200000000003 RESOURCE"] = []error{gcptest.Denied()}
	f.Faults["ListAssets projects/200000000003 IAM_POLICY"] = []error{gcptest.Denied()}
	f.Faults["ListAssets projects/200000000004 RESOURCE"] = []error{gcptest.ServiceDisabled("200000000004")}
	f.Faults["ListAssets projects/200000000004 IAM_POLICY"] = []error{gcptest.ServiceDisabled("200000000004")}
	f.Loops["ListAssets projects/200000000005 RESOURCE"] = true
	f.Faults["Projects.GetIamPolicy projects/200000000005"] = []error{gcptest.Denied()}
	f.Blocks["ListAssets projects/200000000006 RESOURCE"] = true
	f.Faults["GetAccessApprovalSettings projects/200000000002/accessApprovalSettings"] = []error{gcptest.Denied()}
	return f
}

// TestCollect runs the whole collector against the local server: the
// files it writes and the inventory imported from them against golden
// files, and the failures it recorded against the injected faults.
func TestCollect(t *testing.T) {
	f := faultyFake(t)
	opts := start(t, f)
	opts.CallTimeout = 300 * time.Millisecond
	dir := t.TempDir()
	rec := &collect.Recorder{}
	if err := Collect(context.Background(), opts, collect.Dir(dir), rec, nil); err != nil {
		t.Fatalf("Collect: %v", err)
	}

	testkit.GoldenTree(t, filepath.Join("testdata", "golden", "files"), readFiles(t, dir), *update)

	var fails bytes.Buffer
	for _, fl := range rec.Failures() {
		fails.WriteString(fl.String() + "\n")
	}
	testkit.Golden(t, filepath.Join("testdata", "golden", "failures.txt"), fails.Bytes(), *update)
	kinds := map[string]collect.Kind{}
	for _, fl := range rec.Failures() {
		kinds[fl.Account+" "+fl.Call] = fl.Kind
	}
	want := map[string]collect.Kind{
		"data-prod cloudasset.assets.listIamPolicy":       collect.Failed,
		"denied-proj cloudasset.assets.listResource":      collect.Denied,
		"denied-proj cloudasset.assets.listIamPolicy":     collect.Denied,
		"legacy-proj cloudasset.assets.listResource":      collect.Unsupported,
		"legacy-proj cloudasset.assets.listIamPolicy":     collect.Unsupported,
		"loop-proj cloudasset.assets.listResource":        collect.PaginationLoop,
		"loop-proj resourcemanager.projects.getIamPolicy": collect.Denied,
		"slow-proj cloudasset.assets.listResource":        collect.Timeout,
		"data-prod accessapproval.settings.get":           collect.Denied,
	}
	for k, kind := range want {
		if kinds[k] != kind {
			t.Errorf("failure %s: kind %q, want %q", k, kinds[k], kind)
		}
	}
	if len(kinds) != len(want) {
		t.Errorf("failures: %v, want exactly %v", kinds, want)
	}
	// Throttled calls were retried until they succeeded, each attempt counted.
	methods, attempts := counts(f, rec.Calls())
	if n := attempts["ListAssets projects/200000000001 IAM_POLICY"]; n != 4 { // 3 for the first page, 1 for the second
		t.Errorf("throttled listing: %d attempts, want 4", n)
	}
	if n := attempts["SearchOrganizations"]; n != 2 {
		t.Errorf("throttled organization search: %d attempts, want 2", n)
	}
	var served int64
	for _, n := range methods {
		served += int64(n)
	}
	if rec.Calls() != served {
		t.Errorf("recorder counted %d calls, the server answered %d", rec.Calls(), served)
	}

	inv, err := importer.Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, filepath.Join("testdata", "golden", "inventory.json"), inventoryView(t, inv, dir), *update)

	byID := map[string]*resource.Resource{}
	for _, r := range inv.Resources {
		byID[r.ID] = r
	}
	if b := byID["//storage.googleapis.com/web-prod-public-assets"]; b == nil || b.Facts.Storage == nil || b.Facts.Storage.PublicAccess == nil || !*b.Facts.Storage.PublicAccess {
		t.Errorf("the bucket granted to allUsers is not public: %+v", b)
	}
	if p := byID["//cloudresourcemanager.googleapis.com/projects/200000000001"]; p == nil || p.Facts.Account == nil || p.Facts.Account.AuditLogging == nil || !*p.Facts.Account.AuditLogging {
		t.Errorf("web-prod: the audit configuration read from Resource Manager is not in the inventory: %+v", p)
	}
	if byID["//compute.googleapis.com/projects/loop-proj/global/firewalls/never-listed"] != nil {
		t.Error("the listing went on past the page token loop")
	}
	if byID["//compute.googleapis.com/projects/loop-proj/global/firewalls/default-allow-rdp"] == nil {
		t.Error("the page that repeated a token was dropped")
	}
	if r := byID["//compute.googleapis.com/projects/web-prod/global/firewalls/allow-ssh-anywhere"]; r == nil || r.Source == "" || strings.Contains(r.Source, "organization-") {
		t.Errorf("the organization listing was not limited to its asset types: %+v", r)
	}
}

// readFiles returns the files under dir by slash-separated relative name.
func readFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	got := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// view is what the golden inventory compares of a resource.
type view struct {
	Provider resource.Provider `json:"provider"`
	Account  string            `json:"account"`
	Region   string            `json:"region"`
	Type     string            `json:"type"`
	ID       string            `json:"id"`
	Name     string            `json:"name"`
	Source   string            `json:"source,omitempty"`
	Class    resource.Class    `json:"class"`
	Facts    resource.Facts    `json:"facts"`
}

func views(inv *importer.Inventory, root string) []view {
	out := make([]view, 0, len(inv.Resources))
	for _, r := range inv.Resources {
		var srcs []string
		for _, s := range strings.Split(r.Source, ", ") {
			if rel, err := filepath.Rel(root, s); err == nil && s != "" {
				srcs = append(srcs, filepath.ToSlash(rel))
			}
		}
		src := strings.Join(srcs, ", ")
		out = append(out, view{r.Provider, r.Account, r.Region, r.Type, r.ID, r.Name, src, r.Class, r.Facts})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].ID != out[j].ID {
			return out[i].ID < out[j].ID
		}
		return out[i].Type < out[j].Type
	})
	return out
}

func inventoryView(t *testing.T, inv *importer.Inventory, root string) []byte {
	t.Helper()
	var errs []string
	for _, e := range inv.Errors {
		errs = append(errs, e.Err)
	}
	b, err := json.MarshalIndent(struct {
		Resources   int            `json:"resources"`
		Classes     map[string]int `json:"classes"`
		Files       map[string]int `json:"files"`
		Unsupported map[string]int `json:"unsupported,omitempty"`
		Errors      []string       `json:"errors,omitempty"`
		Skipped     int            `json:"skipped"`
		List        []view         `json:"list"`
	}{inv.Summary.Resources, inv.Classes, inv.Files, inv.Unsupported, errs, len(inv.Skipped), views(inv, root)}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// TestCollectScopes: the scopes given are listed in full, each into its
// directory, and a bad scope is refused before any call.
func TestCollectScopes(t *testing.T) {
	f := load(t, filepath.Join("testdata", "server"))
	opts := start(t, f)
	opts.Scope = []string{"organizations/100000000001", "projects/200000000002", "projects/200000000002"}
	var mem collect.Mem
	rec := &collect.Recorder{}
	if err := Collect(context.Background(), opts, &mem, rec, nil); err != nil {
		t.Fatal(err)
	}
	wantNames := []string{
		"gcp/200000000002/accessapproval.json", "gcp/200000000002/iam_policy.json", "gcp/200000000002/resource.json",
		"gcp/organization-100000000001/access_policy.json", "gcp/organization-100000000001/findings/scc-list-findings.json",
		"gcp/organization-100000000001/iam_policy.json", "gcp/organization-100000000001/resource.json",
	}
	if got := mem.Names(); !slices.Equal(got, wantNames) {
		t.Errorf("files %v, want %v", got, wantNames)
	}
	// In full: every type, project roles and the firewall included.
	if org := string(mem.File("gcp/organization-100000000001/resource.json")); !strings.Contains(org, "projects/web-prod/roles/deployer") || !strings.Contains(org, "compute.googleapis.com/Firewall") {
		t.Errorf("the organization scope was not listed in full:\n%s", org)
	}
	if methods, _ := counts(f, rec.Calls()); methods["/google.cloud.resourcemanager.v3.Projects/SearchProjects"] != 0 || methods["/google.cloud.resourcemanager.v3.Organizations/SearchOrganizations"] != 0 {
		t.Errorf("scopes were given, yet the collector searched: %v", methods)
	}
	if len(rec.Failures()) != 0 {
		t.Errorf("failures: %v", rec.Failures())
	}

	for _, bad := range []string{"project/x", "projects/", "projects/a/b", "web-prod"} {
		opts.Scope = []string{bad}
		err := Collect(context.Background(), opts, &mem, &collect.Recorder{}, nil)
		if err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("scope %q: error %v, want one naming it", bad, err)
		}
	}
}

// TestCollectNothing: no scope given and none visible is an error, not a
// silent success.
func TestCollectNothing(t *testing.T) {
	f := gcptest.New()
	opts := start(t, f)
	err := Collect(context.Background(), opts, &collect.Mem{}, &collect.Recorder{}, nil)
	if !errors.Is(err, ErrNoScope) {
		t.Errorf("err = %v, want ErrNoScope", err)
	}
}

// TestCredentials: missing credentials and refused ones each give one
// error naming the cloud and what to configure.
func TestCredentials(t *testing.T) {
	t.Run("missing", func(t *testing.T) {
		t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", filepath.Join(t.TempDir(), "missing.json"))
		t.Setenv("HOME", t.TempDir())
		t.Setenv("CLOUDSDK_CONFIG", t.TempDir())
		err := Collect(context.Background(), Options{Endpoint: "cloudasset.example.invalid:443", Scope: []string{"projects/p"}, CallTimeout: time.Second, MaxAttempts: 1}, &collect.Mem{}, &collect.Recorder{}, nil)
		if err == nil || !strings.HasPrefix(err.Error(), "gcp: no usable credentials") || !strings.Contains(err.Error(), "gcloud auth application-default login") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("refused", func(t *testing.T) {
		f := load(t, filepath.Join("testdata", "server"))
		f.Faults["SearchOrganizations"] = []error{gcptest.Unauthenticated()}
		f.Faults["SearchProjects"] = []error{gcptest.Unauthenticated()}
		opts := start(t, f)
		rec := &collect.Recorder{}
		err := Collect(context.Background(), opts, &collect.Mem{}, rec, nil)
		if !errors.Is(err, errCredentials) || !strings.Contains(err.Error(), "gcloud auth application-default login") {
			t.Errorf("err = %v", err)
		}
		if fs := rec.Failures(); len(fs) != 1 || fs[0].Kind != collect.Credentials || fs[0].Call != permSearchOrgs {
			t.Errorf("failures %v, want the one refused search", fs)
		}
		if methods, _ := counts(f, rec.Calls()); methods["/google.cloud.asset.v1.AssetService/ListAssets RESOURCE"] != 0 {
			t.Error("the collection went on with refused credentials")
		}
	})
}

func TestLoopback(t *testing.T) {
	for ep, want := range map[string]bool{
		"127.0.0.1:8080": true, "[::1]:443": true, "localhost:9": true, "127.0.0.2:1": true,
		"cloudasset.googleapis.com:443": false, "10.0.0.1:443": false, "localhost.example.com:443": false, "": false,
	} {
		if got := loopback(ep); got != want {
			t.Errorf("loopback(%q) = %v, want %v", ep, got, want)
		}
	}
}
