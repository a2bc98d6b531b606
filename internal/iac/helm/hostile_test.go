package helm

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/source"
)

// TestHostileTemplates: a chart is untrusted input. Templates asking for
// huge sequences are refused with a problem naming the template, a chart
// that loops for long is given up after the render timeout, and the other
// charts of the scan are still read.
func TestHostileTemplates(t *testing.T) {
	dir := t.TempDir()
	chart := func(name, tpl string) {
		t.Helper()
		for f, body := range map[string]string{
			"Chart.yaml":                "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n",
			"templates/cm.yaml":         tpl,
			"templates/deployment.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name + "-ok\nspec:\n  type: ClusterIP\n",
		} {
			p := filepath.Join(dir, name, filepath.FromSlash(f))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	chart("until", "{{ range until 1000000000 }}x{{ end }}\n")
	chart("repeat", "{{ repeat 1000000000 \"abcdef\" }}\n")
	chart("loop", "{{ range $i := 100000 }}{{ range $j := 100000 }}{{ end }}{{ end }}\n")
	chart("fine", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s{{ len (until 5) }}-{{ repeat 2 \"ab\" }}\nspec:\n  type: NodePort\n")
	files := []string{"until/Chart.yaml", "repeat/Chart.yaml", "loop/Chart.yaml", "fine/Chart.yaml"}
	start := time.Now()
	var batches []source.Batch
	err := New(dir, files, Options{RenderTimeout: 300 * time.Millisecond}).Read(context.Background(), func(b source.Batch) error {
		batches = append(batches, b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("hostile charts took %s to give up on", d)
	}
	problems := map[string]string{}
	resources := map[string]int{}
	for _, b := range batches {
		for _, p := range b.Problems {
			problems[strings.Split(filepath.ToSlash(p.Path), "/")[0]] += p.Err
		}
		for _, r := range b.Resources {
			resources[strings.Split(filepath.ToSlash(r.Location.File), "/")[0]]++
		}
	}
	for name, want := range map[string]string{"until": "more than", "repeat": "more than", "loop": "took longer than"} {
		if !strings.Contains(problems[name], want) {
			t.Errorf("chart %s: problems %q, want one saying %q", name, problems[name], want)
		}
	}
	if problems["fine"] != "" || resources["fine"] != 2 {
		t.Errorf("chart fine: problems %q, %d resources; want none and 2", problems["fine"], resources["fine"])
	}
	found := false
	for id := range byID(batches) {
		found = found || strings.Contains(id, "s5-abab")
	}
	if !found {
		t.Error("the bounded until and repeat do not give Sprig's results: no service named s5-abab")
	}
}
