package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/synth"
)

// TestFinishRawKeepsWhatFinalizeReads imports the format packages'
// fixtures, the sample organization and a synthetic inventory with Raw kept
// whole until the finishers ran (KeepRaw) and with Raw pruned as each file
// is parsed (the default): the inventories must be the same but for Raw.
// A finisher that starts reading a type FinishRaw drops fails it.
func TestFinishRawKeepsWhatFinalizeReads(t *testing.T) {
	var fixtures []string
	for _, pkg := range []string{"awsconfig", "azure", "gcp"} {
		files, err := filepath.Glob(filepath.Join(pkg, "testdata", "*.*"))
		if err != nil {
			t.Fatal(err)
		}
		fixtures = append(fixtures, files...)
	}
	sort.Strings(fixtures)
	synthDir := t.TempDir()
	ctx := context.Background()
	if _, err := synth.Generate(ctx, synthDir, 3000, synth.RuleHeavy); err != nil {
		t.Fatal(err)
	}
	// A rotation status given with a bare key ID, matched to its key by
	// Finalize (the fixtures give it with the key's ARN).
	bare := filepath.Join(t.TempDir(), "rotation.json")
	if err := os.WriteFile(bare, []byte(`{"KeyRotationEnabled": true, "RotationPeriodInDays": 90, "KeyId": "0a1b2c3d-1111-2222-3333-444455556666"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	// Buckets are named without their project: their account is the
	// project number of their ancestors, mapped to the project ID by
	// Finalize from the resources named by it (no project asset here),
	// whose ancestors the pruning keeps once per file and project.
	numbers := filepath.Join(t.TempDir(), "assets.json")
	var lines []byte
	for i, name := range []string{
		"//storage.googleapis.com/b1",
		"//compute.googleapis.com/projects/p-one/zones/us-central1-a/disks/d1",
		"//compute.googleapis.com/projects/p-one/zones/us-central1-a/disks/d2",
		"//storage.googleapis.com/b2",
		"//compute.googleapis.com/projects/p-two/zones/us-central1-a/disks/d3",
		"//compute.googleapis.com/projects/p-two/zones/us-central1-a/disks/d4",
	} {
		num, typ := "111", "compute.googleapis.com/Disk"
		if i >= 3 {
			num = "222"
		}
		if strings.HasPrefix(name, "//storage") {
			typ = "storage.googleapis.com/Bucket"
		}
		lines = fmt.Appendf(lines, `{"name":%q,"asset_type":%q,"resource":{"data":{"name":%q}},"ancestors":["projects/%s","organizations/9"]}`+"\n",
			name, typ, name[strings.LastIndexByte(name, '/')+1:], num)
	}
	if err := os.WriteFile(numbers, lines, 0o644); err != nil {
		t.Fatal(err)
	}
	if inv, err := Load(ctx, []string{numbers}); err != nil {
		t.Fatal(err)
	} else {
		accounts := map[string]string{}
		for _, r := range inv.Resources {
			accounts[r.ID] = r.Account
		}
		if a, b := accounts["//storage.googleapis.com/b1"], accounts["//storage.googleapis.com/b2"]; a != "p-one" || b != "p-two" {
			t.Fatalf("pruned: the buckets' accounts are %q and %q, want p-one and p-two", a, b)
		}
	}
	for name, paths := range map[string][]string{
		"project numbers": {numbers},
		"bare key id":     {filepath.Join("awsconfig", "testdata", "snapshot.json"), bare},
		"fixtures":        fixtures,
		"sample org":      {filepath.Join("..", "..", "examples", "org")},
		"mixed":           {filepath.Join("testdata", "mixed")},
		"synthetic":       {synthDir},
	} {
		whole, err := Load(ctx, paths, KeepRaw())
		if err != nil {
			t.Fatal(err)
		}
		pruned, err := Load(ctx, paths)
		if err != nil {
			t.Fatal(err)
		}
		if len(whole.Resources) == 0 {
			t.Fatalf("%s: %d resources imported", name, len(whole.Resources))
		}
		for _, r := range whole.Resources {
			r.Raw = nil
		}
		if !reflect.DeepEqual(whole.Errors, pruned.Errors) {
			t.Errorf("%s: input problems differ:\nwhole  %v\npruned %v", name, whole.Errors, pruned.Errors)
		}
		if len(whole.Resources) != len(pruned.Resources) {
			t.Fatalf("%s: %d resources with Raw kept, %d pruned", name, len(whole.Resources), len(pruned.Resources))
		}
		for i, r := range whole.Resources {
			if !reflect.DeepEqual(r, pruned.Resources[i]) {
				a, _ := json.Marshal(r)
				b, _ := json.Marshal(pruned.Resources[i])
				t.Errorf("%s: %s differs when Raw is pruned:\nwhole  %s\npruned %s", name, r.ID, a, b)
			}
		}
		if !reflect.DeepEqual(whole.Summary, pruned.Summary) {
			t.Errorf("%s: summaries differ", name)
		}
	}
}
