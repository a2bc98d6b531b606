package reach

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// benchInventory builds an inventory of 100,000 network interfaces (50,000
// AWS, 30,000 Azure, 20,000 GCP), 20,000 firewalls (10,000 security groups
// and 2,500 network ACLs, 5,000 NSGs, 2,500 GCP firewall rules), each of
// 5 rules, 5,000 route tables (2,500 AWS, 1,500 Azure, 1,000 GCP routes),
// and 2,000 load balancers forwarding to 20,000 of the AWS instances.
func benchInventory() []*resource.Resource {
	var rs []*resource.Resource
	rules := func(i int) []resource.FirewallRule {
		var out []resource.FirewallRule
		for j := range 5 {
			src := "10.0.0.0/8"
			if (i+j)%7 == 0 {
				src = "0.0.0.0/0"
			}
			act := "allow"
			if j == 4 && i%3 == 0 {
				act = "deny"
			}
			out = append(out, ingress(act, "tcp", 20+j*100, 30+j*100+i%50, 100+j*10, src))
		}
		return out
	}
	for i := range 10_000 {
		rs = append(rs, fw(resource.AWS, fmt.Sprintf("sg-%d", i), nil, rules(i)...))
	}
	for i := range 2_500 {
		sn := fmt.Sprintf("subnet-%d", i)
		rs = append(rs, nacl(fmt.Sprintf("acl-%d", i), sn, append(rules(i), naclAllow)...))
		rt := toNAT
		if i%2 == 0 {
			rt = toIGW
		}
		rs = append(rs, routes(resource.AWS, fmt.Sprintf("rtb-%d", i), false, rel(resource.RelRoutesFor, sn), local, rt))
	}
	for i := range 50_000 {
		eni := fmt.Sprintf("eni-%d", i)
		rs = append(rs, vm(resource.AWS, fmt.Sprintf("i-%d", i), resource.Bool(i%2 == 0), rel(resource.RelUsesInterface, eni)),
			other(resource.AWS, eni, rels(rel(resource.RelInSubnet, fmt.Sprintf("subnet-%d", i%2_500)),
				rel(resource.RelUsesFirewall, fmt.Sprintf("sg-%d", i%10_000), fmt.Sprintf("sg-%d", (i*7)%10_000)))))
	}
	// 2,000 internet-facing ALBs, each forwarding 443 to 10 of the AWS
	// instances (20,000 load-balanced targets).
	rs = append(rs, fw(resource.AWS, "sg-lb", nil, ingress("allow", "tcp", 443, 443, 0, "0.0.0.0/0")))
	for i := range 2_000 {
		var fwd []resource.Forward
		for j := range 10 {
			fwd = append(fwd, resource.Forward{Target: fmt.Sprintf("i-%d", i*25+j), Port: 20 + j, Via: fmt.Sprintf("tg-%d", i)})
		}
		rs = append(rs, lbr(resource.AWS, elbv2, fmt.Sprintf("alb-%d", i), rel(resource.RelUsesFirewall, "sg-lb"), listener("HTTPS", 443, fwd...)))
	}
	for i := range 5_000 {
		rs = append(rs, fw(resource.Azure, fmt.Sprintf("nsg-%d", i), rel(resource.RelFirewallOf, fmt.Sprintf("azsn-%d", i%1_500)), rules(i)...))
	}
	for i := range 1_500 {
		rs = append(rs, routes(resource.Azure, fmt.Sprintf("azrt-%d", i), false, rel(resource.RelRoutesFor, fmt.Sprintf("azsn-%d", i)), resource.Route{Destination: "0.0.0.0/0", NextHop: "internet"}))
	}
	for i := range 30_000 {
		nic := fmt.Sprintf("nic-%d", i)
		rs = append(rs, vm(resource.Azure, fmt.Sprintf("vm-%d", i), nil, rel(resource.RelUsesInterface, nic)),
			other(resource.Azure, nic, rels(rel(resource.RelUsesPublicIP, "pip"), rel(resource.RelInSubnet, fmt.Sprintf("azsn-%d", i%1_500)),
				rel(resource.RelUsesFirewall, fmt.Sprintf("nsg-%d", i%5_000)))))
	}
	for i := range 1_000 {
		net := fmt.Sprintf("net-%d", i%50)
		rs = append(rs, routes(resource.GCP, fmt.Sprintf("route-%d", i), false, rel(resource.RelRoutesFor, net), resource.Route{Destination: "0.0.0.0/0", NextHop: "internet"}))
	}
	for i := range 2_500 {
		f := fw(resource.GCP, fmt.Sprintf("gfw-%d", i), rel(resource.RelInNetwork, fmt.Sprintf("net-%d", i%50)), rules(i)...)
		f.Facts.Firewall.TargetTags = []string{fmt.Sprintf("tag-%d", i%20)}
		rs = append(rs, f)
	}
	for i := range 20_000 {
		g := vm(resource.GCP, fmt.Sprintf("gvm-%d", i), yes, rel(resource.RelInNetwork, fmt.Sprintf("net-%d", i%50)))
		g.Facts.Compute.NetworkTags = []string{fmt.Sprintf("tag-%d", i%20), fmt.Sprintf("tag-%d", (i+3)%20)}
		rs = append(rs, g)
	}
	return rs
}

// BenchmarkExposedSet computes the exposure of every resource of the
// 100,000-interface inventory (issue 13: under 10 s and 4 GiB).
func BenchmarkExposedSet(b *testing.B) {
	rs := benchInventory()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for range b.N {
		Annotate(rs)
	}
	b.StopTimer()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	exposed := 0
	for _, r := range rs {
		if e := r.Facts.Exposure; e != nil && e.Internet != nil && *e.Internet {
			exposed++
		}
	}
	b.ReportMetric(float64(exposed), "exposed")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MiB-alloc/op")
	b.ReportMetric(float64(after.Sys)/(1<<20), "MiB-sys")
}

// BenchmarkBlastRadius answers vigil reach from for one AWS instance of
// the 100,000-interface inventory: a path question to every other
// instance (100,000) and the internet.
func BenchmarkBlastRadius(b *testing.B) {
	rs := benchInventory()
	// The AWS instances in one VPC (10.0.0.0/8), each with its address;
	// security groups and network ACLs let everything out.
	rs = append(rs, network(resource.AWS, "vpc-bench", nil, "10.0.0.0/8"))
	n := 0
	for _, r := range rs {
		if f := r.Facts.Firewall; r.Provider == resource.AWS && f != nil {
			f.Rules = append(f.Rules, egress("allow", "all", 0, 65535, 100, "0.0.0.0/0"))
		}
		if r.Provider == resource.AWS && r.Facts.Compute != nil {
			r.Relationships = append(r.Relationships, resource.Relationship{Type: resource.RelInNetwork, TargetID: "vpc-bench"})
			r.Facts.Addressing = &resource.Addressing{PrivateIPs: []string{fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255)}}
			n++
		}
	}
	g := New(rs)
	src, err := g.Resolve("i-0")
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	reachable := 0
	for range b.N {
		reachable = 0
		for _, res := range g.From(src, Query{Protocol: "tcp", FromPort: 22, ToPort: 22}) {
			if res.Verdict == Reachable {
				reachable++
			}
		}
	}
	b.ReportMetric(float64(reachable), "reachable")
}
