package gcp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestDLPDiscovery: CIS GCP 5.0 7.4 from the DLP API's discovery
// configuration listings. Projects of organization 100: a has a running
// BigQuery configuration of its own; b is under folder 7, where a running
// configuration of the organization's listing starts; c's own
// configurations are paused or have their BigQuery target disabled, and
// the organization-wide one profiles Cloud Storage only, so c is not
// profiled (false: both listings read); d's own listing is absent
// (unknown); e is in organization 200, whose listing is absent (unknown);
// f, in no organization, has an empty listing of its own (false); g's
// listing has a status of the wrong type (unknown, a problem). Projects
// with BigQuery datasets carry bigquery_data.
func TestDLPDiscovery(t *testing.T) {
	project := func(id, num string, ancestors ...string) map[string]any {
		return map[string]any{"name": "//cloudresourcemanager.googleapis.com/projects/" + num, "asset_type": TypeProject,
			"ancestors": append([]string{"projects/" + num}, ancestors...),
			"resource":  map[string]any{"data": map[string]any{"projectId": id, "projectNumber": num, "lifecycleState": "ACTIVE"}}}
	}
	dataset := func(id string) map[string]any {
		return map[string]any{"name": "//bigquery.googleapis.com/projects/" + id + "/datasets/d", "asset_type": TypeBigQueryDataset,
			"ancestors": []string{"projects/1", "organizations/100"},
			"resource":  map[string]any{"data": map[string]any{"id": id + ":d", "datasetReference": map[string]any{"projectId": id, "datasetId": "d"}}}}
	}
	assets := []map[string]any{
		project("a", "1", "organizations/100"), project("b", "2", "folders/7", "organizations/100"),
		project("c", "3", "organizations/100"), project("d", "4", "organizations/100"), project("e", "5", "organizations/200"),
		project("f", "6"), project("g", "8", "organizations/100"), dataset("a"), dataset("c"),
	}
	var buf strings.Builder
	for _, a := range assets {
		b, _ := json.Marshal(a)
		buf.Write(b)
		buf.WriteByte('\n')
	}
	all := ParseNDJSON(context.Background(), "gcp/org/resource.json", []byte(buf.String())).Resources
	bq := func(extra string) string { return `{"bigQueryTarget":{"filter":{"otherTables":{}}` + extra + `}}` }
	cfg := func(name, status, orgConfig string, targets ...string) string {
		return fmt.Sprintf(`{"name":%q,%s"targets":[%s],"status":%q}`, name, orgConfig, strings.Join(targets, ","), status)
	}
	listings := map[string]string{
		"gcp/a/dlpdiscoveryconfigs.json": `{"discoveryConfigs":[` + cfg("projects/a/locations/europe-west3/discoveryConfigs/a1", "RUNNING", "", bq("")) + `]}`,
		"gcp/b/dlpdiscoveryconfigs.json": `{}`,
		"gcp/c/dlpdiscoveryconfigs.json": `[{"discoveryConfigs":[` + cfg("projects/c/locations/global/discoveryConfigs/c1", "PAUSED", "", bq("")) + `]},` +
			`{"discoveryConfigs":[` + cfg("projects/c/locations/us/discoveryConfigs/c2", "RUNNING", "", bq(`,"disabled":{}`)) + `]}]`,
		"gcp/organization-100/dlpdiscoveryconfigs.json": `{"discoveryConfigs":[` +
			cfg("organizations/100/locations/global/discoveryConfigs/o1", "RUNNING", `"orgConfig":{"location":{"folderId":"7"},"projectId":"a"},`, bq("")) + `,` +
			cfg("organizations/100/locations/global/discoveryConfigs/o2", "RUNNING", `"orgConfig":{"location":{"organizationId":"100"},"projectId":"a"},`,
				`{"cloudStorageTarget":{"filter":{"others":{}}}}`) + `]}`,
		"gcp/f/dlpdiscoveryconfigs.json": `{"discoveryConfigs":[]}`,
		"gcp/g/dlpdiscoveryconfigs.json": `{"discoveryConfigs":[{"name":"projects/g/locations/global/discoveryConfigs/g1","targets":[],"status":7}]}`,
	}
	problems := 0
	for path, text := range listings {
		var doc any
		if err := attr.Decode([]byte(text), &doc); err != nil {
			t.Fatal(err)
		}
		named := DetectDLPDiscovery(doc) == FormatDLPDiscovery
		if want := strings.Contains(text, `"name"`); named != want {
			t.Errorf("%s: detected by content %v, want %v", path, named, want)
		}
		base := path[strings.LastIndexByte(path, '/')+1:]
		res := ParseByName(context.Background(), path, base, doc)
		if res == nil {
			t.Fatalf("%s: not read by name", path)
		}
		problems += len(res.Problems)
		all = append(all, res.Resources...)
	}
	if problems != 1 {
		t.Errorf("%d problems, want 1 (g's status)", problems)
	}
	added, _ := Finalize(all)
	got := map[string]string{}
	for _, r := range append(all, added...) {
		if r.Class != resource.ClassAccount || r.Provider != resource.GCP {
			continue
		}
		v := "unknown"
		if c := r.Facts.Account.CIS; c != nil {
			v = show(c.BigQueryDiscovery) + fmt.Sprint(c.BigQueryDiscoveryConfigs)
			if c.BigQueryData != nil {
				v += " data"
			}
		}
		got[r.Account] = v
	}
	for p, want := range map[string]string{
		"a": "true[projects/a/locations/europe-west3/discoveryConfigs/a1] data",
		"b": "true[organizations/100/locations/global/discoveryConfigs/o1]",
		"c": "false[] data", "d": "unknown", "e": "unknown", "f": "false[]", "g": "unknown",
	} {
		if got[p] != want {
			t.Errorf("project %s: %s, want %s", p, got[p], want)
		}
	}
	if ParseByName(context.Background(), "gcp/a/other.json", "other.json", attr.M{}) != nil {
		t.Error("another file name read as a listing")
	}
}
