package entra

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// FuzzEntra feeds arbitrary JSON documents through detection and parsing:
// nothing may panic, every resource has a provider, an ID and a class, and
// every binding names its principal and role.
func FuzzEntra(f *testing.F) {
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
	f.Add([]byte(`{"tenantId":"t","responses":{"/users":[{"value":[{"id":"u"}]},{"error":{"code":"x"}}],"/groups":{"value":[{"id":"g"}]},"/groups/g/members":{"value":[{"id":"u"},{"id":"g"}]},"/roleManagement/directory/roleAssignments":{"value":[{"id":"a","principalId":"g","roleDefinitionId":"62e90394-69f5-4237-9190-012177145e10"}]}}}`))
	f.Add([]byte(`{"tenantId":"t","responses":{"/directoryRoles":{"value":[{"id":"d","roleTemplateId":"r"}]},"/directoryRoles/d/members":{"value":[{"id":"x"},{"id":"x"}]},"https://graph.microsoft.com/v1.0/applications?$top=1":{"value":[{"id":"a","passwordCredentials":[{"endDateTime":"bad"}]}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc any
		if attr.Decode(data, &doc) != nil || Detect(doc) == "" {
			return
		}
		res := Parse(context.Background(), "fuzz.json", doc)
		for _, r := range res.Resources {
			if r.Provider != resource.Azure || r.ID == "" || r.Class == "" {
				t.Fatalf("bad resource: %+v", r)
			}
			if b := r.Facts.Binding; b != nil && (b.Principal == "" || b.Role == "") {
				t.Fatalf("binding without principal or role: %+v", b)
			}
		}
	})
}
