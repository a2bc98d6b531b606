package azurecollect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/collect"
	"github.com/vigil-sec/vigil/internal/collect/azure/azuretest"
	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

const (
	tenantID = azuretest.TenantID
	subA     = "aaaaaaaa-0000-4000-8000-000000000001"
	subB     = "bbbbbbbb-0000-4000-8000-000000000002"
)

// run collects from the fake clouds into a Mem sink.
func run(t testing.TB, f *fakeAzure, opts Options) (*collect.Mem, *collect.Recorder, error) {
	t.Helper()
	mem := &collect.Mem{}
	rec := collect.NewRecorder(nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := Collect(ctx, opts, mem, rec, nil)
	return mem, rec, err
}

// TestCollect runs the whole collector against the fake ARM, Resource
// Graph and Microsoft Graph, compares the files written with
// testdata/golden/files, the failures recorded with
// testdata/golden/failures.txt, and the inventory imported from the files
// with testdata/golden/inventory.json.
func TestCollect(t *testing.T) {
	f := newFakeAzure(t, filepath.Join("testdata", "server"), loadRoutes(t))
	mem, rec, err := run(t, f, f.options())
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}

	// 1. The files, against the golden ones.
	goldenDir := filepath.Join("testdata", "golden", "files")
	if *update {
		if err := os.RemoveAll(goldenDir); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range mem.Names() {
		p := filepath.Join(goldenDir, filepath.FromSlash(name))
		got := bytes.ReplaceAll(mem.File(name), []byte(f.URL), []byte("{{base}}")) // next links name the server
		if *update {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(p)
		if err != nil {
			t.Errorf("%s written, not in the golden files (run with -update after checking it): %v", name, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (run with -update after checking the change)", name, p)
		}
	}
	var goldenNames []string
	_ = filepath.WalkDir(goldenDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(goldenDir, p)
			goldenNames = append(goldenNames, filepath.ToSlash(rel))
		}
		return nil
	})
	for _, n := range goldenNames {
		if mem.File(n) == nil {
			t.Errorf("golden file %s was not written", n)
		}
	}

	// 2. Every denied, throttled and failing call is in the failures, and
	// nothing else.
	var fails strings.Builder
	for _, fl := range rec.Failures() {
		fails.WriteString(fl.String() + "\n")
	}
	testkit.Golden(t, filepath.Join("testdata", "golden", "failures.txt"), []byte(fails.String()), *update)
	for _, want := range []struct {
		kind collect.Kind
		call string
	}{
		{collect.Denied, "Microsoft.KeyVault/vaults/secrets/read"},
		{collect.Denied, "Microsoft.Storage/storageAccounts/blobServices/read"},
		{collect.Denied, "GET /identity/conditionalAccess/policies"},
		{collect.Throttled, "GET /servicePrincipals"},
		{collect.Failed, "Microsoft.Sql/servers/auditingSettings/read"},
	} {
		if !slices.ContainsFunc(rec.Failures(), func(fl collect.Failure) bool { return fl.Kind == want.kind && fl.Call == want.call }) {
			t.Errorf("no %s failure of %s in\n%s", want.kind, want.call, fails.String())
		}
	}
	// A 429 then a 200 is no failure, and its data is there.
	for _, fl := range rec.Failures() {
		if strings.Contains(fl.Call, "keys") || strings.Contains(fl.Err, "authorizationresources") {
			t.Errorf("a call throttled once then answered is recorded as failed: %s", fl)
		}
	}
	if !bytes.Contains(mem.File("azure/"+subA+"/keyvaultkeys.json"), []byte("cmk-storage")) {
		t.Error("the key vault keys answered after a 429 are not written")
	}
	requests := 0
	for _, r := range f.Requests() {
		if !strings.HasSuffix(r, "(batched)") {
			requests++
		}
	}
	if rec.Calls() != int64(requests) {
		t.Errorf("recorded %d calls, the servers saw %d requests", rec.Calls(), requests)
	}
	// Denied Graph listings are left out of the export, the others are in,
	// paged ones as the list of their pages; /users with signInActivity
	// denied is asked again without it.
	var entra entraExport
	if err := json.Unmarshal(mem.File("azure/entra-"+tenantID+".json"), &entra); err != nil {
		t.Fatalf("entra export: %v", err)
	}
	if _, ok := entra.Responses["/identity/conditionalAccess/policies"]; ok {
		t.Error("a denied Graph listing is in the export")
	}
	pages, _ := entra.Responses["/users?$select="+userFields].([]any)
	if len(pages) != 2 {
		t.Errorf("/users has %d pages, want the 2 served", len(pages))
	}
	if _, ok := entra.Responses["/users?$select="+userFields+",signInActivity"]; ok {
		t.Error("the denied /users request is in the export")
	}
	if !slices.ContainsFunc(rec.Failures(), func(fl collect.Failure) bool {
		return fl.Kind == collect.Denied && fl.Call == "GET /users?$select="+userFields+",signInActivity"
	}) {
		t.Error("the denied signInActivity is not recorded")
	}

	// 3. The inventory imported from the files, against the golden summary.
	dir := t.TempDir()
	for _, name := range mem.Names() {
		if err := collect.Dir(dir).Write(context.Background(), name, mem.File(name)); err != nil {
			t.Fatal(err)
		}
	}
	// The subscriptions' files against the golden inventory; the Entra ID
	// export (another importer's, still moving) imported alone, cleanly.
	inv, err := importer.Load(context.Background(), []string{filepath.Join(dir, "azure", subA), filepath.Join(dir, "azure", subB),
		filepath.Join(dir, "azure", "tenant-"+tenantID)})
	if err != nil {
		t.Fatalf("importing the collected files: %v", err)
	}
	if len(inv.Errors) > 0 {
		t.Errorf("the collected files have input problems: %v", inv.Errors)
	}
	testkit.Golden(t, filepath.Join("testdata", "golden", "inventory.json"), testkit.InventoryJSON(t, inv, dir), *update)
	entraInv, err := importer.Load(context.Background(), []string{filepath.Join(dir, "azure", "entra-"+tenantID+".json")})
	if err != nil {
		t.Fatalf("importing the Entra ID export: %v", err)
	}
	if len(entraInv.Errors) > 0 {
		t.Errorf("the Entra ID export has input problems: %v", entraInv.Errors)
	}
	if len(entraInv.Skipped) > 0 {
		t.Logf("the Entra ID export is not read by any importer yet: %v", entraInv.Skipped)
	} else if len(entraInv.Resources) == 0 {
		t.Error("the Entra ID export gives no resource")
	}

	// Facts a denied call would have given stay unknown, never false.
	byID := map[string]*resource.Resource{}
	exact := map[string]bool{}
	for _, r := range inv.Resources {
		byID[strings.ToLower(r.ID)] = r
		exact[r.ID] = true
	}
	// A failure about a resource names it by the ID the importer gives it,
	// so that collect.Annotate finds the findings it leaves unknown.
	for _, fl := range rec.Failures() {
		if fl.Resource != "" && fl.Account != tenantID && !exact[fl.Resource] {
			t.Errorf("failure names %s, not a resource ID of the inventory", fl.Resource)
		}
	}
	dev := byID["/subscriptions/"+subB+"/resourcegroups/rg-dev/providers/microsoft.storage/storageaccounts/stdevshare"]
	if dev == nil || dev.Facts.Storage == nil {
		t.Fatal("stdevshare not imported")
	}
	if dev.Facts.Storage.Versioning != nil {
		t.Errorf("stdevshare versioning = %v although its blob service properties were denied", *dev.Facts.Storage.Versioning)
	}
	prod := byID["/subscriptions/"+subA+"/resourcegroups/rg-prod/providers/microsoft.storage/storageaccounts/stprodlogs"]
	if prod == nil || prod.Facts.Storage == nil || prod.Facts.Storage.Versioning == nil || !*prod.Facts.Storage.Versioning {
		t.Error("stprodlogs versioning not true from its blob service properties")
	}
}

// TestProgress: one unit per subscription and Resource Graph table, one
// per subscription for the ARM calls after them, one per Entra ID listing
// and one per diagnostic settings listing of the tenant, one for the MCSB
// initiative's definition; all done at the end, the failures counted.
func TestProgress(t *testing.T) {
	f := newFakeAzure(t, filepath.Join("testdata", "server"), loadRoutes(t))
	var tty bytes.Buffer
	prog := collect.NewProgress(&tty, nil, time.Hour)
	rec := collect.NewRecorder(prog)
	if err := Collect(context.Background(), f.options(), &collect.Mem{}, rec, prog); err != nil {
		t.Fatal(err)
	}
	prog.Stop()
	units := len(tables) + 2 + len(entraLists) + len(tenantDiagnostics) + 1 // one batch of the 2 subscriptions
	want := fmt.Sprintf("\rcollecting: %d/%d done, %d failed calls\n", units, units, len(rec.Failures()))
	if tty.String() != want {
		t.Errorf("progress %q, want %q", tty.String(), want)
	}
}

// TestDefaultCredential: with no Credential, azidentity's default chain
// gets tokens from the token authority (here the environment's client
// secret, the first link of the chain), one per audience; a secret the
// authority refuses is the one no-credentials error.
func TestDefaultCredential(t *testing.T) {
	t.Setenv("AZURE_TENANT_ID", tenantID)
	t.Setenv("AZURE_CLIENT_ID", azuretest.ClientID)
	t.Setenv("AZURE_CLIENT_SECRET", azuretest.ClientSecret)
	f := newFakeAzure(t, filepath.Join("testdata", "server"), loadRoutes(t))
	o := f.options()
	o.Credential = nil
	o.AuthorityHost = f.URL
	mem, rec, err := run(t, f, o)
	if err != nil {
		t.Fatal(err)
	}
	if mem.File("azure/"+subA+"/resources.json") == nil || mem.File("azure/entra-"+tenantID+".json") == nil {
		t.Errorf("files written: %v", mem.Names())
	}
	var tokens []string
	for _, r := range f.Requests() {
		if s, ok := strings.CutPrefix(r, "TOKEN "); ok {
			tokens = append(tokens, s)
		}
	}
	if len(tokens) == 0 || len(tokens) > 4 {
		t.Errorf("token requests %v: want one per audience, cached", tokens)
	}
	for _, fl := range rec.Failures() {
		if fl.Kind == collect.Credentials {
			t.Errorf("credential failure: %s", fl)
		}
	}

	t.Setenv("AZURE_CLIENT_SECRET", "wrong")
	f = newFakeAzure(t, filepath.Join("testdata", "server"), loadRoutes(t))
	o = f.options()
	o.Credential = nil
	o.AuthorityHost = f.URL
	_, _, err = run(t, f, o)
	if !errors.Is(err, errNoCredentials) || !strings.Contains(err.Error(), "AADSTS7000215") {
		t.Errorf("error = %v, want no usable credentials naming the authority's answer", err)
	}
}

// TestEndpointAndCAFile: the way vigil's CLI reaches a test server: one
// endpoint for every service, its certificate in a file, the client
// secret in the environment; a CA file that is not PEM is an error naming
// it.
func TestEndpointAndCAFile(t *testing.T) {
	t.Setenv("AZURE_TENANT_ID", tenantID)
	t.Setenv("AZURE_CLIENT_ID", azuretest.ClientID)
	t.Setenv("AZURE_CLIENT_SECRET", azuretest.ClientSecret)
	f := newFakeAzure(t, filepath.Join("testdata", "server"), loadRoutes(t))
	ca, err := f.CAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Endpoint: f.URL, CAFile: ca, RetryDelay: time.Millisecond}
	mem, rec, err := run(t, f, o)
	if err != nil {
		t.Fatal(err)
	}
	if mem.File("azure/"+subA+"/resources.json") == nil || mem.File("azure/entra-"+tenantID+".json") == nil {
		t.Errorf("files written: %v, failures %v", mem.Names(), rec.Failures())
	}
	bad := filepath.Join(t.TempDir(), "bad.pem")
	if err := os.WriteFile(bad, []byte("not a certificate"), 0o644); err != nil {
		t.Fatal(err)
	}
	o.CAFile = bad
	if _, _, err := run(t, f, o); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("error = %v, want one naming %s", err, bad)
	}
}

