package entra_test

import (
	"context"
	"encoding/json"
	"flag"
	"path/filepath"
	"sort"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/importer/awsorg"
	"github.com/vigil-sec/vigil/internal/importer/entra"
	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.json")

const examples = "../../../docs/formats/examples"

// TestExamplesImport: every file in docs/formats/examples is read by its
// format, with no input problem and nothing skipped.
func TestExamplesImport(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{examples})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) != 0 || len(inv.Skipped) != 0 || len(inv.Warnings) != 0 {
		t.Fatalf("errors %v, skipped %v, warnings %v", inv.Errors, inv.Skipped, inv.Warnings)
	}
	if inv.Files[awsorg.Format] != 1 || inv.Files[entra.Format] != 1 {
		t.Errorf("files: %v", inv.Files)
	}
	if inv.Providers["aws"] == 0 || inv.Providers["azure"] == 0 {
		t.Errorf("providers: %v", inv.Providers)
	}
}

// TestExampleGolden compares the inventory of the documented Entra ID
// example with testdata/golden.json
// (go test ./internal/importer/entra -run ExampleGolden -update).
func TestExampleGolden(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join(examples, "entra-id.json")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) != 0 {
		t.Fatalf("errors: %v", inv.Errors)
	}
	rs := append([]*resource.Resource(nil), inv.Resources...)
	sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID })
	got, err := json.MarshalIndent(struct {
		Classes     map[string]int       `json:"classes"`
		Unsupported map[string]int       `json:"unsupported"`
		Resources   []*resource.Resource `json:"resources"`
	}{inv.Classes, inv.Unsupported, rs}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	testkit.Golden(t, filepath.Join("testdata", "golden.json"), append(got, '\n'), *update)
}
