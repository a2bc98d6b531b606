package reach_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer"
	"github.com/vigil-sec/vigil/internal/reach"
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

// TestImportedAWSLoadBalancers reads an AWS Config snapshot with an ALB,
// its listeners and a classic ELB, and the describe-target-health output
// of the ALB's target group: each private instance is reached through its
// load balancer on the listener's port only, when its security group lets
// the balancer in.
func TestImportedAWSLoadBalancers(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "lb", "aws")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	want := map[string]string{
		// ALB listener 443 -> target group tg-app -> 8080, admitted from the ALB's group; 22 open but no public IP
		"i-0app": "ipv4 tcp 443-443 via sg-0alb 9f8e7d6c5b4a3921 acl-0lb sg-0app acl-0lb",
		// classic ELB 80 -> 8080, admitted from the ELB's group
		"i-0legacy": "ipv4 tcp 80-80 via sg-0elb legacy-elb acl-0lb sg-0legacy acl-0lb",
		// behind both, but its group admits 10.99.0.0/16 only, outside the VPC
		"i-0batch": "none",
	}
	got := map[string]string{}
	for _, r := range inv.Resources {
		if r.Class == resource.ClassCompute {
			got[lastPart(r.ID)] = describe(r.Facts.Exposure)
		}
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: exposure %q, want %q", id, got[id], w)
		}
	}
}

// TestImportedAzureLoadBalancers reads a Resource Graph export with a
// public load balancer (a rule 443 -> 8443 and an inbound NAT rule
// 50022 -> 22 to vm-be1) and an application gateway (443 -> 8080 on
// vm-be2), neither VM with a public IP: the load balancer keeps the
// client's address, so vm-be1 is reached on 443 (its subnet's NSG admits
// 8443 from the internet) and not through the NAT rule (22 is not
// admitted); the gateway proxies, so vm-be2 is reached on 443 through the
// VNet rule by default.
func TestImportedAzureLoadBalancers(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "lb", "azure")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	want := map[string]string{
		"vm-be1": "ipv4 tcp 443-443 via https nsg-be",
		"vm-be2": "ipv4 tcp 443-443 via r1 nsg-be",
		// Azure Firewall fw-hub: DNAT 2222 from anywhere -> 10.30.1.6:22, the
		// source translated to the firewall (in the VNet); the DNAT rule for
		// 3389 admits an office range only
		"vm-be3": "ipv4 tcp 2222-2222 via ssh-be3 nsg-be",
	}
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

// TestImportedGCPLoadBalancers reads a Cloud Asset export with a target
// pool behind a TCP forwarding rule on 80 (web-1 tagged web, web-2 not)
// and an HTTPS proxy on 443 whose URL map's backend service reaches the
// managed instance group app-mig on its named port http (8080); no VM has
// an external IP. The pool keeps the client's address: only web-1, whose
// firewall rule admits 80 from anywhere; the proxy's backend app-1 admits
// Google's front ends on 8080, so it is reached on 443.
func TestImportedGCPLoadBalancers(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "lb", "gcp")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	want := map[string]string{
		"web-1": "ipv4 tcp 80-80 via pool-web allow-pool-80",
		"web-2": "none",
		"app-1": "ipv4 tcp 443-443 via be-app allow-gfe-8080",
	}
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

// TestImportedGCPCloudNAT: the Cloud Router of the same export carries a
// Cloud NAT for every subnetwork of lb-vpc in europe-west1: web-2, with no
// external IP, goes out to the internet through it, and stays unreachable
// from the internet.
func TestImportedGCPCloudNAT(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "lb", "gcp")})
	if err != nil {
		t.Fatal(err)
	}
	g := reach.New(inv.Resources)
	src, err := g.Resolve("web-2")
	if err != nil {
		t.Fatal(err)
	}
	q := reach.Query{Protocol: "tcp", FromPort: 443, ToPort: 443}
	out := g.Path(src, nil, q)
	if out.Verdict != reach.Reachable || !strings.Contains(fmt.Sprint(out.Paths), "Cloud NAT nat-egress") {
		t.Errorf("web-2 to the internet: %s %+v %+v", out.Verdict, out.Paths, out.Denied)
	}
	if in := g.Path(nil, src, q); in.Verdict != reach.Denied {
		t.Errorf("the internet to web-2: %s, want denied", in.Verdict)
	}
}

// TestSampleAWSLoadBalancer reads the sample organization's dev account:
// nw-dev-app-1 has no public IP, but it is registered in the target group
// of the internet-facing ALB nw-dev-tools (cli/elbv2-describe-target-health),
// whose listeners 80 and 443 forward to 8080, which its security group
// nw-dev-app admits from the VPC's range: exposed on 80 and 443 through the
// ALB, not on 8080 or anything else.
func TestSampleAWSLoadBalancer(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join("..", "..", "examples", "org", "aws", "444455556666")})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range inv.Resources {
		if lastPart(r.ID) != "i-0f54240d5b1206c66" {
			continue
		}
		const want = "ipv4 tcp 80-80 via 9276ed6589003949 acl-039fbd434337abbdf sg-0f9a15bb5a8118fd8 acl-039fbd434337abbdf" +
			"ipv4 tcp 443-443 via 9276ed6589003949 acl-039fbd434337abbdf sg-0f9a15bb5a8118fd8 acl-039fbd434337abbdf"
		if got := describe(r.Facts.Exposure); got != want {
			t.Errorf("nw-dev-app-1: exposure %q, want %q", got, want)
		}
		return
	}
	t.Fatal("nw-dev-app-1 is not in the sample")
}

