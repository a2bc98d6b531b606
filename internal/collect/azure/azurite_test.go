package azurecollect

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"

	"github.com/vigil-sec/vigil/internal/collect"
)

// Azurite's well-known development account (documented, not a secret).
const (
	azuriteAccount = "devstoreaccount1"
	azuriteKey     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

// azurite returns the blob endpoint of a running Azurite (see
// scripts/azurite.sh), or skips the test. With AZURITE_BLOB_ENDPOINT set
// (CI sets it after starting Azurite) an Azurite that does not answer is
// a failure, not a skip; the variable also keeps go test's cache from
// replaying a skip.
func azurite(t *testing.T) string {
	t.Helper()
	ep := os.Getenv("AZURITE_BLOB_ENDPOINT")
	required := ep != ""
	if ep == "" {
		ep = "http://127.0.0.1:10000/" + azuriteAccount
	}
	u, err := url.Parse(ep)
	if err != nil {
		t.Fatalf("AZURITE_BLOB_ENDPOINT: %v", err)
	}
	c, err := net.DialTimeout("tcp", u.Host, time.Second)
	switch {
	case err != nil && required:
		t.Fatalf("AZURITE_BLOB_ENDPOINT is %s, where nothing answers: %v", ep, err)
	case err != nil:
		t.Skipf("Azurite is not running on %s (start it with scripts/azurite.sh start): %v", u.Host, err)
	}
	c.Close()
	return ep + "/"
}

// TestAzuriteBlobDataPlane: when ARM's blob service properties of an
// account are denied, the collector reads them from the storage data plane
// (a real one: Azurite) with BlobDataPlane, and the row it writes carries
// the delete retention set there; the ARM denial stays recorded.
func TestAzuriteBlobDataPlane(t *testing.T) {
	ep := azurite(t)
	ctx := context.Background()
	cred, err := azblob.NewSharedKeyCredential(azuriteAccount, azuriteKey)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := service.NewClientWithSharedKeyCredential(ep, cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.SetProperties(ctx, &service.SetPropertiesOptions{
		DeleteRetentionPolicy: &service.RetentionPolicy{Enabled: to.Ptr(true), Days: to.Ptr[int32](5)},
	}); err != nil {
		t.Fatalf("setting Azurite's blob service properties: %v", err)
	}

	// ARM lists the account and denies its blob service properties.
	acct := "/subscriptions/" + subA + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/" + azuriteAccount
	dir := t.TempDir()
	files := map[string]string{
		"subs.json": `{"value":[{"subscriptionId":"` + subA + `","tenantId":"` + tenantID + `","id":"/subscriptions/` + subA + `"}]}`,
		"rg.json": `{"totalRecords":1,"count":1,"resultTruncated":"false","data":[{"id":"` + acct + `","type":"microsoft.storage/storageaccounts","name":"` + azuriteAccount +
			`","subscriptionId":"` + subA + `","location":"eastus","properties":{"allowBlobPublicAccess":false}}]}`,
		"rg-empty.json": `{"totalRecords":0,"count":0,"data":[],"resultTruncated":"false"}`,
		"empty.json":    `{"value":[]}`,
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.CopyFS(filepath.Join(dir, "errors"), os.DirFS(filepath.Join("testdata", "server", "errors"))); err != nil {
		t.Fatal(err)
	}
	routes := map[string]route{
		"GET /subscriptions":                                                                                  {File: "subs.json"},
		"RG resources " + subA:                                                                                {File: "rg.json"},
		"RG resourcecontainers mg:" + tenantID + " " + subA:                                                   {File: "rg-empty.json"},
		"RG authorizationresources " + subA:                                                                   {File: "rg-empty.json"},
		"RG securityresources " + subA:                                                                        {File: "rg-empty.json"},
		"RG policyresources mg:" + tenantID + " " + subA:                                                      {File: "rg-empty.json"},
		"GET " + acct + "/blobServices":                                                                       {Status: []int{403}},
		"GET " + acct + "/blobServices/default/containers":                                                    {File: "empty.json"},
		"GET " + acct + "/fileServices":                                                                       {File: "empty.json"},
		"GET /subscriptions/" + subA + "/providers/Microsoft.Insights/diagnosticSettings":                     {File: "empty.json"},
		"GET /subscriptions/" + subA + "/providers/Microsoft.Security/pricings":                               {File: "empty.json"},
		"GET /subscriptions/" + subA + "/providers/Microsoft.Security/settings":                               {File: "empty.json"},
		"GET /subscriptions/" + subA + "/providers/Microsoft.Authorization/locks":                             {File: "empty.json"},
		"GET /subscriptions/" + subA + "/providers/Microsoft.Security/serverVulnerabilityAssessmentsSettings": {File: "empty.json"},
	}
	f := newFakeAzure(t, dir, routes)
	o := f.options()
	o.TenantID = "" // no Graph in this test
	o.BlobDataPlane = true
	o.BlobEndpoint = func(string) string { return ep }
	o.BlobKey = func(a string) string {
		if a == azuriteAccount {
			return azuriteKey
		}
		return ""
	}
	mem := &collect.Mem{}
	rec := collect.NewRecorder(nil)
	c, err := newCollector(o, mem, rec, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.batch(ctx, []subscription{{id: subA, tenant: tenantID}})
	c.wg.Wait()

	var got struct{ Value []map[string]any }
	if err := json.Unmarshal(mem.File("azure/"+subA+"/blobservices.json"), &got); err != nil {
		t.Fatalf("blobservices.json: %v (files %v, failures %v)", err, mem.Names(), rec.Failures())
	}
	if len(got.Value) != 1 {
		t.Fatalf("blobservices.json has %d rows, want 1", len(got.Value))
	}
	row := got.Value[0]
	if row["id"] != acct+"/blobServices/default" || row["type"] != "Microsoft.Storage/storageAccounts/blobServices" {
		t.Errorf("row identity: %v", row)
	}
	props, _ := row["properties"].(map[string]any)
	drp, _ := props["deleteRetentionPolicy"].(map[string]any)
	if drp["enabled"] != true || drp["days"] != float64(5) {
		t.Errorf("deleteRetentionPolicy = %v, want enabled for 5 days as set in Azurite", drp)
	}
	if v, ok := props["isVersioningEnabled"]; !ok || v != nil {
		t.Errorf("isVersioningEnabled = %v (present %v), want null: the data plane does not know it", v, ok)
	}
	fails := rec.Failures()
	if len(fails) != 1 || fails[0].Kind != collect.Denied || fails[0].Call != "Microsoft.Storage/storageAccounts/blobServices/read" {
		t.Errorf("failures = %v, want the ARM denial only", fails)
	}
	if !bytes.Contains(mem.File("azure/"+subA+"/resources.json"), []byte(azuriteAccount)) {
		t.Error("resources.json not written")
	}

	// A data-plane call that fails too is recorded with the account.
	o.BlobKey = func(string) string { return "bm90LXRoZS1rZXk=" }
	rec = collect.NewRecorder(nil)
	mem = &collect.Mem{}
	if c, err = newCollector(o, mem, rec, nil); err != nil {
		t.Fatal(err)
	}
	c.batch(ctx, []subscription{{id: subA, tenant: tenantID}})
	c.wg.Wait()
	if !slices.ContainsFunc(rec.Failures(), func(fl collect.Failure) bool {
		return fl.Call == blobDataPlaneCall && fl.Resource == acct && fl.Kind == collect.Denied
	}) {
		t.Errorf("no denied data-plane failure with a wrong key in %v", rec.Failures())
	}
	if mem.File("azure/"+subA+"/blobservices.json") != nil {
		t.Error("blobservices.json written although both reads failed")
	}
}
