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
// nothing may panic, every problem has a line (NDJSON) and names its asset
// when it names a field, every resource has an ID and a class, and the
// assets of class other that carry a resource are exactly the unsupported.
func FuzzGCPAsset(f *testing.F) {
	seeds := []string{filepath.Join("testdata", "assets.ndjson"), filepath.Join("testdata", "assets-api.json")}
	more, _ := filepath.Glob(filepath.Join(sampleDir, "*", "*.json"))
	for _, n := range append(seeds, more...) {
		data, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"name":"//cloudresourcemanager.googleapis.com/projects/1","asset_type":"cloudresourcemanager.googleapis.com/Project","iam_policy":{"bindings":[{"role":"roles/owner","members":["allUsers"],"condition":{"title":"t","expression":"true"}}],"audit_configs":[{"service":"allServices","audit_log_configs":[{"log_type":1},{"log_type":3,"exempted_members":["user:a"]}]}]}}` + "\n" + `{"name":"//iam.googleapis.com/projects/p/serviceAccounts/1/keys/k","asset_type":"iam.googleapis.com/ServiceAccountKey","resource":{"data":{"keyType":"USER_MANAGED"}}}`))
	f.Add([]byte(`{"name":"//compute.googleapis.com/projects/p/global/forwardingRules/f","asset_type":"compute.googleapis.com/GlobalForwardingRule","resource":{"data":{"target":"projects/p/global/targetHttpProxies/x","portRange":"80-80"}}}` + "\n" + `{"name":"//compute.googleapis.com/projects/p/global/targetHttpProxies/x","asset_type":"compute.googleapis.com/TargetHttpProxy","resource":{"data":{"urlMap":"projects/p/global/urlMaps/u"}}}` + "\n" + `{"name":"//compute.googleapis.com/projects/p/global/urlMaps/u","asset_type":"compute.googleapis.com/UrlMap","resource":{"data":{"defaultService":"projects/p/global/backendServices/b"}}}` + "\n" + `{"name":"//compute.googleapis.com/projects/p/global/backendServices/b","asset_type":"compute.googleapis.com/BackendService","resource":{"data":{"enableCDN":true,"logConfig":{"enable":true}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(res *attr.Result, ndjson bool) {
			for _, p := range res.Problems {
				if ndjson && p.Line < 1 {
					t.Fatalf("problem without line: %+v", p)
				}
				if p.Field != "" && p.Resource == "" {
					t.Fatalf("problem about a field without its asset: %+v", p)
				}
			}
			for _, r := range res.Resources {
				if r.Type == TypeBinding || r.Type == TypeAuditConfig {
					continue
				}
				_, unsupported := res.Unsupported[r.ID]
				if unsupported && r.Class != resource.ClassOther {
					t.Fatalf("unsupported %s has class %s", r.ID, r.Class)
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