// TestImportedGCPHierarchicalPolicy reads a Cloud Asset export whose
// organization's firewall policy denies 22 from anywhere and passes the
// rest on (goto_next): the VPC rule opening 22 and 443 on edge-1 (external
// IP) leaves it exposed on 443 only.
func TestImportedGCPHierarchicalPolicy(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "hier", "gcp")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	for _, r := range inv.Resources {
		if r.Name == "edge-1" {
			if got, want := describe(r.Facts.Exposure), "ipv4 tcp 443-443 via default-route-h allow-ssh-https"; got != want { // 22: denied by the organization
				t.Errorf("edge-1: exposure %q, want %q", got, want)
			}
			return
		}
	}
	t.Fatal("edge-1 not imported")
}

// TestImportedIPAndLambdaTargets reads an AWS Config snapshot with an ALB
// (443 to target group tg-web-ip: IP target 10.30.1.10, i-0web, and
// 172.16.9.9, outside the VPC and held by nothing; 80 to tg-thumbs, a
// Lambda function) and an NLB (TLS 6514 to tg-ingest-ip: IP target
// 10.30.1.20, i-0ingest, whose group admits the VPC's range only) with
// their describe-target-health outputs: i-0web is reached on 443 (its
// group admits the ALB's), the function on 80, and i-0ingest is
// undecided (reached only if client IP preservation is off, its default).
func TestImportedIPAndLambdaTargets(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "targets", "aws")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	want := map[string]string{
		"i-0web":                 "ipv4 tcp 443-443 via sg-0api 6c5d4e3f2a1b0c9d acl-0tg sg-0web acl-0tg",
		"function:tg-thumbnails": "ipv4 tcp 80-80 via sg-0api 0d9c8b7a6f5e4d3c",
		"i-0ingest":              "undecided",
	}
	got := map[string]string{}
	for _, r := range inv.Resources {
		id := lastPart(r.ID)
		if i := strings.LastIndex(id, ":function:"); i >= 0 {
			id = id[i+1:]
		}
		got[id] = describe(r.Facts.Exposure)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: exposure %q, want %q", id, got[id], w)
		}
	}
}

// TestImportedAzureFirewallPolicy reads a Resource Graph export with
// Azure Firewall fw-hub whose rules are in firewall policy fwp-app, child
// of fwp-base: the base policy's DNAT rule 443 -> vm-web:8443 comes first
// (fwp-app's 443 -> vm-db never matches); in fwp-app, group app-dnat
// (priority 100) forwards 5432 to vm-db from anywhere, so group late-dnat
// (500)'s 5432 -> vm-admin never matches, and its 2222 -> vm-admin admits
// an office range only. The network and application rules do not apply to
// DNAT traffic. fw-branch's policy is not in the export: undecided.
func TestImportedAzureFirewallPolicy(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "fwpolicy", "azure")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	want := map[string]string{
		"vm-web":    "ipv4 tcp 443-443 via https-web nsg-app",
		"vm-db":     "ipv4 tcp 5432-5432 via pg-db nsg-app",
		"vm-admin":  "none",
		"fw-hub":    "ipv4 tcp 443-443 viaipv4 tcp 5432-5432 via",
		"fw-branch": "undecided",
	}
	got := map[string]string{}
	var hops []string
	for _, r := range inv.Resources {
		got[r.Name] = describe(r.Facts.Exposure)
		if r.Name == "vm-db" && r.Facts.Exposure != nil && len(r.Facts.Exposure.Paths) > 0 {
			for _, h := range r.Facts.Exposure.Paths[0].Hops {
				hops = append(hops, h.Allows)
			}
		}
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: exposure %q, want %q", name, got[name], w)
		}
	}
	const rule = "firewall policy DNAT rule pg-db (collection dnat-b, priority 100, in rule collection group app-dnat, priority 100) forwards to port 5432"
	if !slices.Contains(hops, rule) {
		t.Errorf("vm-db hops %q: want %q", hops, rule)
	}
}

// TestImportedGCPNetworkFirewallPolicies reads a Cloud Asset export with
// global and regional network firewall policies. np-after (the default
// order, AFTER_CLASSIC_FIREWALL): its VPC rule allows 22 and 443 first, so
// the global policy's deny of 22 never applies; 8080 (no VPC rule) is
// allowed by the global policy, 9000 by the regional policy of
// us-central1 only. np-before (BEFORE_CLASSIC_FIREWALL): the global
// policy denies 22 before the VPC rule and passes the rest on (goto_next).
// np-tags: a policy rule for secure tags, which VMs do not carry in the
// model: undecided.
func TestImportedGCPNetworkFirewallPolicies(t *testing.T) {
	inv, err := importer.Load(context.Background(), []string{filepath.Join("testdata", "netpolicy", "gcp")})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) > 0 {
		t.Fatalf("input problems: %+v", inv.Errors)
	}
	want := map[string]string{
		"np-us": "ipv4 tcp 22-22 via default-np-after allow-ssh-https-np-after" + "ipv4 tcp 443-443 via default-np-after allow-ssh-https-np-after" +
			"ipv4 tcp 8080-8080 via default-np-after np-global" + "ipv4 tcp 9000-9000 via default-np-after np-regional",
		"np-eu": "ipv4 tcp 22-22 via default-np-after allow-ssh-https-np-after" + "ipv4 tcp 443-443 via default-np-after allow-ssh-https-np-after" +
			"ipv4 tcp 8080-8080 via default-np-after np-global",
		"np-b": "ipv4 tcp 443-443 via default-np-before allow-ssh-https-np-before",
		"np-t": "undecided",
	}
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
