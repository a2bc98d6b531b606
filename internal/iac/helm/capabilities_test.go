package helm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chartv2 "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/engine"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

// TestDefaultAPIVersions: Helm's default .Capabilities.APIVersions are the
// ones the real k8s.io/client-go v0.37.2 gave (testdata/default-api-versions.txt,
// printed from it before go.mod replaced it by third_party/k8s-client-go),
// in the same order.
func TestDefaultAPIVersions(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "default-api-versions.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(data))
	got := []string(common.DefaultCapabilities.APIVersions)
	if !slices.Equal(got, want) {
		t.Errorf("default API versions:\n got %d %v\nwant %d %v", len(got), got, len(want), want)
	}
}

// TestCapabilitiesRender: a template choosing its apiVersion by
// .Capabilities.APIVersions.Has renders with the default capabilities, and
// lookup renders empty without a cluster.
func TestCapabilitiesRender(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"Chart.yaml": "apiVersion: v2\nname: caps\nversion: 0.1.0\n",
		"templates/ingress.yaml": `{{- if .Capabilities.APIVersions.Has "networking.k8s.io/v1/Ingress" }}` + "\n" +
			`apiVersion: networking.k8s.io/v1/Ingress` + "\n" +
			`{{- else if .Capabilities.APIVersions.Has "networking.k8s.io/v1" }}` + "\n" +
			`apiVersion: networking.k8s.io/v1` + "\n" +
			`{{- else }}` + "\n" +
			`apiVersion: extensions/v1beta1` + "\n" +
			`{{- end }}` + "\n" +
			`kind: Ingress` + "\n" +
			`crd: {{ .Capabilities.APIVersions.Has "apiextensions.k8s.io/v1" }}` + "\n" +
			`absent: {{ .Capabilities.APIVersions.Has "example.com/v1" }}` + "\n" +
			`looked: {{ len (lookup "v1" "Secret" "default" "x") }}` + "\n",
	}
	for name, text := range files {
		writeChartFile(t, dir, name, text)
	}
	ch, vals := loadCapsChart(t, dir)
	out, err := New(dir, nil, Options{}).(*reader).render(context.Background(), ch, vals)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(out["caps/templates/ingress.yaml"])
	want := "apiVersion: networking.k8s.io/v1\nkind: Ingress\ncrd: true\nabsent: false\nlooked: 0"
	if got != want {
		t.Errorf("rendered:\n%s\nwant:\n%s", got, want)
	}

	// Given a cluster, lookup fails: client-go's clients are not built in
	// (third_party/k8s-client-go).
	if _, err := engine.New(&rest.Config{Host: "https://127.0.0.1:1"}).Render(ch, vals); err == nil || !strings.Contains(err.Error(), rest.ErrNotBuiltIn.Error()) {
		t.Errorf("render with a cluster: %v, want %v", err, rest.ErrNotBuiltIn)
	}
	if _, err := discovery.NewDiscoveryClientForConfig(&rest.Config{}); !errors.Is(err, rest.ErrNotBuiltIn) {
		t.Errorf("discovery client: %v, want ErrNotBuiltIn", err)
	}
	if _, err := dynamic.NewForConfig(&rest.Config{}); !errors.Is(err, rest.ErrNotBuiltIn) {
		t.Errorf("dynamic client: %v, want ErrNotBuiltIn", err)
	}
}

func loadCapsChart(t *testing.T, dir string) (*chartv2.Chart, common.Values) {
	t.Helper()
	ch, err := loader.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := util.ToRenderValues(ch, map[string]any{}, common.ReleaseOptions{Name: "r", Namespace: "ns", IsInstall: true}, common.DefaultCapabilities.Copy())
	if err != nil {
		t.Fatal(err)
	}
	return ch, vals
}
