package drift

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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
	// The planted drift, each with both values and where the IaC defines it.
	for _, w := range []struct {
		kind            Kind
		id, attr        string
		iacVal, liveVal any
		file            string
	}{
		{Changed, "arn:aws:s3:::acme-prod-data", "storage.public_access_blocked", true, false, "main.tf"},
		{Changed, "arn:aws:s3:::acme-prod-data", "storage.key_manager", "customer", "provider", "main.tf"},
		{Changed, "/subscriptions/5f3c2b1a-7d4e-4c8b-9a6f-1e2d3c4b5a69/resourceGroups/rg-acme-prod/providers/Microsoft.Storage/storageAccounts/acmeproddata",
			"storage.public_access_blocked", true, false, "main.tf"},
		{Changed, "arn:aws:ec2:eu-west-1:210987654321:security-group/sg-0a1b2c3d4e5f60001", "firewall.ingress",
			[]any{"allow tcp/443 from 0.0.0.0/0", "allow tcp/443 from ::/0"},
			[]any{"allow tcp/22 from 0.0.0.0/0", "allow tcp/443 from 0.0.0.0/0", "allow tcp/443 from ::/0"}, "modules/network/main.tf"},
		{Changed, "arn:aws:iam::210987654321:role/acme-app", "identity.admin", false, true, "main.tf"},
		{Missing, "aws_s3_bucket.archive", "", nil, nil, "main.tf"},
		{Unmanaged, "arn:aws:s3:::acme-prod-scratch", "", nil, nil, ""},
		{Unmanaged, "//compute.googleapis.com/projects/acme-prod-7/global/firewalls/debug-ssh-temp", "", nil, nil, ""},
		{Unmanaged, "arn:aws:iam::210987654321:user/deploy", "", nil, nil, ""},
	} {
		found := false
		for _, f := range rep.Findings {
			id := ""
			switch {
			case f.Live != nil:
				id = f.Live.ID
			case f.IaC != nil && f.IaC.Location != nil:
				id = f.IaC.Location.Address
			}
			if f.Kind != w.kind || id != w.id || f.Attribute != w.attr {
				continue
			}
			found = true
			if !reflect.DeepEqual(f.IaCValue, w.iacVal) || !reflect.DeepEqual(f.LiveValue, w.liveVal) {
				t.Errorf("%s %s %s: IaC %#v live %#v, want %#v and %#v", w.kind, w.id, w.attr, f.IaCValue, f.LiveValue, w.iacVal, w.liveVal)
			}
			if w.file != "" && (f.IaC == nil || f.IaC.Location == nil || f.IaC.Location.File != w.file || f.IaC.Location.StartLine == 0) {
				t.Errorf("%s %s %s: IaC location %+v, want %s:LINE", w.kind, w.id, w.attr, f.IaC, w.file)
			}
		}
		if !found {
			t.Errorf("no %s finding on %s %s", w.kind, w.id, w.attr)
		}
	}
	// Out of the scope: another account, the default security group.
	for _, f := range rep.Findings {
		if f.Live != nil && (f.Live.Account == "109876543210" || strings.Contains(f.Live.ID, "sg-0d0d0d0d0d0d0d0d0")) {
			t.Errorf("out of scope, reported: %s", f.Message)
		}
	}
	if n := len(rep.Findings); n != 10 {
		t.Errorf("%d findings, want the 10 planted", n)
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

// TestTemplates compares CloudFormation and ARM templates through the
// same seam: matched by their cloud-side names, a bucket CloudFormation
// names at deploy not matchable.
func TestTemplates(t *testing.T) {
	rep := compare(t, []string{"testdata/templates"}, []string{"testdata/inventory/aws", "testdata/inventory/azure"}, Options{})
	var table bytes.Buffer
	if err := Write(&table, "table", rep); err != nil {
		t.Fatal(err)
	}
	golden(t, "templates.table.golden", table.Bytes())
}

// TestShowJSONSameAsState: the same state as terraform show -json writes
// it, read alone (no .tf beside it: no lines), finds the same drift.
func TestShowJSONSameAsState(t *testing.T) {
	a := compare(t, []string{"testdata/state"}, []string{"testdata/inventory"}, Options{})
	b := compare(t, []string{"testdata/show-json"}, []string{"testdata/inventory"}, Options{})
	key := func(r *Report) []string {
		var out []string
		for _, f := range r.Findings {
			k := string(f.Kind) + " " + f.Attribute + " " + show(f.IaCValue) + " " + show(f.LiveValue)
			if f.IaC != nil {
				k += " " + f.IaC.Location.Address
			}
			if f.Live != nil {
				k += " " + f.Live.ID
			}
			out = append(out, k)
		}
		return out
	}
	if ka, kb := key(a), key(b); !reflect.DeepEqual(ka, kb) {
		t.Errorf("terraform.tfstate and show -json differ:\n%s\n---\n%s", strings.Join(ka, "\n"), strings.Join(kb, "\n"))
	}
}
