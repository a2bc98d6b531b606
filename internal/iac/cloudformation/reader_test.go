package cloudformation

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// readAll reads files under root with New and returns the batches.
func readAll(t testing.TB, root string, files []string, opts Options) []source.Batch {
	t.Helper()
	var out []source.Batch
	err := New(root, files, opts).Read(context.Background(), func(b source.Batch) error {
		out = append(out, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// goldenView is what a golden file records of a batch.
type goldenView struct {
	Resources   []goldenResource  `json:"resources"`
	Unsupported map[string]string `json:"unsupported,omitempty"`
	Problems    []string          `json:"problems,omitempty"`
}

type goldenResource struct {
	ID            string                  `json:"id"`
	Type          string                  `json:"type"`
	Name          string                  `json:"name"`
	Class         resource.Class          `json:"class"`
	Region        string                  `json:"region,omitempty"`
	Account       string                  `json:"account,omitempty"`
	Tags          map[string]string       `json:"tags,omitempty"`
	Location      *resource.Location      `json:"location"`
	Relationships []resource.Relationship `json:"relationships,omitempty"`
	Facts         resource.Facts          `json:"facts"`
}

func view(b source.Batch) goldenView {
	v := goldenView{Unsupported: b.Unsupported, Resources: []goldenResource{}}
	for _, r := range b.Resources {
		v.Resources = append(v.Resources, goldenResource{r.ID, r.Type, r.Name, r.Class, r.Region, r.Account, r.Tags, r.Location, r.Relationships, r.Facts})
	}
	for _, p := range b.Problems {
		v.Problems = append(v.Problems, p.Error())
	}
	sort.Strings(v.Problems)
	return v
}

func TestGolden(t *testing.T) {
	root := filepath.Join("testdata", "templates")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			head, err := os.ReadFile(filepath.Join(root, name))
			if err != nil {
				t.Fatal(err)
			}
			if len(head) > 8192 {
				head = head[:8192]
			}
			if !Detect(name, head) && name != "broken.yaml" {
				t.Errorf("Detect(%s) = false", name)
			}
			opts := Options{Region: "eu-west-1"}
			bs := readAll(t, root, []string{name}, opts)
			if len(bs) != 1 {
				t.Fatalf("%d batches", len(bs))
			}
			got, err := json.MarshalIndent(view(bs[0]), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(name, filepath.Ext(name))+".json")
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
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (run with -update and review the diff):\n%s", name, golden, got)
			}
		})
	}
}
