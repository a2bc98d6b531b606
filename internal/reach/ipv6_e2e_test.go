package reach_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/resource"
)

// famSummary: "ipv6 tcp 22, ipv4 tcp 80" in the exposure's order, "none"
// or "undecided".
func famSummary(e *resource.Exposure) string {
	switch {
	case e == nil:
		return "<nil>"
	case e.Internet == nil:
		return "undecided: " + strings.Join(e.Undecided, "; ")
	case !*e.Internet:
		return "none"
	}
	var out []string
	for _, p := range e.Paths {
		s := p.Family + " " + p.Protocol + " " + itoa(p.FromPort)
		if p.ToPort != p.FromPort {
			s += "-" + itoa(p.ToPort)
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

// importedExposures reads dir through the real importers and returns the
// exposure summary and the paths' hops of each resource by name.
func importedExposures(t *testing.T, dir string) (map[string]string, map[string][]string) {
	t.Helper()
	inv, err := importer.Load(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	got, hops := map[string]string{}, map[string][]string{}
	for _, r := range inv.Resources {
		if r.Facts.Exposure == nil {
			continue
		}
		got[r.Name] = famSummary(r.Facts.Exposure)
		for _, p := range r.Facts.Exposure.Paths {
			var hs []string
			for _, h := range p.Hops {
				hs = append(hs, h.Allows)
			}
			hops[r.Name] = append(hops[r.Name], p.Family+" "+itoa(p.FromPort)+": "+strings.Join(hs, " | "))
		}
	}
	return got, hops
}

// TestImportedAzureIPv6 reads a Resource Graph export (testdata/ipv6/azure)
// through the importer: public IPs of both versions on NICs' IP
// configurations, an NSG admitting ::/0 on 22 and 8080, Internet on 80 and
// 0.0.0.0/0 on 3389; a Standard load balancer on an IPv6 frontend; an Azure
// Firewall with two public IPs whose DNAT rules for 2201 are shadowed per
// destination address. Expected sets written before the code.
func TestImportedAzureIPv6(t *testing.T) {
	got, hops := importedExposures(t, filepath.Join("testdata", "ipv6", "azure"))
	want := map[string]string{
		"vm-v6only": "ipv6 tcp 22, ipv6 tcp 80, ipv6 tcp 8080",
		"vm-dual":   "ipv4 tcp 80, ipv4 tcp 3389, ipv6 tcp 22, ipv6 tcp 80, ipv6 tcp 8080",
		"vm-v4":     "ipv4 tcp 80, ipv4 tcp 2201, ipv4 tcp 3389",
		// 2201 on 20.60.0.1 is vm-v4's (collection dnat-first, priority
		// 100); vm-lb keeps 2201 on 20.60.0.2 only; 80 through lb-v6's IPv6
		// frontend to 8080, which the NSG admits from ::/0.
		"vm-lb": "ipv4 tcp 2201, ipv6 tcp 80",
		"lb-v6": "ipv6 tcp 80",
		"fw-v6": "ipv4 tcp 2201, ipv4 tcp 2201",
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: exposure %q, want %q", name, got[name], w)
		}
	}
	for name, sub := range map[string]string{
		"vm-lb":     "internet-facing listener TCP 2201 on 20.60.0.2 | DNAT rule ssh-lb-on-b forwards to port 22",
		"vm-v4":     "internet-facing listener TCP 2201 on 20.60.0.1 | DNAT rule ssh-v4-on-a forwards to port 22",
		"vm-v6only": "public IPv6 address pip-v6only | system route ::/0 -> Internet | nsg-app: allow tcp 22 from ::/0 (priority 100)",
	} {
		if j := strings.Join(hops[name], "\n"); !strings.Contains(j, sub) {
			t.Errorf("%s: hops\n%s\nwant %q", name, j, sub)
		}
	}
	if j := strings.Join(hops["vm-lb"], "\n"); strings.Contains(j, "ssh-lb-on-a") {
		t.Errorf("vm-lb reached through the shadowed rule ssh-lb-on-a:\n%s", j)
	}
}

// TestImportedGCPIPv6 reads a Cloud Asset export (testdata/ipv6/gcp):
// VMs with an external IPv6 address (ipv6AccessConfigs), an external IPv4
// address (accessConfigs), both, or an internal IPv6 address only; routes
// 0.0.0.0/0 and ::/0 to the default internet gateway; firewall rules for
// ::/0 on 22 (tag web) and 443, 0.0.0.0/0 on 80; a forwarding rule with
// ipVersion IPV6 on 443 to a target pool. Expected sets written first.
func TestImportedGCPIPv6(t *testing.T) {
	got, _ := importedExposures(t, filepath.Join("testdata", "ipv6", "gcp"))
	want := map[string]string{
		"gvm-v6only":    "ipv6 tcp 22, ipv6 tcp 443",
		"gvm-dual":      "ipv4 tcp 80, ipv6 tcp 443",
		"gvm-v4":        "ipv4 tcp 80",
		"gvm-internal6": "ipv6 tcp 443", // through fr-v6 only
		"fr-v6":         "ipv6 tcp 443",
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: exposure %q, want %q", name, got[name], w)
		}
	}
}

// TestImportedAWSInterfacesAndSubnets reads an AWS Config snapshot
// (testdata/enisubnet) with AWS::EC2::NetworkInterface and AWS::EC2::Subnet
// items: an instance whose own item names only its interface (the
// interface's item holds its subnet, security group and IPv6 address), one
// whose interface's item is missing, one whose interface lists no IPv6
// address, and an instance behind an internet-facing ALB in two subnets
// whose security group admits 10.80.0.0/22 (both subnets, not the whole
// VPC), dualstack (ipAddressType). Expected sets written before the code;
// without the subnets' items the ALB's nodes may be anywhere in the VPC:
// undecided.
func TestImportedAWSInterfacesAndSubnets(t *testing.T) {
	dir := filepath.Join("testdata", "enisubnet")
	got, hops := importedExposures(t, dir)
	want := map[string]string{
		"i-0eni":  "ipv6 tcp 22",
		"i-0nov6": "none",
		// web-e is dualstack, its group admits 443 from 0.0.0.0/0 and ::/0.
		"i-0app": "ipv4 tcp 443, ipv6 tcp 443",
		"web-e":  "ipv4 tcp 443, ipv6 tcp 443",
	}
	for name, w := range want {
		if got[lastOf(name, got)] != w {
			t.Errorf("%s: exposure %q, want %q", name, got[lastOf(name, got)], w)
		}
	}
	if g := got[lastOf("i-0noeni", got)]; !strings.HasPrefix(g, "undecided") || !strings.Contains(g, "whether it has an IPv6 address is not in the inventory") {
		t.Errorf("i-0noeni: %q, want undecided on its IPv6 address", g)
	}
	if h := strings.Join(hops[lastOf("i-0eni", got)], "\n"); !strings.Contains(h, "public IPv6 address | route ::/0 -> igw-0e") || !strings.Contains(h, "sg-web: allow tcp 22 from ::/0") {
		t.Errorf("i-0eni hops:\n%s", h)
	}

	// The same without the subnets' items.
	tmp := t.TempDir()
	src := filepath.Join(dir, "aws", "111122223333")
	dst := filepath.Join(tmp, "aws", "111122223333")
	copyWithout(t, src, dst, "AWS::EC2::Subnet")
	got, _ = importedExposures(t, tmp)
	if g := got[lastOf("i-0app", got)]; !strings.HasPrefix(g, "undecided") {
		t.Errorf("i-0app without the subnets: %q, want undecided", g)
	}
}

// lastOf finds the key of got that is name or has the path element name
// (AWS resources without a Name tag are named by their ARN).
func lastOf(name string, got map[string]string) string {
	if _, ok := got[name]; ok {
		return name
	}
	for k := range got {
		if strings.HasSuffix(k, "/"+name) || strings.Contains(k, "/"+name+"/") {
			return k
		}
	}
	return name
}
