package awscollect

import (
	"testing"

	"github.com/vigil-sec/vigil/internal/collect"
)

const classicLB = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/legacy-web" // internet-facing, HTTP 80 and HTTPS 443 allowing TLS 1.0, to the web instance

// TestClassicLoadBalancers: a classic load balancer is collected with its
// SSL negotiation policy and imported with its facts: public, an HTTP
// listener, weak TLS (TLS 1.0 allowed), and both listeners forwarding to
// its instance; with its policies denied, its TLS is unknown, the rest
// still known.
func TestClassicLoadBalancers(t *testing.T) {
	dir, fails, _ := collectMore(t, nil)
	for _, f := range fails {
		t.Errorf("unexpected failure: %s", f)
	}
	rs := imported(t, dir)
	checkFacts(t, rs, []factWant{
		{classicLB, "load_balancer.public", true}, {classicLB, "load_balancer.http_listener", true},
		{classicLB, "load_balancer.weak_tls", true},
	})
	lb := rs[classicLB]
	if lb == nil || lb.Facts.LoadBalancer == nil || len(lb.Facts.LoadBalancer.Listeners) != 2 {
		t.Fatalf("%s: not imported with its two listeners", classicLB)
	}
	for _, l := range lb.Facts.LoadBalancer.Listeners {
		if mustJSON(l.Forwards) != `[{"target":"i-0aaa1111bbbb2222c","port":8080}]` {
			t.Errorf("listener %s %d forwards to %s, want the instance on 8080", l.Protocol, l.Port, mustJSON(l.Forwards))
		}
	}
	if s := ruleStatuses(t, dir, "lb-weak-tls")[classicLB]; s != "FAIL" {
		t.Errorf("lb-weak-tls on %s = %q, want FAIL", classicLB, s)
	}

	dir, fails, _ = collectMore(t, func(r fakeReq) string {
		if r.Key() == "elb:DescribeLoadBalancerPolicies" {
			return "denied"
		}
		return ""
	})
	var got []string
	for _, f := range fails {
		got = append(got, f.Call+" "+f.Resource+" "+string(f.Kind))
	}
	if want := []string{"elasticloadbalancing:DescribeLoadBalancerPolicies " + classicLB + " " + string(collect.Denied)}; mustJSON(got) != mustJSON(want) {
		t.Errorf("failures:\n got %v\nwant %v", got, want)
	}
	checkFacts(t, imported(t, dir), []factWant{
		{classicLB, "load_balancer.weak_tls", nil}, {classicLB, "load_balancer.http_listener", true}, {classicLB, "load_balancer.public", true},
	})
}
