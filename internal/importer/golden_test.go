package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGoldenInventory imports every format package's fixtures together and
// compares the normalized inventory (identity, class and facts of every
// resource, plus the summary) with testdata/golden/inventory.json.
// Run `go test ./internal/importer -run Golden -update` after an intended change.
func TestGoldenInventory(t *testing.T) {
	var paths []string
	for _, pkg := range []string{"awsconfig", "azure", "gcp"} {
		files, err := filepath.Glob(filepath.Join(pkg, "testdata", "*.*"))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, files...)
	}
	sort.Strings(paths)
	inv, err := Load(context.Background(), paths)
	if err != nil {
		t.Fatal(err)
	}
	type view struct {
		Provider resource.Provider `json:"provider"`
		Account  string            `json:"account"`
		Region   string            `json:"region"`
		Type     string            `json:"type"`
		ID       string            `json:"id"`
		Name     string            `json:"name"`
		Class    resource.Class    `json:"class"`
		Facts    resource.Facts    `json:"facts"`
	}
	views := make([]view, 0, len(inv.Resources))
	for _, r := range inv.Resources {
		views = append(views, view{r.Provider, r.Account, r.Region, r.Type, r.ID, r.Name, r.Class, r.Facts})
	}
	sort.Slice(views, func(i, j int) bool {
		if views[i].Provider != views[j].Provider {
			return views[i].Provider < views[j].Provider
		}
		return views[i].ID < views[j].ID
	})
	got, err := json.MarshalIndent(struct {
		Inventory *Inventory `json:"summary"`
		Resources []view     `json:"resources"`
	}{inv, views}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "golden", "inventory.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("inventory differs from %s; run with -update after checking the change", golden)
	}
}
