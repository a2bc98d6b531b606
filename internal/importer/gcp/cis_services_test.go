package gcp

import (
	"context"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TestCloudAssetAPI: project p enables the Cloud Asset API, q enables
// other APIs only, r has a service whose state has the wrong type (its
// answer is unknown), s has no Service asset (unknown).
func TestCloudAssetAPI(t *testing.T) {
	svc := func(project, name, state string) string {
		return `{"name":"//serviceusage.googleapis.com/projects/` + project + `/services/` + name + `","asset_type":"serviceusage.googleapis.com/Service",` +
			`"resource":{"data":{"name":"projects/` + project + `/services/` + name + `","config":{"name":"` + name + `","title":"t"},"state":` + state + `,"parent":"projects/1"}},"ancestors":["projects/` + project + `"]}`
	}
	lines := []string{
		svc("p", "compute.googleapis.com", `"ENABLED"`),
		svc("p", "cloudasset.googleapis.com", `"ENABLED"`),
		svc("q", "compute.googleapis.com", `"ENABLED"`),
		svc("q", "cloudasset.googleapis.com", `"DISABLED"`),
		svc("r", "storage.googleapis.com", `true`),
		`{"name":"//compute.googleapis.com/projects/s/global/networks/d","asset_type":"compute.googleapis.com/Network","resource":{"data":{"name":"d"}},"ancestors":["projects/s"]}`,
	}
	res := ParseNDJSON(context.Background(), "svc.ndjson", []byte(strings.Join(lines, "\n")))
	added, _ := Finalize(res.Resources)
	got := map[string]string{}
	for _, r := range append(res.Resources, added...) {
		if r.Class == resource.ClassAccount {
			v := "unknown"
			if r.Facts.Account.CIS != nil {
				v = show(r.Facts.Account.CIS.CloudAssetAPI)
			}
			got[r.Account] = v
		}
	}
	for p, want := range map[string]string{"p": "true", "q": "false", "r": "unknown", "s": "unknown"} {
		if got[p] != want {
			t.Errorf("project %s cloud asset API %s, want %s", p, got[p], want)
		}
	}
}

// TestBigQueryTables: a table's key manager from its
// encryptionConfiguration; views and external tables hold no data and
// are not data warehouses; a key of the wrong type leaves it unknown.
func TestBigQueryTables(t *testing.T) {
	table := func(id, data string) string {
		return `{"name":"//bigquery.googleapis.com/projects/p/datasets/d/tables/` + id + `","asset_type":"bigquery.googleapis.com/Table","resource":{"data":` + data + `},"ancestors":["projects/p"]}`
	}
	lines := []string{
		table("cmek", `{"tableReference":{"projectId":"p","datasetId":"d","tableId":"cmek"},"type":"TABLE","encryptionConfiguration":{"kmsKeyName":"projects/p/locations/us/keyRings/r/cryptoKeys/k"}}`),
		table("google", `{"tableReference":{"tableId":"google"},"type":"TABLE"}`),
		table("view", `{"tableReference":{"tableId":"view"},"type":"VIEW"}`),
		table("ext", `{"type":"EXTERNAL"}`),
		table("bad", `{"type":"TABLE","encryptionConfiguration":{"kmsKeyName":7}}`),
	}
	res := ParseNDJSON(context.Background(), "bq.ndjson", []byte(strings.Join(lines, "\n")))
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error(), "kmsKeyName") {
		t.Errorf("problems: %+v", res.Problems)
	}
	got := map[string]string{}
	for _, r := range res.Resources {
		id := r.ID[strings.LastIndex(r.ID, "/")+1:]
		km := "-"
		if r.Facts.Database != nil {
			km = r.Facts.Database.KeyManager
		}
		got[id] = string(r.Class) + " " + km
	}
	for id, want := range map[string]string{"cmek": "data_warehouse customer", "google": "data_warehouse provider", "view": "other -",
		"ext": "other -", "bad": "data_warehouse "} {
		if got[id] != want {
			t.Errorf("table %s: %q, want %q", id, got[id], want)
		}
	}
}
