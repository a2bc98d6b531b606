package importer

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/awsconfig"
	"github.com/vigil-sec/vigil/internal/importer/azure"
	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/synth"
)

// checkShapedFile parses data with the typed items of the hot shapes and
// with every document decoded as a generic tree, with Raw whole and with
// Raw dropped (then pruned as Files does): the results must be the same.
// It reports whether a typed reading took the text.
func checkShapedFile(t *testing.T, path string, data []byte) bool {
	t.Helper()
	for _, ctx := range []context.Context{context.Background(), attr.WithRawDropped(context.Background())} {
		got := parseDataShaped(ctx, path, data, true)
		want := parseDataShaped(ctx, path, data, false)
		if attr.RawDropped(ctx) {
			for _, fr := range []fileResult{got, want} {
				if fr.res != nil {
					pruneRaw(fr.res.Resources)
				}
			}
		}
		if !reflect.DeepEqual(got, want) {
			if got.res != nil && want.res != nil && len(got.res.Resources) == len(want.res.Resources) {
				for i := range got.res.Resources {
					if !reflect.DeepEqual(got.res.Resources[i], want.res.Resources[i]) {
						t.Fatalf("%s (raw dropped %v): resource %d\n got %+v\nwant %+v", path, attr.RawDropped(ctx), i, got.res.Resources[i], want.res.Resources[i])
					}
				}
			}
			t.Fatalf("%s (raw dropped %v): results differ\n got %+v\nwant %+v", path, attr.RawDropped(ctx), got, want)
		}
	}
	trimmed := []byte(strings.TrimLeft(string(data), " \t\r\n"))
	return awsconfig.ParseShaped(context.Background(), path, trimmed) != nil || azure.ParseShaped(context.Background(), path, trimmed) != nil
}

// TestShapedMatchesGeneric holds the typed reading of the hot shapes (AWS
// Config snapshots, Resource Graph results) to the generic one over the
// formats' fixtures, the sample organization and a synthetic inventory.
func TestShapedMatchesGeneric(t *testing.T) {
	var files []string
	for _, root := range []string{"awsconfig/testdata", "azure/testdata", "gcp/testdata", "testdata", filepath.Join("..", "..", "examples", "org")} {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	if _, err := synth.Generate(context.Background(), dir, 3000, synth.RuleHeavy); err != nil {
		t.Fatal(err)
	}
	synthFiles, _ := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	files = append(files, synthFiles...)
	took := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if checkShapedFile(t, p, data) {
			took++
		}
	}
	// The synthetic AWS and Azure files (7 each), the sample's snapshots
	// and Resource Graph result envelopes at least (its bare arrays of
	// rows are read as generic trees).
	if took < 18 {
		t.Fatalf("the typed readings took %d of %d files", took, len(files))
	}
}

// shapedSeeds are Resource Graph results and snapshots with the
// spellings, damage and neighbours (findings, other envelopes) the
// generic reading handles.
var shapedSeeds = []string{
	`{"count":2,"data":[{"id":"/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a","name":"a","type":"microsoft.storage/storageaccounts","location":"eastus","subscriptionId":"s","resourceGroup":"g","sku":{"name":"Standard_GRS"},"properties":{"allowBlobPublicAccess":true,"secondaryLocation":"westus"},"tags":{"k":"v"},"identity":{"type":"SystemAssigned","principalId":"p"}},{"ID":"/subscriptions/s/resourceGroups/g/providers/Microsoft.DocumentDB/databaseAccounts/c","TYPE":"Microsoft.DocumentDB/databaseAccounts","location":42,"properties":{"locations":[{"locationName":"West US"}]},"extra":1}],"skip_token":null,"total_records":2}`,
	`{"data":[{"id":"/subscriptions/s/providers/Microsoft.Security/assessments/x","type":"microsoft.security/assessments"}],"count":1}`,
	`{"data":[],"count":0}`, `{"data":[{}],"count":1}`, `{"data":[{"id":"/subscriptions/s","type":"microsoft.resources/subscriptions"}]}`,
	`{"data":[{"id":"/subscriptions/s/resourceGroups/g/providers/Microsoft.Insights/diagnosticSettings/d","type":"Microsoft.Insights/diagnosticSettings","logs":[{"category":"Administrative","enabled":true}]}],"totalRecords":1,"facets":[]}`,
	`{"data":{"columns":[],"rows":[]},"count":0}`, `{"data":[1,2],"count":2}`, `{"data":[{"id":"/subscriptions/s/x","type":"t"}],"count":1,"value":[]}`,
	`{"fileVersion":"1.0","configurationItems":[{"resourceType":"AWS::S3::Bucket","resourceId":"b","awsRegion":"us-east-1","configuration":{"name":"b"}}]}`,
	`{"count":1,"data":[{"id":"/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/servers/q/firewallRules/f","type":"microsoft.sql/servers/firewallrules","properties":{"startIpAddress":"0.0.0.0","endIpAddress":"255.255.255.255"}},{"id":"/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/servers/q","type":"microsoft.sql/servers","properties":"oops"}]}`,
}

func TestShapedSeeds(t *testing.T) {
	took := 0
	for _, s := range shapedSeeds {
		if checkShapedFile(t, "seed.json", []byte(s)) {
			took++
		}
	}
	if took < 6 {
		t.Fatalf("the typed readings took %d seeds", took)
	}
}

func FuzzShapedMatchesGeneric(f *testing.F) {
	for _, s := range shapedSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkShapedFile(t, "fuzz.json", data)
	})
}

// TestEmptyObjectStaysEmpty imports the formats' fixtures and the sample
// organization with Raw kept, finishers and derivation included: the
// decoder hands out one map for every empty object below a text's own
// object, so nothing may write into it.
func TestEmptyObjectStaysEmpty(t *testing.T) {
	paths := []string{"awsconfig/testdata", "azure/testdata", "gcp/testdata", filepath.Join("..", "..", "examples", "org")}
	if _, err := Load(context.Background(), paths, KeepRaw()); err != nil {
		t.Fatal(err)
	}
	var m attr.M
	if err := attr.Decode([]byte(`{"a":{},"b":[{}]}`), &m); err != nil {
		t.Fatal(err)
	}
	if a := m["a"].(attr.M); len(a) != 0 {
		t.Fatalf("the shared empty object holds %v", a)
	}
}
