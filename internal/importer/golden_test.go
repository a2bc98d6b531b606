package importer

import (
	"context"
	"flag"
	"path/filepath"
	"sort"
	"testing"

	"github.com/vigil-sec/vigil/internal/testkit"
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
	testkit.Golden(t, filepath.Join("testdata", "golden", "inventory.json"), testkit.InventoryJSON(t, inv), *update)
}
