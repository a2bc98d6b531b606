package awsorg

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// FuzzAWSOrganizations feeds arbitrary JSON documents through detection and
// parsing: nothing may panic or loop, every resource has a provider, an ID
// and a class, and every account has its SCP chain.
func FuzzAWSOrganizations(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "seed-*.json"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds in testdata (%v)", err)
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"Organization":{"Id":"o-1","MasterAccountId":"111111111111"},"Accounts":[{"Id":"111111111111","ParentId":"ou-1"}],"OrganizationalUnits":[{"Id":"ou-1","ParentId":"ou-1"}]}`))
	f.Add([]byte(`{"Roots":[{"Id":"r-1"},{"Id":"r-1"}],"Accounts":[{"Id":"222222222222","ParentId":"r-1"},{"Id":"222222222222"}],"Policies":[{"PolicySummary":{"Id":"p","Type":"SERVICE_CONTROL_POLICY"},"Content":{"Statement":[]},"Targets":[{"TargetId":"222222222222"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc any
		if attr.Decode(data, &doc) != nil || Detect(doc) == "" {
			return
		}
		res := Parse(context.Background(), "fuzz.json", doc)
		for _, r := range res.Resources {
			if r.Provider != resource.AWS || r.ID == "" || r.Class == "" {
				t.Fatalf("bad resource: %+v", r)
			}
			if r.Class == resource.ClassAccount && (r.Facts.Account == nil || r.Facts.Account.SCPs == nil) {
				t.Fatalf("account without its SCP chain: %+v", r)
			}
		}
		for _, p := range res.Problems {
			if p.Err == "" {
				t.Fatalf("problem without a message: %+v", p)
			}
		}
	})
}
