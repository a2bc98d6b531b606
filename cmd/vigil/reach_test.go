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

const multiCloud = "../../internal/reach/testdata/multicloud"

func TestReachPath(t *testing.T) {
	code, out, errs := runCLI2(t, "reach", "path", "gvm-app", "i-0app", multiCloud, "--port", "tcp/22")
	if code != 0 || !strings.Contains(out, ": reachable\ntcp/22\n") || !strings.Contains(out, "return: route 10.128.0.0/20 -> vgw-0aws") ||
		!strings.Contains(errs, "i-0app: reachable") {
		t.Errorf("exit %d\n%s\nstderr %q", code, out, errs)
	}
	code, out, _ = runCLI2(t, "reach", "path", "vm-hub", "vm-spoke", multiCloud, "--port", "3389", "--format", "json")
	var res struct {
		Verdict string `json:"verdict"`
		Denied  struct {
			Resource, Reason string
		} `json:"denied"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Verdict != "denied" || !strings.HasSuffix(res.Denied.Resource, "/nsg-spoke") ||
		!strings.Contains(res.Denied.Reason, "(priority 100)") {
		t.Errorf("json: exit %d %+v\n%s", code, res, out)
	}
	for _, f := range []string{"dot", "mermaid"} {
		code, out, _ = runCLI2(t, "reach", "path", "internet", "i-0app", multiCloud, "--format", f)
		if code != 0 || !strings.Contains(out, "tcp/443") || !(strings.HasPrefix(out, "digraph reach {") || strings.HasPrefix(out, "flowchart LR")) {
			t.Errorf("%s: exit %d\n%s", f, code, out)
		}
	}
	for _, args := range [][]string{
		{"reach", "path", "nothing-here", "i-0app", multiCloud},
		{"reach", "path", "internet", "internet", multiCloud},
		{"reach", "path", "gvm-app", "i-0app", multiCloud, "--port", "sctp/9"},
		{"reach", "path", "gvm-app", "i-0app", multiCloud, "--format", "svg"},
	} {
		if code, _, errs := runCLI2(t, args...); code != exitUsage || errs == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}

func TestReachFrom(t *testing.T) {
	code, out, errs := runCLI2(t, "reach", "from", "i-0app", multiCloud, "--port", "tcp")
	if code != 0 || !strings.Contains(out, "i-0db") || !strings.Contains(out, "gvm-app") || !strings.Contains(out, "vm-hub") || !strings.Contains(out, "vm-spoke") ||
		!strings.Contains(errs, "6 destinations evaluated (the other instances and the internet): 6 reachable, 0 denied") {
		t.Errorf("exit %d\n%s\nstderr %q", code, out, errs)
	}
	code, out, _ = runCLI2(t, "reach", "blast", "i-0app", multiCloud, "--format", "mermaid")
	if code != 0 || !strings.HasPrefix(out, "flowchart LR") {
		t.Errorf("mermaid: exit %d\n%s", code, out)
	}
	if code, _, errs := runCLI2(t, "reach", "from", "i-0public", reachData); code != 0 || !strings.Contains(errs, "3 destinations evaluated") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if code, _, _ := runCLI2(t, "reach", "from", "internet", multiCloud); code != exitUsage {
		t.Errorf("from internet: exit %d", code)
	}
}

func TestReachExposedDiagram(t *testing.T) {
	code, out, _ := runCLI2(t, "reach", "exposed", reachData, "--format", "dot")
	if code != 0 || !strings.HasPrefix(out, "digraph reach {") || !strings.Contains(out, "tcp/22") {
		t.Errorf("dot: exit %d\n%s", code, out)
	}
}

// TestReachLoadBalanced: a private instance behind an internet-facing ALB
// is listed on the listener's port only, its path naming the listener, the
// target group and the rule of its security group admitting the ALB.
func TestReachLoadBalanced(t *testing.T) {
	code, out, errs := runCLI2(t, "reach", "exposed", "../../internal/reach/testdata/lb/aws")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var app []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "instance/i-0app") {
			app = append(app, l)
		}
	}
	if len(app) != 1 || !strings.Contains(app[0], "tcp/443") || !strings.Contains(app[0], "internet-facing listener HTTPS 443 > alb-web: allow tcp 443 from 0.0.0.0/0 > target group tg-app forwards to port 8080") ||
		!strings.Contains(app[0], "app: allow tcp 8080 from sg-0alb") {
		t.Errorf("i-0app rows:\n%s", strings.Join(app, "\n"))
	}
}

// TestReachSampleOrg: the sample organization's exposed set (with the S3
// bucket behind CloudFront and the partner application gateway), with the dev
// app instance reached through the dev ALB only.
func TestReachSampleOrg(t *testing.T) {
	code, out, errs := runCLI2(t, "reach", "exposed", sampleOrg, "--undecided")
	if code != 0 || !strings.Contains(errs, "36 resources evaluated: 17 exposed, 19 not exposed, 0 undecided") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	n := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "i-0f54240d5b1206c66") {
			n++
			if !strings.Contains(l, "target group nw-dev-tools forwards to port 8080") || !(strings.Contains(l, "tcp/80 ") || strings.Contains(l, "tcp/443 ")) {
				t.Errorf("nw-dev-app-1 row: %s", l)
			}
		}
	}
	if n != 2 {
		t.Errorf("nw-dev-app-1: %d rows, want 2 (80 and 443)", n)
	}
}
