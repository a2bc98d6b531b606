package drift

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// golden compares got with testdata/NAME, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (go test -update rewrites it); got:\n%s", p, got)
	}
}

func compare(t *testing.T, iacPaths, invPaths []string, o Options) *Report {
	t.Helper()
	ctx := context.Background()
	iacInv, _, err := ReadIaC(ctx, iacPaths, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range iacInv.Errors {
		t.Errorf("IaC input error: %v", p.Error())
	}
	inv, err := ReadInventory(ctx, invPaths, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range inv.Errors {
		t.Errorf("inventory input error: %v", p.Error())
	}
	return Compare(iacInv.Resources, inv.Resources, o)
}

func TestStateAgainstExport(t *testing.T) {
	rep := compare(t, []string{"testdata/state"}, []string{"testdata/inventory"}, Options{})
	var table, js bytes.Buffer
	if err := Write(&table, "table", rep); err != nil {
		t.Fatal(err)
	}
	if err := Write(&js, "json", rep); err != nil {
		t.Fatal(err)
	}
	golden(t, "state.table.golden", table.Bytes())
	golden(t, "state.json.golden", js.Bytes())
}

// TestHCLByName matches a configuration without state by cloud-side
// names: the bucket and the security group are found, a bucket named at
// apply is not matchable, one deleted by hand is missing; the account of
// the unmanaged scope comes from the resources matched.
func TestHCLByName(t *testing.T) {
	rep := compare(t, []string{"testdata/hcl"}, []string{"testdata/inventory/aws"}, Options{})
	var table bytes.Buffer
	if err := Write(&table, "table", rep); err != nil {
		t.Fatal(err)
	}
	golden(t, "hcl.table.golden", table.Bytes())
}

// TestPlan reads a plan: an update of a deployed bucket matches by its
// id, a bucket the plan creates is not missing but created at apply.
func TestPlan(t *testing.T) {
	rep := compare(t, []string{"testdata/plan"}, []string{"testdata/inventory/aws"}, Options{})
	var table bytes.Buffer
	if err := Write(&table, "table", rep); err != nil {
		t.Fatal(err)
	}
	golden(t, "plan.table.golden", table.Bytes())
}
