package azurecollect

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestMCSBDefinition: the collector reads the Microsoft Cloud Security
// Benchmark initiative's built-in definition once and writes it for the
// tenant in the ARM list shape (TestCollect's inventory shows the importer
// then names a Disabled effect of a policy the definition deprecates
// apart); denied, the call is recorded as a failure and no file is
// written, so the importer's built-in list decides.
func TestMCSBDefinition(t *testing.T) {
	file := "azure/tenant-" + tenantID + "/" + mcsbDefinitionFile
	f := newFakeAzure(t, filepath.Join("testdata", "server"), loadRoutes(t))
	mem, rec, err := run(t, f, f.options())
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Value []struct {
			ID         string `json:"id"`
			Properties struct {
				Parameters map[string]struct {
					Metadata struct {
						Deprecated bool `json:"deprecated"`
					} `json:"metadata"`
				} `json:"parameters"`
			} `json:"properties"`
		} `json:"value"`
	}
	if err := json.Unmarshal(mem.File(file), &got); err != nil {
		t.Fatalf("%s: %v (files %v)", file, err, mem.Names())
	}
	if len(got.Value) != 1 || !strings.EqualFold(got.Value[0].ID, mcsbDefinitionPath) ||
		!got.Value[0].Properties.Parameters["systemUpdatesMonitoringEffect"].Metadata.Deprecated {
		t.Errorf("%s: %+v", file, got)
	}
	calls := 0
	for _, r := range f.Requests() {
		if strings.EqualFold(r, "GET "+mcsbDefinitionPath) {
			calls++
		}
	}
	if calls != 1 {
		t.Errorf("the definition was read %d times, want once", calls)
	}

	routes := loadRoutes(t)
	routes["GET "+mcsbDefinitionPath] = route{File: "errors/arm-403.json", Status: []int{403}}
	f = newFakeAzure(t, filepath.Join("testdata", "server"), routes)
	mem, rec, err = run(t, f, f.options())
	if err != nil {
		t.Fatal(err)
	}
	if b := mem.File(file); b != nil {
		t.Errorf("denied, %s written: %s", file, b)
	}
	denied := false
	for _, fl := range rec.Failures() {
		denied = denied || (fl.Call == "Microsoft.Authorization/policySetDefinitions/read" && fl.Resource == mcsbDefinitionPath)
	}
	if !denied {
		t.Errorf("the denied definition is not recorded: %v", rec.Failures())
	}
}
