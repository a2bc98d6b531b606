package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/responsibility"
)

func TestResponsibility(t *testing.T) {
	code, out := runCLI(t, "responsibility", filepath.Join("..", "..", "examples", "org"))
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{"AWS: Shared Responsibility Model", "Amazon S3", "Amazon RDS", "Amazon EKS",
		"Azure Storage", "Azure Kubernetes Service", "Cloud Storage", "Google Kubernetes Engine", "control-plane"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	code, out = runCLI(t, "responsibility", "--format", "json", filepath.Join("..", "..", "examples", "org"))
	if code != 0 {
		t.Fatalf("json: exit %d", code)
	}
	var v responsibility.View
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Clouds) != 3 || v.Services() < 30 {
		t.Errorf("%d clouds, %d services", len(v.Clouds), v.Services())
	}
}

func TestResponsibilityNothing(t *testing.T) {
	code, out, errs := runCLI2(t, "responsibility", t.TempDir())
	if code != exitUsage || out != "" || !strings.Contains(errs, "nothing to show") {
		t.Errorf("empty inventory: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, _, _ := runCLI2(t, "responsibility", "--format", "xml", t.TempDir()); code != exitUsage {
		t.Errorf("--format xml: exit %d", code)
	}
	if code, _, _ := runCLI2(t, "responsibility"); code != exitUsage {
		t.Errorf("no PATH: exit %d", code)
	}
}
