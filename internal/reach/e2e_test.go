package reach_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TestImportedAWS reads an AWS Config snapshot through the real importer
// (route tables, network ACLs, security groups, instances): the exposure
// derivation sets is the expected one, written before the code.
func TestImportedAWS(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "aws-config-snapshot.json")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	want := map[string]string{
		"i-0public":  "ipv4 tcp 22-22 via rtb-0pub acl-0default sg-0open", // route to the internet gateway
		"i-0private": "none",                                              // the main route table goes to a NAT gateway
		"i-0acl":     "none",                                              // the subnet's ACL denies 22 at rule 90
		"web":        "none",                                              // internet-facing, but its security group opens 22, not 443
	}
	seen := 0
	for _, r := range inv.Resources {
		if r.Class != resource.ClassCompute && r.Name != "web" {
			continue
		}
		w, ok := want[r.Name]
		if !ok {
			w, ok = want[lastPart(r.ID)]
		}
		if !ok {
			t.Errorf("unexpected instance %s", r.ID)
			continue
		}
		seen++
		if got := describe(r.Facts.Exposure); got != w {
			t.Errorf("%s: exposure %q, want %q", r.ID, got, w)
		}
	}
	if seen != len(want) {
		t.Errorf("saw %d instances, want %d", seen, len(want))
	}
}

func lastPart(id string) string { return id[strings.LastIndex(id, "/")+1:] }

func describe(e *resource.Exposure) string {
	switch {
	case e == nil:
		return "<nil>"
	case e.Internet == nil:
		return "undecided"
	case !*e.Internet:
		return "none"
	}
	s := ""
	for _, p := range e.Paths {
		s += p.Family + " " + p.Protocol + " " + itoa(p.FromPort) + "-" + itoa(p.ToPort) + " via"
		for _, h := range p.Hops[1:] {
			s += " " + lastPart(h.Resource)
		}
	}
	return s
}

func itoa(i int) string { return fmt.Sprint(i) }

// TestSampleAzure reads the sample organization's Azure Resource Graph
// export: the jump box's NSG opens 22 and the legacy Windows VM's 3389 to
// the internet, through their public IPs; no other VM is exposed.
func TestSampleAzure(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join("..", "..", "examples", "org", "azure")})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range inv.Resources {
		if r.Class == resource.ClassCompute {
			got[r.Name] = describe(r.Facts.Exposure)
		}
	}
	want := map[string]string{"vm-nw-jumpbox": "ipv4 tcp 22-22 via", "vm-nw-legacy-win01": "ipv4 tcp 3389-3389 via"}
	for name, w := range want {
		if g := got[name]; !strings.HasPrefix(g, w) {
			t.Errorf("%s: exposure %q, want %q...", name, g, w)
		}
	}
	for name, g := range got {
		if _, ok := want[name]; !ok && strings.HasPrefix(g, "ipv") {
			t.Errorf("%s: exposed (%s), want not", name, g)
		}
	}
}

// TestImportedGCP reads a Cloud Asset export through the real importer:
// the firewall allowing 443 from anywhere targets the tag web, so only the
// tagged VM is exposed, through the default route.
func TestImportedGCP(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "gcp-assets.ndjson")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	want := map[string]string{"web-1": "ipv4 tcp 443-443 via default-route-0a1 allow-https-web", "batch-1": "none"}
	got := map[string]string{}
	for _, r := range inv.Resources {
		if r.Class == resource.ClassCompute {
			got[r.Name] = describe(r.Facts.Exposure)
		}
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: exposure %q, want %q", name, got[name], w)
		}
	}
}
