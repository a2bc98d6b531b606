package testkit

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vigil-sec/vigil/internal/inventory"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Golden compares got with the file at path, or writes it there when
// update is set (the package's -update flag).
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run with -update after checking the change), -want +got:\n%s", path,
			cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")))
	}
}

// GoldenTree compares files (slash-separated names relative to dir) with
// the files under dir: each one's content, and that no file is missing or
// extra. With update, dir is rewritten to hold exactly files.
func GoldenTree(t testing.TB, dir string, files map[string][]byte, update bool) {
	t.Helper()
	if update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	if !update {
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			want[filepath.ToSlash(rel)] = true
			return nil
		})
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
	}
	for name := range want {
		if _, ok := files[name]; !ok {
			t.Errorf("%s was not written (run with -update after checking the change)", name)
		}
	}
	for name, data := range files {
		if !update && !want[name] {
			t.Errorf("%s was written, not in %s (run with -update after checking the change)", name, dir)
			continue
		}
		Golden(t, filepath.Join(dir, filepath.FromSlash(name)), data, update)
	}
}

// view is what a golden inventory compares of a resource.
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

// InventoryJSON is inv as golden JSON: its summary, then each resource's
// identity, class and facts, sorted by provider and ID, with every
// occurrence of each strip string (a temporary directory) replaced by
// "$OUT".
func InventoryJSON(t testing.TB, inv *inventory.Inventory, strip ...string) []byte {
	t.Helper()
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
		Summary   inventory.Summary `json:"summary"`
		Resources []view            `json:"resources"`
	}{inv.Summary, views}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range strip {
		got = bytes.ReplaceAll(got, []byte(filepath.ToSlash(s)), []byte("$OUT"))
	}
	return append(got, '\n')
}
