package gcproles

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// corpus returns the path of a file of shared/corpus/iam-reference, found
// walking up from the package, or skips the test.
func corpus(t *testing.T, name string) string {
	t.Helper()
	dir, _ := filepath.Abs(".")
	for {
		p := filepath.Join(dir, "shared", "corpus", "iam-reference", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skipf("shared/corpus/iam-reference/%s not found above the package: corpus absent", name)
		}
		dir = parent
	}
}

func TestLoad(t *testing.T) {
	rs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if rs.Len() != 2461 || rs.Permissions() != 13790 {
		t.Errorf("roles = %d, permissions = %d, want 2461 and 13790", rs.Len(), rs.Permissions())
	}
	ov, ok := rs.Role("roles/storage.objectViewer")
	if !ok || !ov.Has("storage.objects.get") || ov.Has("storage.objects.delete") {
		t.Errorf("roles/storage.objectViewer = %+v, %v", ov, ok)
	}
	for role, perm := range map[string]string{"roles/owner": "resourcemanager.projects.setIamPolicy", "roles/editor": "compute.instances.create", "roles/viewer": "compute.instances.list"} {
		if r, ok := rs.Role(role); !ok || !r.Has(perm) {
			t.Errorf("%s lacks %s", role, perm)
		}
	}
	if r, _ := rs.Role("roles/editor"); r.Has("resourcemanager.projects.setIamPolicy") {
		t.Error("roles/editor has setIamPolicy")
	}
	if _, ok := rs.Role("roles/nope"); ok {
		t.Error("unknown role found")
	}
}

func gz(s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

func TestDecodeBadInput(t *testing.T) {
	for name, in := range map[string][]byte{
		"not gzip":      []byte("x"),
		"header":        gz("other 1\n"),
		"count":         gz(Header + "\nP x\n"),
		"short dict":    gz(Header + "\nP 2\na.b.c\n"),
		"fields":        gz(Header + "\nP 1\na.b.c\nroles/x\tGA\n"),
		"index range":   gz(Header + "\nP 1\na.b.c\nroles/x\tGA\tX\t1,1\n"),
		"index not b36": gz(Header + "\nP 1\na.b.c\nroles/x\tGA\tX\t!\n"),
	} {
		if _, err := Decode(bytes.NewReader(in)); err == nil || !strings.Contains(err.Error(), "gcp role reference data") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	rs, err := Decode(bytes.NewReader(gz(Header + "\nP 2\na.b.c\nd.e.f\nroles/x\tGA\tX\t2\nroles/y\tBETA\tY\t\n")))
	if err != nil {
		t.Fatal(err)
	}
	if x, _ := rs.Role("roles/x"); !slices.Equal(x.Permissions, []string{"d.e.f"}) {
		t.Errorf("roles/x = %+v", x)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(gz(Header + "\nP 2\na.b.c\nd.e.f\nroles/x\tGA\tX\t1,1\n"))
	f.Add(embedded[:200])
	f.Fuzz(func(t *testing.T, b []byte) {
		rs, err := Decode(bytes.NewReader(gz(string(b))))
		if err == nil {
			for _, r := range rs.All() {
				if !slices.IsSorted(r.Permissions) {
					t.Fatalf("%s: permissions not sorted", r.Name)
				}
			}
		}
	})
}

// TestEmbeddedMatchesCorpus fails when the embedded data is stale.
func TestEmbeddedMatchesCorpus(t *testing.T) {
	b, err := os.ReadFile(corpus(t, "gcp-predefined-roles.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw []struct {
		Name, Title, Stage  string
		IncludedPermissions []string
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	rs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != rs.Len() {
		t.Fatalf("corpus has %d roles, embedded %d: run go generate", len(raw), rs.Len())
	}
	for _, c := range raw {
		r, ok := rs.Role(c.Name)
		want := slices.Clone(c.IncludedPermissions)
		slices.Sort(want)
		want = slices.Compact(want)
		if !ok || r.Stage != c.Stage || r.Title != strings.Join(strings.Fields(c.Title), " ") || !slices.Equal(r.Permissions, want) {
			t.Errorf("role %s differs from the corpus", c.Name)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
