package gcp

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// FuzzGCPAsset feeds arbitrary bytes through the NDJSON reader and, when
// they are one JSON document, through detection and document parsing:
// nothing may panic, every problem has a line, every resource an ID.
func FuzzGCPAsset(f *testing.F) {
	for _, n := range []string{"assets.ndjson", "assets-api.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"name":"//cloudresourcemanager.googleapis.com/projects/1","asset_type":"cloudresourcemanager.googleapis.com/Project","iam_policy":{"bindings":[{"role":"roles/owner","members":["allUsers"]}],"audit_configs":[{"service":"allServices","audit_log_configs":[{"log_type":1},{"log_type":3,"exempted_members":["user:a"]}]}]}}` + "\n" + `{"name":"//iam.googleapis.com/projects/p/serviceAccounts/1/keys/k","asset_type":"iam.googleapis.com/ServiceAccountKey","resource":{"data":{"keyType":"USER_MANAGED"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(res *attr.Result, ndjson bool) {
			for _, p := range res.Problems {
				if ndjson && p.Line < 1 {
					t.Fatalf("problem without line: %+v", p)
				}
			}
			added, _ := Finalize(res.Resources)
			for _, r := range append(res.Resources, added...) {
				if r.Provider != resource.GCP || r.ID == "" || r.Class == "" {
					t.Fatalf("bad resource: %+v", r)
				}
			}
		}
		check(ParseNDJSON(context.Background(), "fuzz.ndjson", data), true)
		var doc any
		if attr.Decode(data, &doc) == nil && Detect(doc) != "" {
			check(Parse(context.Background(), "fuzz.json", doc), false)
		}
	})
}
