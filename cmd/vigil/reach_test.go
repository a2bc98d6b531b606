package main

import (
	"encoding/json"
	"strings"
	"testing"
)

const reachData = "../../internal/reach/testdata/aws-config-snapshot.json"

func TestReachExposed(t *testing.T) {
	code, out, errs := runCLI2(t, "reach", "exposed", reachData)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	// One exposed instance, on tcp/22, with every hop named.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "i-0public") || !strings.Contains(lines[1], "tcp/22") ||
		!strings.Contains(lines[1], "route 0.0.0.0/0 -> igw-0a1") || !strings.Contains(lines[1], "ssh-open: allow tcp 22") {
		t.Errorf("table:\n%s", out)
	}
	if !strings.Contains(errs, "4 resources evaluated: 1 exposed, 3 not exposed, 0 undecided") {
		t.Errorf("stderr %q", errs)
	}
	code, out, _ = runCLI2(t, "reach", "exposed", "--format", "json", reachData)
	var rep reachReport
	if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || len(rep.Exposed) != 1 || rep.Exposed[0].Paths[0].FromPort != 22 {
		t.Errorf("json: exit %d\n%s", code, out)
	}
}

func TestReachNothing(t *testing.T) {
	code, out, errs := runCLI2(t, "reach", "exposed", t.TempDir())
	if code != exitUsage || out != "" || !strings.Contains(errs, "nothing to decide") {
		t.Errorf("empty inventory: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, _, _ := runCLI2(t, "reach", "exposed", "--format", "xml", reachData); code != exitUsage {
		t.Errorf("--format xml: exit %d", code)
	}
}
