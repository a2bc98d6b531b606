package azureroles

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// corpus returns the path of a file of shared/corpus/iam-reference, found
// walking up from the package, or skips the test.
func corpus(t *testing.T, name string) string {
	t.Helper()
	dir, _ := filepath.Abs(".")
	for {
		p := filepath.Join(dir, "shared", "corpus", "iam-reference", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skipf("shared/corpus/iam-reference/%s not found above the package: corpus absent", name)
		}
		dir = parent
	}
}

func TestLoad(t *testing.T) {
	rs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if rs.Len() != 928 {
		t.Errorf("roles = %d, want 928", rs.Len())
	}
	owner, ok := rs.ByID("/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/8E3AF657-A8FF-443C-A75C-2FE8C4BCB635")
	if !ok || owner.Name != "Owner" || !slices.Equal(owner.Permissions[0].Actions, []string{"*"}) {
		t.Errorf("Owner by full ID = %+v, %v", owner, ok)
	}
	if r, ok := rs.ByName("storage blob data reader"); !ok || !slices.Contains(r.Permissions[0].DataActions, "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read") {
		t.Errorf("Storage Blob Data Reader = %+v, %v", r, ok)
	}
	if _, ok := rs.ByName("No Such Role"); ok {
		t.Error("unknown role found")
	}
	conditional := 0
	for _, r := range rs.All() {
		for _, p := range r.Permissions {
			if p.Condition != "" {
				conditional++
			}
		}
	}
	if conditional == 0 {
		t.Error("no permission block with a condition: conditions were dropped")
	}
}

func TestDecodeBadInput(t *testing.T) {
	for name, in := range map[string][]byte{"not gzip": []byte("{}"), "empty": nil} {
		if _, err := Decode(bytes.NewReader(in)); err == nil || !strings.Contains(err.Error(), "azure role reference data") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// TestEmbeddedMatchesCorpus fails when the embedded data is stale: every role
// of the corpus with the same permission blocks, and nothing else.
func TestEmbeddedMatchesCorpus(t *testing.T) {
	b, err := os.ReadFile(corpus(t, "azure-built-in-roles.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw []struct {
		Name, RoleName string
		Permissions    []struct {
			Actions, NotActions, DataActions, NotDataActions []string
			Condition                                        *string
		}
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	rs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != rs.Len() {
		t.Fatalf("corpus has %d roles, embedded %d: run go generate", len(raw), rs.Len())
	}
	for _, c := range raw {
		r, ok := rs.ByID(c.Name)
		if !ok || r.Name != c.RoleName || len(r.Permissions) != len(c.Permissions) {
			t.Errorf("role %s (%s): embedded %+v", c.Name, c.RoleName, r)
			continue
		}
		for i, p := range c.Permissions {
			e := r.Permissions[i]
			cond := ""
			if p.Condition != nil {
				cond = *p.Condition
			}
			if !slices.Equal(e.Actions, p.Actions) || !slices.Equal(e.NotActions, p.NotActions) || !slices.Equal(e.DataActions, p.DataActions) ||
				!slices.Equal(e.NotDataActions, p.NotDataActions) || e.Condition != cond {
				t.Errorf("role %s block %d differs from the corpus", c.RoleName, i)
			}
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
