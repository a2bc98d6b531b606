package importer

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A list file whose first row is damaged is still its format: the bad row is
// a problem naming the file and the row's index, and the other rows are
// imported (detection looked at the first row only, and skipped the file).
func TestDamagedFirstRowStillImports(t *testing.T) {
	azureRows := rowsOf(t, filepath.Join("azure", "testdata", "resources.json"), "data")
	gcpRows := rowsOf(t, filepath.Join("gcp", "testdata", "assets-api.json"), "")
	awsRows := rowsOf(t, filepath.Join("awsconfig", "testdata", "snapshot.json"), "configurationItems")
	noID := func(row any) any {
		m := clone(t, row)
		delete(m, "id")
		return m
	}
	noType := func(row any) any {
		m := clone(t, row)
		delete(m, "assetType")
		delete(m, "asset_type")
		return m
	}
	str := func(any) any { return "oops" }
	num := func(any) any { return 42 }
	cases := []struct {
		name, format, key string // key: the list's key, "" for a bare list
		rows              []any
		damage            func(any) any
		idField, problem  string
	}{
		{"azure value, row not an object", "azure-resource-graph", "value", azureRows, str, "id", "row 0 is not an object"},
		{"azure bare list, row without id", "azure-resource-graph", "", azureRows, noID, "id", "row 0 has no id"},
		{"gcp bare list, asset without type", "gcp-cloud-asset", "", gcpRows, noType, "name", "asset 0"},
		{"gcp assets, asset not an object", "gcp-cloud-asset", "assets", gcpRows, num, "name", "asset 0 is not an object"},
		{"aws bare list, item not an object", "aws-config", "", awsRows, str, "ARN", "configuration item 0 is not an object"},
		{"aws Results, item not an object", "aws-config", "Results", awsRows, num, "ARN", "configuration item 0 is not an object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows := append([]any{c.damage(c.rows[0])}, c.rows[1:]...)
			var doc any = rows
			if c.key != "" {
				doc = map[string]any{c.key: rows}
			}
			data, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "damaged.json")
			writeFile(t, path, string(data))
			inv, err := Load(context.Background(), []string{dir})
			if err != nil {
				t.Fatal(err)
			}
			if inv.Files[c.format] != 1 {
				t.Fatalf("files %v, want one %s file", inv.Files, c.format)
			}
			named := false
			for _, e := range inv.Errors {
				if filepath.Base(e.Path) == "damaged.json" && strings.Contains(e.Error(), c.problem) && strings.HasPrefix(e.Error(), path) {
					named = true
				}
			}
			if !named {
				t.Errorf("no problem naming the file and %q: %+v", c.problem, inv.Errors)
			}
			ids := map[string]bool{}
			for _, r := range inv.Resources {
				ids[strings.ToLower(r.ID)] = true
			}
			n := 0
			for _, row := range c.rows[1:] {
				m := row.(map[string]any)
				id, _ := m[c.idField].(string)
				if st, _ := m["configurationItemStatus"].(string); id == "" || strings.HasPrefix(st, "ResourceDeleted") {
					continue // a deleted resource is dropped
				}
				n++
				if !ids[strings.ToLower(id)] {
					t.Errorf("row %s not imported", id)
				}
			}
			if n == 0 {
				t.Fatal("no row to check")
			}
		})
	}
}

// rowsOf reads the rows of a test file: the list under key, or the whole
// document when key is "".
func rowsOf(t *testing.T, path, key string) []any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if key != "" {
		doc = doc.(map[string]any)[key]
	}
	rows, _ := doc.([]any)
	if len(rows) < 2 {
		t.Fatalf("%s: %d rows, want two or more", path, len(rows))
	}
	return rows
}

func clone(t *testing.T, row any) map[string]any {
	t.Helper()
	m, ok := row.(map[string]any)
	if !ok {
		t.Fatalf("row %T is not an object", row)
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