// TestNoCredentials: a credential that gets no token gives one error
// naming the cloud and what to configure, and no call is recorded as a
// failure of its own.
func TestNoCredentials(t *testing.T) {
	f := newFakeAzure(t, filepath.Join("testdata", "server"), nil)
	o := f.options()
	o.Credential = azuretest.StaticToken{Err: errors.New("DefaultAzureCredential: failed to acquire a token.\nAttempted credentials:\n\tEnvironmentCredential: missing environment variable AZURE_TENANT_ID")}
	_, rec, err := run(t, f, o)
	if !errors.Is(err, errNoCredentials) {
		t.Fatalf("error = %v, want one wrapping errNoCredentials", err)
	}
	for _, want := range []string{"azure: no usable credentials", "az login", "AZURE_CLIENT_ID", "DefaultAzureCredential: failed to acquire a token."} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "\n") {
		t.Errorf("error spans several lines: %q", err)
	}
	if len(f.Requests()) != 0 {
		t.Errorf("requests made without a token: %v", f.Requests())
	}
	if len(rec.Failures()) != 0 {
		t.Errorf("failures recorded besides the error: %v", rec.Failures())
	}
}

// TestPaginationLoop: a $skipToken, nextLink or @odata.nextLink returned
// twice ends that listing as a pagination loop, and the rest goes on.
func TestPaginationLoop(t *testing.T) {
	sub := `{"value":[{"subscriptionId":"` + subA + `","tenantId":"` + tenantID + `","id":"/subscriptions/` + subA + `"}]}`
	dir := t.TempDir()
	files := map[string]string{
		"subs.json":     sub,
		"rg-loop.json":  `{"totalRecords":9,"count":1,"data":[{"id":"/subscriptions/` + subA + `/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/s","type":"microsoft.storage/storageaccounts","name":"s","properties":{}}],"resultTruncated":"false","$skipToken":"same"}`,
		"rg-empty.json": `{"totalRecords":0,"count":0,"data":[],"resultTruncated":"false"}`,
		"rg-trunc.json": `{"totalRecords":3,"count":1,"data":[{"id":"/subscriptions/` + subA + `/providers/Microsoft.Security/pricings/VirtualMachines","type":"microsoft.security/pricings","name":"VirtualMachines","properties":{"pricingTier":"Free"}}],"resultTruncated":"true"}`,
		"arm-loop.json": `{"value":[{"id":"/subscriptions/` + subA + `/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/s/blobServices/default/containers/c","type":"Microsoft.Storage/storageAccounts/blobServices/containers","name":"c","properties":{"publicAccess":"None"}}],` +
			`"nextLink":"{{base}}/subscriptions/` + subA + `/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/s/blobServices/default/containers?api-version=2023-05-01&$skipToken=again"}`,
		"empty.json":      `{"value":[]}`,
		"graph-loop.json": `{"value":[{"id":"u1"}],"@odata.nextLink":"{{base}}/v1.0/users?$skiptoken=again"}`,
		"graph-one.json":  `{"value":[{"id":"g1"}]}`,
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.CopyFS(filepath.Join(dir, "errors"), os.DirFS(filepath.Join("testdata", "server", "errors"))); err != nil {
		t.Fatal(err)
	}
	acct := "/subscriptions/" + subA + "/resourceGroups/r/providers/Microsoft.Storage/storageAccounts/s"
	routes := map[string]route{
		"GET /subscriptions":                                                                                  {File: "subs.json"},
		"RG resources " + subA:                                                                                {File: "rg-loop.json"},
		"RG resources " + subA + " same":                                                                      {File: "rg-loop.json"},
		"RG resourcecontainers mg:" + tenantID + " " + subA:                                                   {Status: []int{403}},
		"RG resourcecontainers " + subA:                                                                       {File: "rg-empty.json"},
		"RG authorizationresources " + subA:                                                                   {File: "rg-empty.json"},
		"RG securityresources " + subA:                                                                        {File: "rg-trunc.json"},
		"RG policyresources mg:" + tenantID + " " + subA:                                                      {File: "rg-empty.json"},
		"GET " + acct + "/blobServices":                                                                       {File: "empty.json"},
		"GET " + acct + "/blobServices/default/containers":                                                    {File: "arm-loop.json"},
		"GET " + acct + "/blobServices/default/containers again":                                              {File: "arm-loop.json"},
		"GET " + acct + "/fileServices":                                                                       {File: "empty.json"},
		"GET /subscriptions/" + subA + "/providers/Microsoft.Insights/diagnosticSettings":                     {File: "empty.json"},
		"GET /subscriptions/" + subA + "/providers/Microsoft.Security/pricings":                               {File: "empty.json"},
		"GET /subscriptions/" + subA + "/providers/Microsoft.Security/settings":                               {File: "empty.json"},
		"GET /subscriptions/" + subA + "/providers/Microsoft.Authorization/locks":                             {File: "empty.json"},
		"GET /subscriptions/" + subA + "/providers/Microsoft.Security/serverVulnerabilityAssessmentsSettings": {File: "empty.json"},
		"GET /v1.0/users":           {File: "graph-loop.json"},
		"GET /v1.0/users again":     {File: "graph-loop.json"},
		"GET " + mcsbDefinitionPath: {File: "empty.json"},
	}
	for _, l := range entraLists[1:] {
		routes["GET /v1.0"+l.path] = route{File: "empty.json"}
	}
	for _, d := range tenantDiagnostics {
		routes["GET "+d.path] = route{File: "empty.json"}
	}
	f := newFakeAzure(t, dir, routes)
	mem, rec, err := run(t, f, f.options())
	if err != nil {
		t.Fatal(err)
	}
	var loops []string
	truncated, deniedMG := false, false
	for _, fl := range rec.Failures() {
		switch {
		case fl.Kind == collect.PaginationLoop:
			loops = append(loops, fl.Call)
		case fl.Kind == collect.Failed && strings.HasPrefix(fl.Err, "securityresources table") && strings.Contains(fl.Err, "truncated at 1 of 3"):
			truncated = true
		case fl.Kind == collect.Denied && fl.Call == graphCall && strings.HasPrefix(fl.Err, "resourcecontainers table (management group"):
			deniedMG = true
			truncated = true
		default:
			t.Errorf("unexpected failure: %s", fl)
		}
	}
	// A truncated result is not written (one Free plan would read as all
	// of them), and the Defender plans are asked of ARM instead.
	if !truncated {
		t.Error("the truncated securityresources result is not a failure")
	}
	// The tenant root group denied, resourcecontainers comes from the
	// subscription scope.
	if !deniedMG || mem.File("azure/"+subA+"/resourcecontainers.json") == nil {
		t.Errorf("resourcecontainers: denial at the tenant root recorded %v, file %v", deniedMG, mem.Names())
	}
	if mem.File("azure/"+subA+"/securityresources.json") != nil {
		t.Error("a truncated securityresources result is written")
	}
	slices.Sort(loops)
	want := []string{"GET /users", graphCall, "Microsoft.Storage/storageAccounts/blobServices/containers/read"}
	if !slices.Equal(loops, want) {
		t.Errorf("pagination loops in %v, want %v", loops, want)
	}
	// The resources that came before the loop are kept; the containers and
	// users, part of a listing, are not (they would read as all of it).
	if !bytes.Contains(mem.File("azure/"+subA+"/resources.json"), []byte("storageAccounts/s")) {
		t.Error("the rows before the loop are not written")
	}
	if mem.File("azure/"+subA+"/blobcontainers.json") != nil {
		t.Error("part of a container listing is written")
	}
	var entra entraExport
	if err := json.Unmarshal(mem.File("azure/entra-"+tenantID+".json"), &entra); err != nil {
		t.Fatal(err)
	}
	for k := range entra.Responses {
		if strings.HasPrefix(k, "/users") {
			t.Errorf("part of /users is in the export: %s", k)
		}
	}
	if _, ok := entra.Responses["/groups"]; !ok {
		t.Error("the listings after the loop are missing")
	}
}

// TestTimeout: a call slower than CallTimeout is a timeout failure and the
// others go on.
func TestTimeout(t *testing.T) {
	routes := loadRoutes(t)
	r := routes["GET /v1.0/applications"]
	r.Delay = 30 * time.Second
	routes["GET /v1.0/applications"] = r
	f := newFakeAzure(t, filepath.Join("testdata", "server"), routes)
	o := f.options()
	o.CallTimeout = time.Second
	o.MaxRetries = -1
	mem, rec, err := run(t, f, o)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(rec.Failures(), func(fl collect.Failure) bool {
		return fl.Kind == collect.Timeout && fl.Call == "GET /applications"
	}) {
		t.Errorf("no timeout of GET /applications in %v", rec.Failures())
	}
	if mem.File("azure/"+subA+"/resources.json") == nil {
		t.Error("the other calls did not go on")
	}
}

// TestSubscriptionFilter: Options.Subscriptions limits the collection; a
// subscription asked for that the identity cannot see is a denied
// failure; when the listing itself fails, the given ones are collected.
func TestSubscriptionFilter(t *testing.T) {
	routes := loadRoutes(t)
	for k, r := range routes {
		if strings.HasPrefix(k, "RG ") && strings.Contains(k, subA+","+subB) {
			routes[strings.Replace(k, subA+","+subB, subA, 1)] = r
			routes[strings.Replace(k, subA+","+subB, subB, 1)] = r
		}
	}
	f := newFakeAzure(t, filepath.Join("testdata", "server"), routes)
	o := f.options()
	o.Subscriptions = []string{strings.ToUpper(subB), "cccccccc-0000-4000-8000-000000000003"}
	mem, rec, err := run(t, f, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range mem.Names() {
		if strings.Contains(n, subA) {
			t.Errorf("%s written for a subscription not asked for", n)
		}
	}
	if mem.File("azure/"+subB+"/resources.json") == nil {
		t.Error("the subscription asked for is not collected")
	}
	if !slices.ContainsFunc(rec.Failures(), func(fl collect.Failure) bool {
		return fl.Account == "cccccccc-0000-4000-8000-000000000003" && fl.Kind == collect.Denied
	}) {
		t.Errorf("no denied failure for the subscription the identity cannot see: %v", rec.Failures())
	}

	routes["GET /subscriptions"] = route{Status: []int{403}}
	f = newFakeAzure(t, filepath.Join("testdata", "server"), routes)
	o = f.options()
	o.Subscriptions = []string{subA}
	o.TenantID = tenantID
	mem, rec, err = run(t, f, o)
	if err != nil {
		t.Fatal(err)
	}
	if mem.File("azure/"+subA+"/resources.json") == nil || mem.File("azure/entra-"+tenantID+".json") == nil {
		t.Errorf("the given subscription and tenant are not collected: %v", mem.Names())
	}
	if !slices.ContainsFunc(rec.Failures(), func(fl collect.Failure) bool {
		return fl.Call == "Microsoft.Resources/subscriptions/read" && fl.Kind == collect.Denied
	}) {
		t.Errorf("the failed listing is not recorded: %v", rec.Failures())
	}

	// Without subscriptions given, a failed listing stops the collection.
	o.Subscriptions = nil
	if _, _, err := run(t, f, o); err == nil || !strings.Contains(err.Error(), "listing subscriptions") {
		t.Errorf("error = %v", err)
	}
}

// TestCancel: a cancelled collection returns the context's error and
// records no failure for the calls it cut.
func TestCancel(t *testing.T) {
	routes := loadRoutes(t)
	for k, r := range routes {
		r.Delay = 5 * time.Second
		routes[k] = r
	}
	routes["GET /subscriptions"] = route{File: "arm/subscriptions.json"}
	f := newFakeAzure(t, filepath.Join("testdata", "server"), routes)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	rec := collect.NewRecorder(nil)
	err := Collect(ctx, f.options(), &collect.Mem{}, rec, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want the context's", err)
	}
	if fs := rec.Failures(); len(fs) > 0 {
		t.Errorf("failures recorded for a cancelled collection: %v", fs)
	}
}
