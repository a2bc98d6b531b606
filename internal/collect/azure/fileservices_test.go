package azurecollect

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileServicesNotAskedOfBlobOnlyAccounts: the file service (CIS Azure
// 6.0 9.1.1-9.1.3) is listed for each storage account of the resources
// table except the blob-only kinds (BlobStorage, BlockBlobStorage), which
// have none: asking them would only record a failure.
func TestFileServicesNotAskedOfBlobOnlyAccounts(t *testing.T) {
	const page2 = "RG resources aaaaaaaa-0000-4000-8000-000000000001,bbbbbbbb-0000-4000-8000-000000000002 " +
		"ew0KICAiJGlkIjogIjEiLA0KICAiTWF4Um93cyI6IDIsDQogICJSb3dzVG9Ta2lwIjogMiwNCiAgIkt1c3RvQ2x1c3RlclVybCI6ICJodHRwczovL2FyZy1ldXMtc2l4LXNmLmFyZy5jb3JlLndpbmRvd3MubmV0Ig0KfQ=="
	routes := loadRoutes(t)
	r, ok := routes[page2]
	if !ok || r.File == "" {
		t.Fatalf("no second resources page in the routes: %+v", r)
	}
	data, err := os.ReadFile(filepath.Join("testdata", "server", r.File))
	if err != nil {
		t.Fatal(err)
	}
	var page map[string]any
	if err := json.Unmarshal(data, &page); err != nil {
		t.Fatal(err)
	}
	blobOnly := "/subscriptions/bbbbbbbb-0000-4000-8000-000000000002/resourceGroups/rg-dev/providers/Microsoft.Storage/storageAccounts/stdevblobs"
	rows, _ := page["data"].([]any)
	page["data"] = append(rows, map[string]any{"id": blobOnly, "name": "stdevblobs", "type": "microsoft.storage/storageaccounts",
		"kind": "BlockBlobStorage", "location": "westeurope", "subscriptionId": "bbbbbbbb-0000-4000-8000-000000000002",
		"properties": map[string]any{"allowBlobPublicAccess": false}})
	if n, isNum := page["count"].(float64); isNum {
		page["count"] = n + 1
	}
	body, _ := json.Marshal(page)
	routes[page2] = route{Body: body}
	routes["GET "+blobOnly+"/blobServices"] = route{Body: []byte(`{"value":[]}`)}
	routes["GET "+blobOnly+"/blobServices/default/containers"] = route{Body: []byte(`{"value":[]}`)}
	f := newFakeAzure(t, filepath.Join("testdata", "server"), routes)
	_, rec, err := run(t, f, f.options())
	if err != nil {
		t.Fatal(err)
	}
	asked := map[string]bool{}
	for _, req := range f.Requests() {
		if l := strings.ToLower(req); strings.HasSuffix(l, "/fileservices") {
			asked[l] = true
		}
	}
	if asked["get "+strings.ToLower(blobOnly)+"/fileservices"] {
		t.Errorf("the BlockBlobStorage account's file service was asked for")
	}
	if !asked["get /subscriptions/bbbbbbbb-0000-4000-8000-000000000002/resourcegroups/rg-dev/providers/microsoft.storage/storageaccounts/stdevshare/fileservices"] ||
		len(asked) != 2 {
		t.Errorf("file services asked: %v, want the two StorageV2 accounts'", asked)
	}
	for _, fl := range rec.Failures() {
		if strings.Contains(fl.Call, "fileServices") {
			t.Errorf("failure: %v", fl)
		}
	}
}
